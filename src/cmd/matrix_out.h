/* matrix_out.h - what `tcprig matrix` writes once every cell has run: the
 * text table, --json, --html and --cells, from the one struct matrix.
 *
 * With a family axis (m->families set: matrix --family) each row is a case
 * in one family: the text table gets a family column after the case's
 * name, the JSON's config and the --cells combination start with
 * "family=ipv4" or "family=ipv6", the HTML page a family column. Without it
 * every output is what it was before --family existed.
 */
#ifndef TCPRIG_CMD_MATRIX_OUT_H
#define TCPRIG_CMD_MATRIX_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "report/matrix.h"

/* "tw_assassinated_by_rst.pkt" of a path. */
const char *matrix_out_base(const char *path);
/* Row i's combination as --cells and the progress line name it:
 * "family=ipv6 tw_reuse=1 rfc1337=0", "" for none. */
void matrix_out_label(const struct matrix *m, size_t i, size_t combo, char *buf, size_t cap);
/* The table on stdout, colour (ANSI) when asked. */
void matrix_out_table(const struct matrix *m, bool colour);
/* Each returns -1 with err when writing failed. */
int matrix_out_json(FILE *f, const struct matrix *m, struct tr_err *err);
int matrix_out_html(FILE *f, const struct matrix *m, struct tr_err *err);
/* case TAB combination TAB cell, a line each ("-" for no combination):
 * what matrix --kernel joins. */
int matrix_out_cells(FILE *f, const struct matrix *m, struct tr_err *err);

#endif
