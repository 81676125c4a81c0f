/* runner.h - plays one parsed case against a real kernel in its own lab.
 *
 * One clock: script time 0 is when the first timed event is due. `<` lines
 * are injected at their time; `>` lines are waited for within the tolerance
 * (packetdrill's rule: the larger of tolerance_usecs and tolerance_percent of
 * the gap since the previous event); socket calls go to the target agent,
 * which may block while the runner goes on; shell lines run on the target
 * side. The loop is event driven: poll() on the pcap fd, the agent's fd and a
 * timer.
 *
 * Verdicts: PASS only when every line held. A case that could not run at all
 * (no lab, no agent) is an error for the caller, never a PASS; a case whose
 * shell or sysctl line names a knob this kernel lacks is a SKIP.
 *
 * With a target-side capture (target_capture, always with faults) the runner
 * also records what the target really sent and received, and after the case
 * compares it with what the rig sent and got. INCONCLUSIVE, the rig cannot
 * tell, when
 *  - a line failed, and the target did send a segment that holds the failed
 *    `>` line in its window, which the rig did not get in time (lost,
 *    delayed or reordered on the way);
 *  - a line failed, and before it a segment went astray either way: one the
 *    rig sent that the target never got, or got late or out of order; one
 *    the target sent that the rig never got, or got late or out of order;
 *  - every line held, but a segment the rig sent went astray and a checked
 *    line came after it, or a segment the target sent went astray (the rig
 *    could not check what it never saw).
 * "Late" is by more than the case's timing tolerance (tolerance_usecs). A
 * FAIL stays a FAIL only when the wire was faithful up to it, so the target
 * capture shows the target really did not do what the line says. Without a
 * target-side capture the verdicts are the rig's own, as before.
 */
#ifndef TCPRIG_RUNNER_H
#define TCPRIG_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "case/case.h"
#include "err.h"
#include "fault.h"
#include "pacer.h"
#include "trace.h"

/* packetdrill's defaults. */
#define RUN_DEFAULT_TOLERANCE_US 4000
#define RUN_DEFAULT_TOLERANCE_PCT 12.5
/* How long a `*` line, or a call with no end time that blocks, may take. */
#define RUN_ANY_WAIT_US 10000000
/* ... how long a call may overrun its end under --faults. */
#define RUN_FAULTS_CALL_WAIT_US 1000000
/* The target's port when a script does not name one (packetdrill's). */
#define RUN_TARGET_PORT 8080
/* The rig's port for connections the rig opens, when a script names none. */
#define RUN_RIG_PORT 40000

enum run_verdict {
	RUN_PASS,
	RUN_FAIL,
	RUN_SKIP,
	RUN_INCONCLUSIVE, /* the wire lost what the verdict hung on */
};

struct run_config {
	int64_t tolerance_us;	/* < 0: the script's, else the default */
	double tolerance_pct;	/* < 0: the script's, else the default */
	const char *pcap_path;	/* NULL: no capture file */
	/* A second capture point, on the target end inside its namespace. */
	bool target_capture;
	const char *target_pcap_path; /* its capture file; NULL: none */
	/* Faults on the emulated wire (implies target_capture); the case's
	 * draws come from fault_case_seed(fault_seed, its path). */
	bool faults;
	struct fault_spec fault_spec;
	uint64_t fault_seed;
	/* The worker's scheduling: timer slack always, --cpu and --realtime. */
	struct pacer_opts pacer;
	/* Which try of the case this is (run --retries), from 1; 0 counts as 1. */
	unsigned try_no;
};

struct run_result {
	enum run_verdict verdict;
	int line;		/* the line that failed or skipped, 0 if none */
	char reason[2048];	/* why, several lines for a mismatch */
	uint64_t elapsed_us;
	unsigned events_done;	/* lines that ran and held */
	/* The outcome labels (`=> label`) of the alternatives that held, in
	 * line order, separated by a blank; "" when the case names none. */
	char outcome[128];
	/* Every event, for the ladder and the reports; the caller frees it
	 * with trace_free() whatever runner_run returned. */
	struct trace trace;
};

/* Returns -1 with err when the case could not be run at all. */
int runner_run(const struct case_script *s, const struct run_config *cfg,
	       struct run_result *res, struct tr_err *err);

const char *run_verdict_name(enum run_verdict v);

/* The test hook TCPRIG_STALL=LINE:MS[:TRY]: the rig stalls MS ms before it
 * acts on (or, for a `>` or `> nothing` line, looks at) line LINE, on
 * every try or only on try TRY. Tests use it to make the rig late on
 * purpose; nothing else should. */
#define RUN_STALL_TRY_MAX 11
struct run_stall {
	int line; /* 0: no stall */
	int64_t us;
	unsigned try_no; /* 0: every try */
};
/* Parses the variable's value (NULL or "": no stall); TR_USAGE if bad. */
int run_stall_parse(const char *value, struct run_stall *st, struct tr_err *err);

#endif
