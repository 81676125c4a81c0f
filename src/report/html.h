/* html.h - a matrix run as one self-contained HTML5 page.
 *
 * The page opens offline: inline CSS, no script, no external URL, font or
 * image. It shows the title (its first line; further lines, such as the
 * kernel and the date, under it), the knobs and their values, then a table
 * like a pivot table: one row per case (its file name, the path as a
 * tooltip; with a family axis, a row per case and family, the family in a
 * column of its own), one column per combination, one header row per knob
 * giving that knob's value. A cell shows matrix_cell's text, coloured by what it says:
 * a risk outcome red, another outcome or a pass green, a FAIL orange, skip,
 * inconclusive and error grey. Each cell links to its details further down:
 * the verdict, the reason, the sysctls and the trace as an SVG ladder
 * (svg.h), one <svg> per cell.
 *
 * The output is well-formed XML as well as HTML5 (void elements closed,
 * only XML's own entities), so XML tools can check it; deterministic: the
 * same matrix and title give the same bytes, nothing of the clock.
 */
#ifndef TCPRIG_REPORT_HTML_H
#define TCPRIG_REPORT_HTML_H

#include <stdio.h>

#include "core/err.h"
#include "report/matrix.h"

/* title: NULL for "tcprig matrix"; lines after the first are shown under
 * it. Returns -1 with err when writing to f failed. */
int report_html_write(FILE *f, const struct matrix *m, const char *title, struct tr_err *err);

#endif
