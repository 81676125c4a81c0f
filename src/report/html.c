/* html.c - the matrix as a self-contained HTML page (html.h). */
#include "report/html.h"

#include <errno.h>
#include <string.h>

#include "report/svg.h"

/* Page text: escaped, no length limit. */
#define esc(f, s) svg_ladder_escape((f), (s), 0)

enum cell_class { CELL_RISK, CELL_OK, CELL_FAIL, CELL_GREY };

static const char *const cell_class_name[] = {
    [CELL_RISK] = "risk",
    [CELL_OK] = "ok",
    [CELL_FAIL] = "fail",
    [CELL_GREY] = "grey",
};

static const char page_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
    "sans-serif;margin:20px 24px;color:#1d2329;background:#fff;line-height:1.4}\n"
    "h1{font-size:1.45em;margin:0 0 4px}\n"
    "h2{font-size:1.15em;margin:28px 0 8px;border-bottom:1px solid #d5dae0}\n"
    "h3{font-size:1em;margin:0 0 6px}\n"
    ".sub{margin:0;color:#5f6b76}\n"
    "code,pre,.case{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "font-size:0.92em}\n"
    ".knobs{margin:10px 0 4px}\n"
    ".legend span{margin-right:6px}\n"
    ".scroll{overflow-x:auto;margin:12px 0}\n"
    "table.matrix{border-collapse:collapse}\n"
    ".matrix th,.matrix td{border:1px solid #c3cad1;padding:4px 8px}\n"
    ".matrix thead th{background:#eef1f4;font-weight:600;text-align:center}\n"
    ".matrix thead th.knob{text-align:right;font-weight:normal;color:#3c454e;"
    "background:#f7f8fa}\n"
    ".matrix tbody th{text-align:left;font-weight:normal;background:#f7f8fa;"
    "white-space:nowrap}\n"
    ".matrix td{text-align:center;white-space:nowrap;padding:0}\n"
    ".matrix td a{display:block;padding:4px 8px;color:inherit;text-decoration:none}\n"
    ".matrix td a:hover{text-decoration:underline}\n"
    ".c{border-radius:3px;padding:1px 6px}\n"
    ".risk{background:#f6c1bb;color:#7a1010;font-weight:600}\n"
    ".ok{background:#cdebd3;color:#124d22}\n"
    ".fail{background:#fbd6a0;color:#6e3800}\n"
    ".grey{background:#e3e6e9;color:#4a525a}\n"
    "section.cell{margin:14px 0;padding:10px 12px;border:1px solid #d5dae0;"
    "border-radius:4px;scroll-margin-top:12px}\n"
    "section.cell:target{border-color:#1f5f9e;box-shadow:0 0 0 2px #a9c6e8}\n"
    ".verdict{margin:0 0 6px}\n"
    "pre.reason{background:#f7f8fa;border:1px solid #e3e6e9;padding:6px 8px;"
    "margin:6px 0;white-space:pre-wrap}\n"
    "svg.ladder{max-width:100%;height:auto;display:block}\n"
    ".back{font-size:0.9em;font-weight:normal;margin-left:8px}\n";

static enum cell_class cell_class(const struct matrix_cell *c)
{
	if (c->ret)
		return CELL_GREY;
	switch (c->res.verdict) {
	case RUN_PASS:
		return c->risk ? CELL_RISK : CELL_OK;
	case RUN_FAIL:
		return c->risk ? CELL_RISK : CELL_FAIL;
	case RUN_SKIP:
	case RUN_INCONCLUSIVE:
		break;
	}
	return CELL_GREY;
}

/* The last part of a path: what the table shows of a case. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* Escaped, '\n' kept: for <pre>. */
static void esc_lines(FILE *f, const char *s)
{
	const char *nl;
	char line[1024];
	size_t n;

	while (*s) {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		while (n) {
			size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;

			/* Never split a UTF-8 sequence between two chunks. */
			while (k < n && k > 1 && ((unsigned char)s[k] & 0xc0) == 0x80)
				k--;
			memcpy(line, s, k);
			line[k] = '\0';
			esc(f, line);
			s += k;
			n -= k;
		}
		if (nl) {
			fputc('\n', f);
			s = nl + 1;
		}
	}
}

