/* parse_time.h - timing: `0`, `+0.1`, ranges `a~b`, `*`, a blocking call's `a...b`, resolved
 * against the events before.
 */
#ifndef TCPRIG_CASE_PARSE_TIME_H
#define TCPRIG_CASE_PARSE_TIME_H

#include "case/parse_util.h"

int case_time(struct case_ctx *c, struct case_time *tm);
/* What depends on the kind of event and on the events before it. */
int case_time_resolve(struct case_ctx *c, struct case_event *ev, int col);

#endif
