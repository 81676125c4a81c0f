/* kernels_html.c - a column per kernel, as an HTML page. */
#include "report/kernels_html.h"

#include <string.h>

#include "report/svg.h"

static const char kernels_css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
	"sans-serif;margin:20px 24px;color:#1d2329;background:#fff}\n"
	"table{border-collapse:collapse}\n"
	"th,td{border:1px solid #c3cad1;padding:4px 8px;white-space:nowrap}\n"
	"thead th{background:#eef1f4}\n"
	"tbody th{text-align:left;font-weight:normal;background:#f7f8fa;"
	"font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:0.92em}\n"
	"tr.differ th{background:#fff3b0;font-weight:600}\n"
	"tr.differ td{outline:2px solid #e0b000;outline-offset:-2px}\n"
	".risk{background:#f6c1bb;color:#7a1010;font-weight:600}\n"
	".ok{background:#cdebd3;color:#124d22}\n"
	".fail{background:#fbd6a0;color:#6e3800}\n"
	".grey{background:#e3e6e9;color:#4a525a}\n";

static const char *kernels_class(const char *cell)
{
	if (!strncmp(cell, "skip", 4) || !strncmp(cell, "inconclusive", 12) ||
	    !strncmp(cell, "error", 5) || !strcmp(cell, "-"))
		return "grey";
	if (strchr(cell, '!'))
		return "risk";
	if (strstr(cell, "FAIL"))
		return "fail";
	return "ok";
}

int report_kernels_html_write(FILE *f, const struct kernels_table *t, struct tr_err *err)
{
	size_t ndiff = 0;

	for (size_t i = 0; i < t->nrows; i++)
		ndiff += t->differ[i];
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		   "<title>tcprig matrix: kernels</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		   "<h1>tcprig matrix: kernels</h1>\n<p>The kernels differ in %zu of %zu rows "
		   "(marked *).</p>\n<table>\n<thead><tr><th>case</th>",
		kernels_css, ndiff, t->nrows);
	for (size_t k = 0; k < t->nkernels; k++) {
		fputs("<th>", f);
		svg_ladder_escape(f, t->kernels[k], 0);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < t->nrows; i++) {
		fprintf(f, "<tr%s><th>%s", t->differ[i] ? " class=\"differ\"" : "",
			t->differ[i] ? "* " : "");
		svg_ladder_escape(f, t->rows[i], 0);
		fputs("</th>", f);
		for (size_t k = 0; k < t->nkernels; k++) {
			const char *c = t->cells[i * t->nkernels + k];

			fprintf(f, "<td class=\"%s\">", kernels_class(c));
			svg_ladder_escape(f, c, 0);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</body>\n</html>\n", f);
	if (fflush(f) || ferror(f))
		return err_sys(err, "writing the HTML page");
	return 0;
}
