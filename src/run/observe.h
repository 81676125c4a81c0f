/* observe.h - `> any`: what the target sends in a window, recorded and not
 * judged.
 *
 * Every segment of the line's connection (of any, without ports) that
 * arrives in [start - tolerance, end] is taken off the queue and recorded as
 * a TRACE_RECV event of the line, status OK, in the order it came: the
 * first one is "the reply". A target segment without SYN reads in the
 * numbers of the newest incarnation that knows the target's ISN
 * (map_reply_view), so a TIME_WAIT socket's ACK to a SYN that began a new
 * incarnation shows as the old connection's `. 2:2(0) ack 2`. When nothing
 * came the line is one TRACE_QUIET event. A segment before the window is
 * unexpected, as for any line; the line itself never fails. Later relative
 * lines count from the window's end.
 */
#ifndef TCPRIG_RUN_OBSERVE_H
#define TCPRIG_RUN_OBSERVE_H

#include "run/runner_int.h"

int runner_observe(struct runner *r, const struct case_event *ev);

#endif
