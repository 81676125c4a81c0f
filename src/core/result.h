/* result.h - what playing one case came to: the verdict, why, the outcome
 * labels that held and the trace of every event. The runner (run/) fills
 * it; every report (report/) reads it, so all outputs agree by
 * construction.
 */
#ifndef TCPRIG_CORE_RESULT_H
#define TCPRIG_CORE_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/trace.h"

enum run_verdict {
	RUN_PASS,
	RUN_FAIL,
	RUN_SKIP,
	RUN_INCONCLUSIVE, /* the wire lost what the verdict hung on */
};

/* A knob a shell line of the case changed in the target's namespace, seen
 * by reading the watched knobs after the line (run/knobwatch.h): only when
 * the run records a capture. */
#define RUN_KNOBS_MAX 16
struct run_knob_change {
	int64_t real_us; /* when the line had returned, CLOCK_REALTIME: the
			  * clock of the capture's timestamps */
	char set[160];   /* "NAME=VALUE", fields of a value blank-separated */
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
	/* Knobs the case's shell lines changed, in order (run --pcap only);
	 * knobs_lost: more than RUN_KNOBS_MAX, the later ones not kept. */
	struct run_knob_change knobs[RUN_KNOBS_MAX];
	unsigned nknobs;
	bool knobs_lost;
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
