/* wire_trace.h - the wire review's pairs as events of the trace.
 */
#ifndef TCPRIG_RUN_WIRE_TRACE_H
#define TCPRIG_RUN_WIRE_TRACE_H

#include "run/runner_int.h"

/* What the target-side capture saw of each segment, on its event. */
void runner_wire_trace(struct runner *r);

#endif
