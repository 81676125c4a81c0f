/* twhtml.c - the TIME_WAIT matrix as one self-contained HTML page
 * (twtable.h): the table, then a section per cell with its pcap and ladder. */
#include "report/twtable.h"

#include "report/svg.h"
#include "report/twrfc.h"

#define esc(f, s) svg_ladder_escape((f), (s), 0)
#define TW_FLAGS_MAX 8

static const char tw_css[] =
    "body{font-family:system-ui,sans-serif;margin:20px 24px;color:#1d2329}\n"
    "table{border-collapse:collapse}\n"
    "th,td{border:1px solid #c3cad1;padding:3px 8px;white-space:nowrap}\n"
    "thead th{background:#eef1f4}\n"
    "tbody th{text-align:left;font-weight:normal;background:#f7f8fa}\n"
    "td a{color:inherit;text-decoration:none;display:block}\n"
    ".flag{background:#f6c1bb;color:#7a1010;font-weight:600}\n"
    ".kept{background:#cdebd3}.gone{background:#fbe3b0}.new{background:#cfe0f6}\n"
    ".grey{background:#e3e6e9}\n"
    "section{margin:14px 0;padding:8px 12px;border:1px solid #d5dae0}\n"
    "section:target{border-color:#1f5f9e}\n"
    "code{font-family:monospace}\n"
    "svg.ladder{max-width:100%;height:auto;display:block}\n";

static const char *tw_class(const struct tw_cell *c, bool flag)
{
	if (flag)
		return "flag";
	if (!c->observed)
		return "grey";
	return c->state == TW_KEPT ? "kept" : c->state == TW_GONE ? "gone" : "new";
}

static void tw_html_table(FILE *f, const struct tw_table *t)
{
	fprintf(f, "<table><thead><tr><th>family</th><th>segment</th><th>position</th>");
	for (size_t c = 0; c < TW_COLUMNS; c++)
		fprintf(f, "<th>ts %s, rfc1337=%zu</th>", tw_ts_name((enum tw_ts)(c / TW_RFC1337S)),
			c % TW_RFC1337S);
	fprintf(f, "</tr></thead>\n<tbody>\n");
	/* Cells come in tw_index order: a row is TW_COLUMNS consecutive ones
	 * of the same family, kind and position (some may be missing). */
	for (size_t i = 0; i < t->n;) {
		const struct tw_params *row = &t->cells[i].p;

		fprintf(f, "<tr><th>%s</th><th>%s</th><th>%s</th>", tw_family_name(row->family),
			tw_kind_name(row->kind), tw_pos_name(row->pos));
		for (size_t c = 0; c < TW_COLUMNS; c++) {
			const struct tw_cell *cell = i < t->n ? &t->cells[i] : NULL;
			const struct twrfc_rule *r[TW_FLAGS_MAX];
			char name[96];

			if (!cell || cell->p.family != row->family || cell->p.kind != row->kind ||
			    cell->p.pos != row->pos ||
			    (size_t)cell->p.ts * TW_RFC1337S + (size_t)cell->p.rfc1337 != c) {
				fprintf(f, "<td>-</td>");
				continue;
			}
			tw_cell_name(&cell->p, name, sizeof(name));
			fprintf(f, "<td class=\"%s\"><a href=\"#%s\">",
				tw_class(cell, twrfc_check(cell, r, TW_FLAGS_MAX) > 0), name);
			esc(f, cell->text);
			fprintf(f, "</a></td>");
			i++;
		}
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</tbody></table>\n");
}

static void tw_html_cell(FILE *f, const struct tw_table *t, size_t i)
{
	const struct tw_cell *c = &t->cells[i];
	const struct twrfc_rule *r[TW_FLAGS_MAX];
	size_t nf = twrfc_check(c, r, TW_FLAGS_MAX);
	const char *limit = twrfc_ratelimit(c);
	char name[96];

	tw_cell_name(&c->p, name, sizeof(name));
	fprintf(f, "<section id=\"%s\"><h3>%s %s at %s, TS %s, tcp_rfc1337=%d: ", name,
		tw_family_name(c->p.family), tw_kind_name(c->p.kind), tw_pos_name(c->p.pos),
		tw_ts_name(c->p.ts), c->p.rfc1337);
	esc(f, c->text);
	fprintf(f, "</h3>\n");
	if (c->observed) {
		fprintf(f, "<p>reply: <code>");
		esc(f, c->reply_text[0] ? c->reply_text : "(nothing)");
		fprintf(f, "</code>%s</p>\n", c->nreplies > 1 ? " (and more)" : "");
	} else {
		fprintf(f, "<pre>");
		esc(f, c->ret ? c->err.msg : c->res.reason);
		fprintf(f, "</pre>\n");
	}
	for (size_t k = 0; k < nf; k++) {
		fprintf(f, "<p class=\"flag\">contradicts %s%s%s: ", r[k]->rfc,
			*r[k]->section ? " " : "", r[k]->section);
		esc(f, r[k]->says);
		fprintf(f, "</p>\n");
	}
	if (limit)
		fprintf(f, "<p>rate-limited by <code>%s</code></p>\n", limit);
	if (t->pcaps && t->pcaps[i]) {
		fprintf(f, "<p><a href=\"");
		esc(f, t->pcaps[i]);
		fprintf(f, "\">pcap</a></p>\n");
	}
	svg_ladder_write(f, &c->res.trace);
	fprintf(f, "<p><a href=\"#top\">back to the table</a></p></section>\n");
}

int tw_table_html(FILE *f, const struct tw_table *t, struct tr_err *err)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
		   "<title>tcprig TIME_WAIT matrix</title><style>\n%s</style></head>\n"
		   "<body><h1 id=\"top\">",
		tw_css);
	esc(f, t->title ? t->title : "tcprig matrix --events timewait");
	fprintf(f, "</h1>\n<p>Each cell: the target's first reply to the rig's one segment "
		   "and the TIME_WAIT socket after it. Red: contradicts an RFC statement "
		   "(see the cell).</p>\n");
	tw_html_table(f, t);
	for (size_t i = 0; i < t->n; i++)
		tw_html_cell(f, t, i);
	fprintf(f, "</body></html>\n");
	if (fflush(f) || ferror(f))
		return err_sys(err, "--html");
	return 0;
}
