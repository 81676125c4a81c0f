/* event.h - a parsed event's lifetime: appended to the script being built,
 * freed with everything it owns (its text, alternatives, call arguments).
 */
#ifndef TCPRIG_CASE_EVENT_H
#define TCPRIG_CASE_EVENT_H

#include "case/case.h"
#include "core/err.h"

/* Appends ev to p's script (taking what it owns; ev is zeroed). */
int case_event_push(struct case_parser *p, struct case_event *ev, struct tr_err *err);
void case_event_clear(struct case_event *ev);
void case_expr_clear(struct case_expr *e);

#endif
