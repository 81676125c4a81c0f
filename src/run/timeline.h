/* timeline.h - the timeline: when each line is due, where the next one counts
 * from, and the rig's own lateness (timeline.c says how).
 */
#ifndef TCPRIG_RUN_TIMELINE_H
#define TCPRIG_RUN_TIMELINE_H

#include "run/runner_int.h"


/* The timing tolerance of line ev (packetdrill's rule: the larger of
 * tolerance_usecs and tolerance_percent of the gap before it); until: for
 * the end of its range rather than its start. */
int64_t runner_tolerance(const struct runner *r, const struct case_event *ev, bool until);
/* When the rig's action on line ev (`<`, a call, a shell line) is due. */
int64_t runner_due(const struct runner *r, const struct case_event *ev);
/* The span [*lo, *hi] in which line ev is due, before any tolerance: a `>`
 * line's segment, a `> nothing` window. */
void runner_span(const struct runner *r, const struct case_event *ev, int64_t *lo, int64_t *hi);
/* Where line ev stands on the script's own clock. */
int64_t runner_script_at(const struct runner *r, const struct case_event *ev);
/* Live minus script time at the anchor: what TS vals written for a
 * relative line move by. */
int64_t runner_drift(const struct runner *r);
/* Line ev happened in [lo, hi], due at due; the next relative line counts
 * from it. script: where it stands on the script's clock. */
void runner_anchor(struct runner *r, const struct case_event *ev, int64_t lo, int64_t hi,
		   int64_t due, int64_t script);
/* The rig acted on line ev at `at`, due at `due`: later than the line's
 * tolerance makes the case INCONCLUSIVE (the script was not played as
 * written), e is the line's trace event. True if it did. */
bool runner_late(struct runner *r, const struct case_event *ev, struct trace_event *e,
		 int64_t due, int64_t at, const char *what);
/* The test hook (run_stall_parse): sleeps if line ev is the one to stall. */
void runner_stall(const struct runner *r, const struct case_event *ev);
/* Reads TCPRIG_STALL for this try (1-based). */
int runner_stall_setup(struct runner *r, unsigned try_no);

#endif
