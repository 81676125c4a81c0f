/* state.h - the runner's clock (script time, us since t0) and its verdict.
 */
#ifndef TCPRIG_RUN_STATE_H
#define TCPRIG_RUN_STATE_H

#include "run/runner_int.h"

int64_t runner_now(const struct runner *r);
/* The first verdict other than PASS sticks; ev NULL for the whole case. */
void runner_verdict(struct runner *r, enum run_verdict v, const struct case_event *ev,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
