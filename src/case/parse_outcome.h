/* parse_outcome.h - `=> label [end]` after a statement, and the `|` lines that are
 * another outcome of the event before them.
 */
#ifndef TCPRIG_CASE_PARSE_OUTCOME_H
#define TCPRIG_CASE_PARSE_OUTCOME_H

#include "case/parse_util.h"

/* `=> label [end]` at the end of the statement just parsed, if there is
 * one; *col (may be NULL) is where the label starts. */
int case_outcome(struct case_ctx *c, struct case_event *ev, int *col);
/* An '=>' that no statement took: always an error. */
int case_outcome_misplaced(struct case_ctx *c);
/* A `|` line: another outcome of the last event. */
int case_alt_line(struct case_ctx *c);

#endif
