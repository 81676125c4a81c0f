/* pool.h - plays parsed cases in forked workers, up to `jobs` at once, and
 * hands the results back in case order.
 *
 * One worker process per case: it runs runner_run() (its own lab, its own
 * lab_install_signal_cleanup), sends the outcome to the parent over a pipe as
 * one fixed-size message and _exit()s. The parent starts cases in order as
 * slots free up, buffers results that come early and calls `report` for case i
 * only after 0..i-1, so the caller's output keeps case order whatever order
 * the cases finish in. A worker that ends without a full message could not
 * run its case ("worker died (signal N)"): never a pass. The message carries
 * the whole run_result, INCONCLUSIVE and its reason included; a verdict out
 * of the enum's range is taken as a case that could not run. The case's
 * trace follows the message as text; res.trace belongs to the caller then
 * (trace_free), also for a case the caller skipped (leave it zeroed).
 *
 * SIGINT, SIGTERM or SIGHUP reaching the parent while the pool runs stops it:
 * every live worker gets the same signal (its cleanup removes its lab), the
 * parent waits for them (SIGKILL after RUN_POOL_STOP_MS; a later run reaps
 * what that leaves), restores its signal dispositions and returns with
 * *signo set. The caller then ends itself with that signal.
 */
#ifndef TCPRIG_RUN_POOL_H
#define TCPRIG_RUN_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "case/case.h"
#include "core/err.h"
#include "run/runner.h"

#define RUN_POOL_JOBS_MAX 64
/* run --retries: at most this many more tries of an INCONCLUSIVE case. */
#define RUN_RETRIES_MAX 10
/* How long stopped workers get to remove their labs before SIGKILL. */
#define RUN_POOL_STOP_MS 5000


struct run_pool_case {
	const struct case_script *script;
	struct run_config cfg;	/* pcap_path stays the caller's */
	bool skip;		/* not run: reported in its turn as the caller left it */
	/* An INCONCLUSIVE try is run again, in a fresh lab, up to retries more
	 * times; a PASS, FAIL or SKIP is final. The earlier tries are kept in
	 * tries[0..ntries-1], the last one's result is res. */
	unsigned retries;
	unsigned ntries;
	struct run_try tries[RUN_RETRIES_MAX];
	/* Filled by the pool before report() (for a skipped case, by the caller): */
	int ret;		/* 0: res holds the verdict; -1: could not run, see err */
	struct run_result res;
	struct tr_err err;
};

/* One worker per online CPU, within 1..RUN_POOL_JOBS_MAX: -j's default. */
unsigned run_pool_default_jobs(void);

/* Marks c not to be run: reported in its turn as SKIP with reason. */
void run_pool_case_skip(struct run_pool_case *c, const char *reason);

typedef void (*run_pool_report_fn)(size_t i, const struct run_pool_case *c, void *ctx);

/* Runs cases[0..n) with up to jobs (1..RUN_POOL_JOBS_MAX) workers at once and
 * reports each in order. Returns 0 with *signo = 0 when every case was
 * reported, 0 with *signo = the signal when one stopped the run (the cases
 * after the last reported one are not reported), -1 with err when the pool
 * itself failed (its workers are stopped first). */
int run_pool_run(struct run_pool_case *cases, size_t n, unsigned jobs, run_pool_report_fn report,
		 void *ctx, int *signo, struct tr_err *err);

#endif
