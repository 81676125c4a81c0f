/* parse_outcome.c - outcome labels (`=> label`) and the `|` lines that give
 * a `>` line or a call its alternatives; see case.h for the language. */
#include "case/parse_outcome.h"

#include <stdlib.h>
#include <string.h>

#include "case/event.h"
#include "case/parse_call.h"
#include "case/parse_packet.h"

/* ---- outcome labels ---- */

#define CASE_LABEL_MAX 24

static bool case_label_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

/* A label's length without the '!' that marks a risk: "rst!" and "rst"
 * name the same outcome. */
static size_t case_label_len(const char *label)
{
	size_t n = strlen(label);

	return n > 0 && label[n - 1] == '!' ? n - 1 : n;
}

/* `=> label` at the end of the statement just parsed, if there is one;
 * *col is where the label starts. */
int case_outcome(struct case_ctx *c, struct case_event *ev, int *col)
{
	struct lex_token t;
	size_t n;
	char b[200];

	lex_peek(&c->lx, &t);
	if (!t.outcome)
		return 0;
	c->lx.pos += 2;
	lex_run(&c->lx, &t);
	if (t.kind == LEX_END)
		return case_unexpected(c, &t, "an outcome label after '=>'");
	n = t.len > 1 && t.text[t.len - 1] == '!' ? t.len - 1 : t.len;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)t.text[i];

		if (case_label_char((char)ch))
			continue;
		if (ch > 0x20 && ch < 0x7f)
			return case_err(c, t.col + (int)i,
					"bad character '%c' in outcome label %s (a label is "
					"[A-Za-z0-9_-], '!' at its end marks a risk)",
					ch, case_tok_str(c, &t, b, sizeof(b)));
		return case_err(c, t.col + (int)i,
				"bad character '\\x%02x' in outcome label %s (a label is "
				"[A-Za-z0-9_-], '!' at its end marks a risk)",
				ch, case_tok_str(c, &t, b, sizeof(b)));
	}
	if (n > CASE_LABEL_MAX)
		return case_err(c, t.col, "outcome label %s is longer than %d characters",
				case_tok_str(c, &t, b, sizeof(b)), CASE_LABEL_MAX);
	ev->outcome = case_strndup(t.text, t.len);
	if (!ev->outcome)
		return case_oom(c->err);
	if (col)
		*col = t.col;
	lex_peek(&c->lx, &t);
	if (t.kind == LEX_WORD && lex_text_is(&t, "end")) {
		lex_next(&c->lx, &t);
		ev->ends = true;
		lex_peek(&c->lx, &t);
	}
	if (t.outcome)
		return case_err(c, t.col, "a line names one outcome, not two");
	return case_expect_end(c);
}

/* An '=>' that no statement took: on a '<' line, a backtick command, an
 * option line or a line with nothing else. */
int case_outcome_misplaced(struct case_ctx *c)
{
	struct lex_token t;

	lex_peek(&c->lx, &t);
	if (!t.outcome)
		return 0;
	return case_err(c, t.col,
			"an outcome label ('=> label') ends only a '>' line, a '> nothing' "
			"line or a socket call");
}

/* ---- alternatives: `| ...` lines ---- */

/* head is the last event: a timed '>' line or call takes alternatives. */
static int case_alt_head(struct case_ctx *c, const struct case_event *head, int col)
{
	const char *what = "a '<' line";

	if (!head)
		return case_err(c, col,
				"'|' adds an alternative to the '>' line or socket call before it, "
				"but there is none");
	switch (head->kind) {
	case CASE_EV_EXPECT:
	case CASE_EV_QUIET:
	case CASE_EV_CALL:
		return 0;
	case CASE_EV_INJECT:
		break;
	case CASE_EV_ICMP:
		what = "an icmp line";
		break;
	case CASE_EV_CODE:
		what = "a %{ }% block";
		break;
	case CASE_EV_OBSERVE:
		what = "a '> any' line";
		break;
	case CASE_EV_SHELL:
		what = head->time.kind == CASE_TIME_NONE ? "an untimed backtick command"
							 : "a backtick command";
		break;
	}
	return case_err(c, col,
			"'|' adds an alternative to the '>' line or socket call before it; "
			"line %d is %s",
			head->line, what);
}

