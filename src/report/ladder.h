/* ladder.h - a case's trace drawn as a ladder diagram for a terminal.
 *
 * Two lanes, rig on the left and target on the right, one row per event in
 * time order: the time in seconds, the case line, then an arrow across the
 * lanes for a segment (rig -> target for `<`, target -> rig for what the
 * target sent) labelled with the segment in script notation (flags, seq/ack
 * relative, len, win, options with TS val/ecr), or the socket call, check or
 * shell line with its result written on the target lane. The row that
 * decided a verdict other than PASS is marked, with expected vs actual and
 * the first differing field under it; lines never reached are not drawn.
 * With a target-side capture an arrow also says what that capture saw: a
 * segment the target never got ends short of its lane, a segment the target
 * sent that the rig never got is drawn and marked lost.
 *
 * Colour (ANSI) only when asked; the caller decides (a terminal, no NO_COLOR).
 */
#ifndef TCPRIG_LADDER_H
#define TCPRIG_LADDER_H

#include <stdbool.h>
#include <stdio.h>

#include "core/trace.h"

struct ladder_opts {
	bool colour;
	const char *indent; /* before every row; NULL: "" */
};

void ladder_print(FILE *f, const struct trace *t, const struct ladder_opts *o);

/* Colour for stream f: a terminal, and NO_COLOR unset or empty. */
bool ladder_want_colour(FILE *f);

#endif
