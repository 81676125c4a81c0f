/* twtable.c - the TIME_WAIT matrix as a terminal table and as JSON (twtable.h). */
#include "report/twtable.h"

#include <string.h>

#include "report/twrfc.h"

#define TW_FLAGS_MAX 8

/* The cell at row r (kind x position) and column c (ts x rfc1337), or NULL
 * when it did not run; the cells are in tw_index order. */
static const struct tw_cell *tw_at(const struct tw_table *t, enum tw_family fam, size_t r,
				   size_t c)
{
	struct tw_params p = { fam, (enum tw_kind)(r / TW_POSITIONS),
			       (enum tw_pos)(r % TW_POSITIONS), (enum tw_ts)(c / TW_RFC1337S),
			       (int)(c % TW_RFC1337S) };
	size_t want = tw_index(&p);

	for (size_t i = 0; i < t->n; i++)
		if (tw_index(&t->cells[i].p) == want)
			return &t->cells[i];
	return NULL;
}

static bool tw_flagged(const struct tw_cell *c)
{
	const struct twrfc_rule *r[TW_FLAGS_MAX];

	return twrfc_check(c, r, TW_FLAGS_MAX) > 0;
}

static void tw_print_family(FILE *f, const struct tw_table *t, enum tw_family fam, bool colour)
{
	bool row_used[TW_ROWS] = { false }, col_used[TW_COLUMNS] = { false }, any = false;
	const int w = 15;
	size_t c_last;

	for (size_t r = 0; r < TW_ROWS; r++)
		for (size_t c = 0; c < TW_COLUMNS; c++)
			if (tw_at(t, fam, r, c))
				row_used[r] = col_used[c] = any = true;
	if (!any)
		return;
	for (c_last = TW_COLUMNS; c_last > 0 && !col_used[c_last - 1]; c_last--)
		;
	fprintf(f, "%-19s %-7s", tw_family_name(fam), "ts");
	for (size_t c = 0; c < TW_COLUMNS; c++)
		if (col_used[c])
			fprintf(f, "  %-*s", c + 1 < c_last ? w : 0,
				tw_ts_name((enum tw_ts)(c / TW_RFC1337S)));
	fprintf(f, "\n%-19s %-7s", "", "rfc1337");
	for (size_t c = 0; c < TW_COLUMNS; c++)
		if (col_used[c])
			fprintf(f, "  %-*zu", c + 1 < c_last ? w : 0, c % TW_RFC1337S);
	fprintf(f, "\n");
	for (size_t r = 0; r < TW_ROWS; r++) {
		if (!row_used[r])
			continue;
		fprintf(f, "%-8s %-18s", tw_kind_name((enum tw_kind)(r / TW_POSITIONS)),
			tw_pos_name((enum tw_pos)(r % TW_POSITIONS)));
		for (size_t c = 0; c < TW_COLUMNS; c++) {
			const struct tw_cell *cell = tw_at(t, fam, r, c);
			char text[40];
			bool flag;

			if (!col_used[c])
				continue;
			flag = cell && tw_flagged(cell);
			snprintf(text, sizeof(text), "%s%s", cell ? cell->text : "-", flag ? " !" : "");
			/* No padding after the last column: no trailing blanks. */
			fprintf(f, "  %s%-*s%s", colour && flag ? "\033[1;31m" : "",
				c + 1 < c_last ? w : 0, text,
				colour && flag ? "\033[0m" : "");
		}
		fprintf(f, "\n");
	}
}

/* Each contradicted statement and its cells. */
static void tw_print_flags(FILE *f, const struct tw_table *t)
{
	size_t nrules, limited = 0;
	const struct twrfc_rule *rules = twrfc_rules(&nrules);

	for (size_t k = 0; k < nrules; k++) {
		size_t n = 0;

		for (size_t i = 0; i < t->n; i++) {
			const struct twrfc_rule *r[TW_FLAGS_MAX];
			size_t m = twrfc_check(&t->cells[i], r, TW_FLAGS_MAX);
			const struct tw_cell *c = &t->cells[i];

			for (size_t j = 0; j < m; j++) {
				if (r[j] != &rules[k])
					continue;
				if (!n++)
					fprintf(f, "! %s%s%s: %s\n", rules[k].rfc,
						*rules[k].section ? " " : "", rules[k].section,
						rules[k].says);
				fprintf(f, "    %s %s %s %s rfc1337=%d: %s\n",
					tw_family_name(c->p.family), tw_kind_name(c->p.kind),
					tw_pos_name(c->p.pos), tw_ts_name(c->p.ts), c->p.rfc1337,
					c->text);
			}
		}
	}
	for (size_t i = 0; i < t->n; i++)
		limited += twrfc_ratelimit(&t->cells[i]) != NULL;
	if (limited)
		fprintf(f, "rate limit: the %zu dup-ack and chal-ack cells depend on "
			   "net.ipv4.tcp_invalid_ratelimit (one ACK per TIME_WAIT socket per "
			   "its value in ms; each cell's socket answers once)\n",
			limited);
}

