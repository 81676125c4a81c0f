/* svg.h - a case's trace as an SVG ladder diagram, for the matrix's
 * HTML report (the terminal's is ladder.h).
 *
 * Two lanes, rig on the left and target on the right, one row per event in
 * trace order, the time and case line in a column on the left. A segment is
 * an arrow across the lanes labelled in script notation (rig -> target for a
 * `<` line, target -> rig for what the target sent); a `>` line nothing
 * answered is a dashed arrow; a quiet window a shaded band; socket calls,
 * checks and shell lines are written beside the target lane. A segment lost
 * on the wire (the target-side capture says so) stops short of its lane and
 * ends in an X. The event that decided the verdict is red, with expected vs
 * actual, the differing field and the note under it. Lines never reached are
 * not drawn, only counted. Every event carries its full text as a <title>
 * tooltip; labels too long for the lanes are cut with an ellipsis.
 *
 * The output is one <svg> element, well-formed XML, with no ids, no
 * external references and no script, so that many can sit in one page; its
 * colours are attributes, not page CSS. Deterministic: the same trace gives
 * the same bytes.
 */
#ifndef TCPRIG_SVG_LADDER_H
#define TCPRIG_SVG_LADDER_H

#include <stddef.h>
#include <stdio.h>

#include "core/trace.h"

void svg_ladder_write(FILE *f, const struct trace *t);

/* s escaped for XML text and quoted attributes (& < > " '), control
 * characters and invalid UTF-8 replaced by U+FFFD; at most max characters
 * (code points), the last one an ellipsis when s is longer; max 0: all. */
void svg_ladder_escape(FILE *f, const char *s, size_t max);

#endif