/* '>' after a '>' or '> nothing' head; after a call, a call of its name. */
static int case_alt_family(struct case_ctx *c, const struct case_event *head,
			   const struct lex_token *t)
{
	const char *name = head->u.call.name;
	char b[200];

	if (head->kind != CASE_EV_CALL) {
		if (lex_is(t, '>'))
			return 0;
		return case_err(c, t->col,
				"an alternative to a '>' line is another '>' line or '> nothing', "
				"not %s",
				case_tok_str(c, t, b, sizeof(b)));
	}
	if (t->kind == LEX_WORD && lex_text_is(t, name))
		return 0;
	return case_err(c, t->col, "an alternative to a %s() call is another %s() call, not %s",
			name, name, case_tok_str(c, t, b, sizeof(b)));
}

/* What the group as a whole must hold once alt joins it; col is where alt's
 * statement starts, label_col where its label does. */
static int case_alt_check(struct case_ctx *c, const struct case_event *head,
			  const struct case_event *alt, int col, int label_col)
{
	size_t n;

	if (alt->kind == CASE_EV_OBSERVE)
		return case_err(c, col,
				"'> any' records whatever comes: it takes no outcome label and is "
				"no alternative");
	if (alt->kind == CASE_EV_QUIET) {
		if (head->kind == CASE_EV_QUIET)
			return case_err(c, col,
					"a group has one '> nothing' at most; line %d is one",
					head->line);
		for (size_t i = 0; i < head->nalts; i++)
			if (head->alts[i].kind == CASE_EV_QUIET)
				return case_err(
				    c, col, "a group has one '> nothing' at most; line %d is one",
				    head->alts[i].line);
		/* The window is the head's: a quiet period needs an end. */
		if (!head->time.range)
			return case_err(c, col,
					"a '> nothing' alternative needs a window: write line %d's "
					"time as a~b",
					head->line);
	}
	if (!alt->outcome)
		return case_err(c, (int)c->lx.last_end + 1,
				"an alternative needs an outcome label: '=> label'");
	n = case_label_len(alt->outcome);
	for (size_t i = 0; i <= head->nalts; i++) {
		const struct case_event *m = i ? &head->alts[i - 1] : head;

		if (case_label_len(m->outcome) == n && !memcmp(m->outcome, alt->outcome, n))
			return case_err(c, label_col,
					"outcome '%.*s' is already line %d's: the lines of a group "
					"name different outcomes",
					(int)n, alt->outcome, m->line);
	}
	return 0;
}

static int case_alt_add(struct case_ctx *c, struct case_event *head, struct case_event *alt)
{
	struct case_event *a = realloc(head->alts, (head->nalts + 1) * sizeof(*a));

	if (!a)
		return case_oom(c->err);
	head->alts = a;
	head->alts[head->nalts++] = *alt;
	memset(alt, 0, sizeof(*alt));
	return 0;
}

/* | statement [=> label]: another outcome of the last event, at its time.
 * The timeline's clock does not move. */
int case_alt_line(struct case_ctx *c)
{
	struct case_parser *p = c->p;
	struct case_script *s = &p->script;
	struct case_event *head = s->nevents ? &s->events[s->nevents - 1] : NULL, alt = {0};
	struct lex_token bar, t;
	int label_col = 0, rc;

	lex_next(&c->lx, &bar);
	if (case_alt_head(c, head, bar.col))
		return -1;
	if (!head->outcome)
		return case_err_at(c->err, p->path, head->line, p->head_end_col, head->text,
				   strlen(head->text),
				   "line %d is an alternative to this line, so this line needs an "
				   "outcome label too: '=> label'",
				   p->line);
	lex_peek(&c->lx, &t);
	if (t.kind == LEX_INT || t.kind == LEX_DEC || lex_is(&t, '+') || lex_is(&t, '*'))
		return case_err(c, t.col,
				"an alternative has no time of its own: it takes line %d's",
				head->line);
	if (case_alt_family(c, head, &t))
		return -1;

	alt.line = p->line;
	alt.text = case_strndup(c->line, c->len);
	if (!alt.text)
		return case_oom(c->err);
	alt.time = head->time;
	rc = head->kind == CASE_EV_CALL ? case_call(c, &alt) : case_packet(c, &alt);
	rc = rc || case_outcome(c, &alt, &label_col) ||
	     case_alt_check(c, head, &alt, t.col, label_col) || case_alt_add(c, head, &alt);
	case_event_clear(&alt);
	return rc ? -1 : 0;
}

