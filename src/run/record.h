/* record.h - each line the runner settles, as an event of the case's trace.
 */
#ifndef TCPRIG_RUN_RECORD_H
#define TCPRIG_RUN_RECORD_H

#include "run/runner_int.h"

/* A new event for line ev (NULL: none) at script time t, its expected text
 * and outcome label from the line; never NULL. */
struct trace_event *runner_trace(struct runner *r, enum trace_kind kind,
				 const struct case_event *ev, int64_t t);
/* A RECV event for line ev (NULL: none): the segment rx holds, live as
 * decoded, view in the script's numbers; its ports are live's. */
struct trace_event *runner_trace_rx(struct runner *r, const struct case_event *ev,
				    const struct rx *rx, const struct segment *live,
				    const struct segment *view);
/* Marks e as the line that failed (call it before runner_verdict: once a
 * verdict is reached a later failure is only UNEXPECTED). */
void runner_trace_fail(struct runner *r, struct trace_event *e, const char *field,
		       const char *note);
/* Adds the outcome label of the alternative that held to the result. */
void runner_outcome(struct runner *r, const struct case_event *ev);
/* After the case: a row for a verdict no event explains; time order. */
void runner_trace_finish(struct runner *r);

#endif