void tw_table_print(FILE *f, const struct tw_table *t, bool colour)
{
	if (t->title)
		fprintf(f, "%s\n", t->title);
	for (int fam = 0; fam < TW_FAMILIES; fam++)
		tw_print_family(f, t, (enum tw_family)fam, colour);
	fprintf(f, "cells: the first reply in %d ms (silent, dup-ack: ACK of rcv_nxt, "
		   "chal-ack: that ACK to an RST or SYN,\nack-other, rst, syn-ack, other) and the "
		   "TIME_WAIT socket after it (kept, gone, new: a new connection);\n'!' "
		   "contradicts an RFC statement below; FAIL, inconclusive, error: not observed.\n",
		100);
	tw_print_flags(f, t);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void tw_json_cell(FILE *f, const struct tw_table *t, size_t i)
{
	const struct tw_cell *c = &t->cells[i];
	const struct twrfc_rule *r[TW_FLAGS_MAX];
	size_t nf = twrfc_check(c, r, TW_FLAGS_MAX);
	const char *limit = twrfc_ratelimit(c);

	fprintf(f, "    {\"family\": ");
	json_str(f, tw_family_name(c->p.family));
	fprintf(f, ", \"kind\": ");
	json_str(f, tw_kind_name(c->p.kind));
	fprintf(f, ", \"position\": ");
	json_str(f, tw_pos_name(c->p.pos));
	fprintf(f, ", \"seq_offset\": %lld, \"ts\": ",
		(long long)tw_pos_offset(c->p.pos, t->window));
	json_str(f, tw_ts_name(c->p.ts));
	fprintf(f, ", \"rfc1337\": %d, \"verdict\": ", c->p.rfc1337);
	json_str(f, c->ret ? "ERROR" : run_verdict_name(c->res.verdict));
	fprintf(f, ", \"reply\": ");
	if (c->observed)
		json_str(f, tw_reply_name(c->reply));
	else
		fprintf(f, "null");
	fprintf(f, ", \"reply_segment\": ");
	json_str(f, c->reply_text);
	fprintf(f, ", \"replies\": %u, \"state\": ", c->nreplies);
	if (c->observed)
		json_str(f, tw_state_name(c->state));
	else
		fprintf(f, "null");
	fprintf(f, ", \"outcome\": ");
	json_str(f, c->text);
	fprintf(f, ", \"ratelimit\": ");
	if (limit)
		json_str(f, limit);
	else
		fprintf(f, "null");
	fprintf(f, ", \"flags\": [");
	for (size_t k = 0; k < nf; k++) {
		fprintf(f, "%s{\"rfc\": ", k ? ", " : "");
		json_str(f, r[k]->rfc);
		fprintf(f, ", \"section\": ");
		json_str(f, r[k]->section);
		fprintf(f, ", \"says\": ");
		json_str(f, r[k]->says);
		fprintf(f, "}");
	}
	fprintf(f, "], \"pcap\": ");
	if (t->pcaps && t->pcaps[i])
		json_str(f, t->pcaps[i]);
	else
		fprintf(f, "null");
	if (!c->observed) {
		fprintf(f, ", \"reason\": ");
		json_str(f, c->ret ? c->err.msg : c->res.reason);
	}
	fprintf(f, "}%s\n", i + 1 < t->n ? "," : "");
}

int tw_table_json(FILE *f, const struct tw_table *t, struct tr_err *err)
{
	fprintf(f, "{\"events\": \"timewait\", \"window\": %u, \"cells\": [\n", t->window);
	for (size_t i = 0; i < t->n; i++)
		tw_json_cell(f, t, i);
	fprintf(f, "]}\n");
	if (fflush(f) || ferror(f))
		return err_sys(err, "--json");
	return 0;
}
