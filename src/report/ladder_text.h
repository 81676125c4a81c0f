/* ladder_text.h - the words of a ladder diagram's rows (ladder.c draws
 * them): what labels an arrow and what the notes beside a row say.
 */
#ifndef TCPRIG_REPORT_LADDER_TEXT_H
#define TCPRIG_REPORT_LADDER_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/trace.h"

/* A duration with its sign always written: "+0.040000". */
void ladder_delta(char *buf, size_t cap, int64_t us);
/* The line as written, less its "<" or ">": the arrow says which way. */
const char *ladder_strip_dir(const char *s);
/* QUIET that held: the window, written between the lanes. */
void ladder_quiet_text(char *buf, size_t cap, const struct trace_event *e);
bool ladder_is_segment(const struct trace_event *e);
/* What labels an arrow, or NULL when the event draws none; buf holds text
 * the event does not hold as such. */
const char *ladder_label(const struct trace_event *e, char *buf, size_t cap);
/* What the target-side capture saw, the outcome, why a row is odd. */
void ladder_notes(const struct trace_event *e, char *buf, size_t cap);

#endif