/* The title's first line, escaped. */
static void title_first_line(FILE *f, const char *title)
{
	const char *nl = strchr(title, '\n');
	char buf[512];

	snprintf(buf, sizeof(buf), "%.*s", nl ? (int)(nl - title) : (int)strlen(title), title);
	esc(f, buf);
}

static void write_head(FILE *f, const char *title)
{
	const char *p;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>",
	      f);
	title_first_line(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", page_css);
	title_first_line(f, title);
	fputs("</h1>\n", f);
	for (p = strchr(title, '\n'); p; p = strchr(p + 1, '\n')) {
		const char *end = strchr(p + 1, '\n');
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s", end ? (int)(end - p - 1) : (int)strlen(p + 1),
			 p + 1);
		if (!buf[0])
			continue;
		fputs("<p class=\"sub\">", f);
		esc(f, buf);
		fputs("</p>\n", f);
	}
}

static void write_summary(FILE *f, const struct matrix *m)
{
	size_t i, j, count[4] = {0};
	const struct matrix_cell *c;

	if (m->families)
		fprintf(f,
			"<p class=\"knobs\">%zu row%s (a case in one address family) &#215; "
			"%zu combination%s",
			m->ncases, m->ncases == 1 ? "" : "s", m->ncombos,
			m->ncombos == 1 ? "" : "s");
	else
		fprintf(f, "<p class=\"knobs\">%zu case%s &#215; %zu combination%s", m->ncases,
			m->ncases == 1 ? "" : "s", m->ncombos, m->ncombos == 1 ? "" : "s");
	for (i = 0; i < m->nknobs; i++) {
		fputs(i ? "; " : " of ", f);
		fputs("<code>", f);
		esc(f, m->knobs[i].name);
		fputs("</code> = ", f);
		for (j = 0; j < m->knobs[i].nvalues; j++) {
			fputs(j ? ", " : "", f);
			esc(f, m->knobs[i].values[j]);
		}
	}
	if (!m->nknobs)
		fputs(", the cases as written", f);
	fputs(".</p>\n", f);

	for (i = 0; i < m->ncases; i++)
		for (j = 0; j < m->ncombos; j++)
			if ((c = matrix_cell(m, i, j)))
				count[cell_class(c)]++;
	fprintf(f,
		"<p class=\"legend\"><span class=\"c risk\">%zu risk (a label ending in !)</span>"
		"<span class=\"c ok\">%zu outcome or pass</span>"
		"<span class=\"c fail\">%zu FAIL</span>"
		"<span class=\"c grey\">%zu skip, inconclusive or error</span></p>\n",
		count[CELL_RISK], count[CELL_OK], count[CELL_FAIL], count[CELL_GREY]);
	fputs("</header>\n", f);
}

/* Knob k's short name, as matrix_combo_label writes it ("tw_reuse"). */
static void knob_short(FILE *f, const struct matrix *m, size_t k)
{
	const char *s = strrchr(m->knobs[k].name, '.');

	s = s ? s + 1 : m->knobs[k].name;
	if (strncmp(s, "tcp_", 4) == 0 && s[4])
		s += 4;
	esc(f, s);
}

