/* kernels_html.h - `tcprig matrix --kernel ... --html FILE`: the table of
 * one matrix run on several kernels as one self-contained HTML5 page.
 *
 * Inline CSS, no script, nothing fetched; well-formed XML as well (XML
 * tools can check it). A column per kernel (its release), a row per case
 * (and combination); a row whose cells differ has class "differ" and a
 * yellow background, and its first cell starts with '*', as on a terminal.
 * Cells are the matrix's words (report/matrix.h), coloured as the matrix
 * page colours them: a risk ('!') red, FAIL orange, skip/inconclusive/
 * error grey, the rest green.
 */
#ifndef TCPRIG_REPORT_KERNELS_HTML_H
#define TCPRIG_REPORT_KERNELS_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

struct kernels_table {
	size_t nkernels, nrows;
	const char *const *kernels; /* [nkernels] releases */
	const char *const *rows;    /* [nrows] "case.pkt tw_reuse=1" */
	const char *const *cells;   /* [row * nkernels + kernel] */
	const bool *differ;	    /* [nrows] */
};

int report_kernels_html_write(FILE *f, const struct kernels_table *t, struct tr_err *err);

#endif
