/* result.h - what playing one case came to: the verdict, why, the outcome
 * labels that held and the trace of every event. The runner (run/) fills
 * it; every report (report/) reads it, so all outputs agree by
 * construction.
 */
#ifndef TCPRIG_CORE_RESULT_H
#define TCPRIG_CORE_RESULT_H

#include <stdint.h>

#include "core/trace.h"

enum run_verdict {
	RUN_PASS,
	RUN_FAIL,
	RUN_SKIP,
	RUN_INCONCLUSIVE, /* the wire lost what the verdict hung on */
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

/* A try of a case that was run again: what it said. */
struct run_try {
	enum run_verdict verdict;
	int line;
	uint64_t elapsed_us;
	char reason[512]; /* its first line */
};

const char *run_verdict_name(enum run_verdict v);

#endif