static void write_table(FILE *f, const struct matrix *m)
{
	size_t i, j, k, stride, span;
	const struct matrix_cell *c;
	char label[512];

	fputs("<div class=\"scroll\">\n<table id=\"matrix\" class=\"matrix\">\n<thead>\n", f);
	if (!m->nknobs)
		fprintf(f,
			"<tr><th class=\"knob\" scope=\"col\">case</th>%s"
			"<th scope=\"col\">as written</th></tr>\n",
			m->families ? "<th class=\"knob\" scope=\"col\">family</th>" : "");
	for (k = 0; k < m->nknobs; k++) {
		stride = 1;
		for (i = k + 1; i < m->nknobs; i++)
			stride *= m->knobs[i].nvalues;
		span = stride;
		/* The knob's name spans the case and family columns. */
		fprintf(f, "<tr><th class=\"knob\" scope=\"row\"%s title=\"",
			m->families ? " colspan=\"2\"" : "");
		esc(f, m->knobs[k].name);
		fputs("\">", f);
		knob_short(f, m, k);
		fputs("</th>", f);
		for (j = 0; j < m->ncombos; j += span) {
			if (span > 1)
				fprintf(f, "<th colspan=\"%zu\" scope=\"colgroup\">", span);
			else
				fputs("<th scope=\"col\">", f);
			esc(f, matrix_value(m, j, k));
			fputs("</th>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</thead>\n<tbody>\n", f);
	for (i = 0; i < m->ncases; i++) {
		fputs("<tr><th scope=\"row\" class=\"case\" title=\"", f);
		esc(f, m->cases[i]);
		fputs("\">", f);
		esc(f, base_name(m->cases[i]));
		fputs("</th>", f);
		if (m->families) {
			fputs("<th scope=\"row\" class=\"family\">", f);
			esc(f, matrix_family(m, i));
			fputs("</th>", f);
		}
		for (j = 0; j < m->ncombos; j++) {
			c = matrix_cell(m, i, j);
			if (!c) {
				fputs("<td></td>", f);
				continue;
			}
			matrix_combo_label(m, j, label, sizeof(label));
			fprintf(f, "<td class=\"%s\"><a href=\"#cell-%zu-%zu\" title=\"",
				cell_class_name[cell_class(c)], i, j);
			esc(f, base_name(m->cases[i]));
			if (m->families) {
				fputs(", ", f);
				esc(f, matrix_family(m, i));
			}
			if (label[0]) {
				fputs(", ", f);
				esc(f, label);
			}
			fputs("\">", f);
			esc(f, c->text);
			fputs("</a></td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</div>\n", f);
}

static void write_cell(FILE *f, const struct matrix *m, size_t i, size_t j,
		       const struct matrix_cell *c)
{
	char label[512], sysctl[512];
	size_t k;

	matrix_combo_label(m, j, label, sizeof(label));
	fprintf(f, "<section class=\"cell\" id=\"cell-%zu-%zu\">\n<h3>", i, j);
	esc(f, base_name(m->cases[i]));
	if (m->families) {
		fputs(" &#183; ", f);
		esc(f, matrix_family(m, i));
	}
	if (label[0]) {
		fputs(" &#183; ", f);
		esc(f, label);
	}
	fputs("<a class=\"back\" href=\"#matrix\">&#8593; table</a></h3>\n", f);
	fprintf(f, "<p class=\"verdict\"><span class=\"c %s\">", cell_class_name[cell_class(c)]);
	esc(f, c->text);
	fputs("</span> <code>", f);
	esc(f, m->cases[i]);
	fputs("</code>", f);
	if (m->families) {
		fputs(" over <code>", f);
		esc(f, matrix_family(m, i));
		fputs("</code>", f);
	}
	for (k = 0; k < m->nknobs; k++) {
		matrix_combo_sysctl(m, j, k, sysctl, sizeof(sysctl));
		fputs(k ? " " : " with <code>", f);
		esc(f, sysctl);
	}
	if (m->nknobs)
		fputs("</code>", f);
	fputs("</p>\n", f);
	if (c->ret) {
		fputs("<pre class=\"reason\">", f);
		esc_lines(f, c->err.msg);
		fputs("</pre>\n", f);
	} else if (c->res.reason[0]) {
		fputs("<pre class=\"reason\">", f);
		esc_lines(f, c->res.reason);
		fputs("</pre>\n", f);
	}
	svg_ladder_write(f, &c->res.trace);
	fputs("</section>\n", f);
}

int report_html_write(FILE *f, const struct matrix *m, const char *title, struct tr_err *err)
{
	const struct matrix_cell *c;
	size_t i, j;

	if (!title || !*title)
		title = "tcprig matrix";
	write_head(f, title);
	write_summary(f, m);
	fputs("<main>\n", f);
	write_table(f, m);
	fputs("<h2>Cells</h2>\n", f);
	for (i = 0; i < m->ncases; i++)
		for (j = 0; j < m->ncombos; j++)
			if ((c = matrix_cell(m, i, j)))
				write_cell(f, m, i, j, c);
	fputs("</main>\n</body>\n</html>\n", f);
	if (fflush(f) || ferror(f)) {
		if (!errno)
			errno = EIO;
		return err_sys(err, "writing the HTML report");
	}
	return 0;
}
