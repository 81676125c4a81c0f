/* run_print.h - what `tcprig run` says as its cases end: a line per case
 * (text or TAP), the reason and the tries of one that did not pass, its
 * ladder, the tally; and the --json/--junit files after the run. */
#ifndef TCPRIG_CMD_RUN_PRINT_H
#define TCPRIG_CMD_RUN_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "cmd/run_family.h"
#include "core/err.h"
#include "run/pool.h"

/* What the in-order report adds up. */
struct run_tally {
	bool tap;
	bool wire; /* a target-side capture: INCONCLUSIVE is possible */
	bool ladder; /* a ladder for every case, not only those that failed */
	char **paths;
	unsigned passed, failed, skipped, inconclusive, errors;
};

/* The pool's report callback (ctx: a struct run_tally), called in case order. */
void run_report(size_t i, const struct run_pool_case *c, void *ctx);
/* --json and --junit (either may be NULL) over the jobs' results. */
int run_write_reports(const struct run_pool_case *cases, char **paths,
		      const struct run_jobs *jobs, FILE *json, FILE *junit, struct tr_err *err);

#endif
