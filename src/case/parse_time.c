/* parse_time.c - the time at the start of an event line: *, 0.1, +0.1,
 * ranges (0.1~0.2, +0~+0.2) and a call's end time (+0.1...0.2), then
 * resolved against the previous event's time.
 */
#include "case/parse_time.h"

#include <stdio.h>


/* Far beyond any test; resolved times stay below it, so that adding a
 * relative time to the previous one can never overflow. */
#define CASE_TIME_MAX_US 1000000000000000LL /* 10^9 seconds */

static void case_time_fmt(int64_t us, char *buf, size_t cap)
{
	size_t n;

	n = (size_t)snprintf(buf, cap, "%lld.%06lld", (long long)(us / 1000000),
			     (long long)(us % 1000000));
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

/* Seconds with an optional fraction, to microseconds; digits past the
 * sixth decimal are dropped, as packetdrill's float conversion drops them. */
static int case_time_value(struct case_ctx *c, const struct lex_token *t, int64_t *us)
{
	int64_t sec = 0, frac = 0;
	size_t i = 0, digits = 0;
	char b[200];

	if (t->kind != LEX_INT && t->kind != LEX_DEC)
		return case_unexpected(c, t, "a time in seconds");
	for (; i < t->len && t->text[i] != '.'; i++) {
		if (t->text[i] < '0' || t->text[i] > '9')
			return case_unexpected(c, t, "a time in seconds");
		sec = sec * 10 + (t->text[i] - '0');
		if (sec > CASE_TIME_MAX_US / 1000000)
			return case_err(c, t->col, "time %s is out of range",
					case_tok_str(c, t, b, sizeof(b)));
	}
	for (i++; i < t->len; i++, digits++)
		if (digits < 6)
			frac = frac * 10 + (t->text[i] - '0');
	for (; digits < 6; digits++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return 0;
}

/* A number, optionally after '+': absolute unless the '+' is there. */
static int case_time_point(struct case_ctx *c, bool *rel, int64_t *us)
{
	struct lex_token t;

	lex_next(&c->lx, &t);
	*rel = lex_is(&t, '+');
	if (*rel)
		lex_next(&c->lx, &t);
	return case_time_value(c, &t, us);
}

/* *, 0.1, +0.1, 0.1~0.2, +0~+0.2, and a call's end time: +0.1...0.2 */
int case_time(struct case_ctx *c, struct case_time *tm)
{
	struct lex_token t;
	bool rel, rel2;
	char b1[32], b2[32];
	int col = lex_col(&c->lx), col2;

	lex_peek(&c->lx, &t);
	if (lex_is(&t, '*')) {
		lex_next(&c->lx, &t);
		tm->kind = CASE_TIME_ANY;
		return 0;
	}
	if (case_time_point(c, &rel, &tm->us))
		return -1;
	tm->kind = rel ? CASE_TIME_REL : CASE_TIME_ABS;
	lex_peek(&c->lx, &t);
	if (lex_is(&t, '~')) {
		lex_next(&c->lx, &t);
		col2 = lex_col(&c->lx);
		if (case_time_point(c, &rel2, &tm->range_us))
			return -1;
		if (rel2 != rel)
			return case_err(
			    c, col2,
			    "a time range is either absolute (0.1~0.2) or relative (+0~+0.2)");
		if (tm->range_us < tm->us)
			return case_err(c, col, "the time range ends before it starts");
		tm->range = true;
	} else if (t.kind == LEX_ELLIPSIS) {
		lex_next(&c->lx, &t);
		col2 = lex_col(&c->lx);
		lex_peek(&c->lx, &t);
		if (lex_is(&t, '+'))
			return case_err(c, col2, "the end time after '...' takes no '+'");
		if (case_time_point(c, &rel2, &tm->end_us))
			return -1;
		if (tm->end_us < tm->us) {
			case_time_fmt(tm->end_us, b1, sizeof(b1));
			case_time_fmt(tm->us, b2, sizeof(b2));
			return case_err(c, col2, "the call ends at %s, before it starts at %s", b1,
					b2);
		}
		tm->blocking = true;
	}
	return 0;
}

/* What depends on the kind of event and on the events before it. */
int case_time_resolve(struct case_ctx *c, struct case_event *ev, int col)
{
	struct case_parser *p = c->p;
	struct case_time *tm = &ev->time;
	int64_t base = p->timed ? p->last_us : 0;
	char b1[32], b2[32];

	if (p->cleanup_line)
		return case_err(c, 1, "nothing may follow the cleanup command on line %d",
				p->cleanup_line);
	if (tm->kind == CASE_TIME_NONE) {
		if (p->timed) {
			ev->u.shell.cleanup = true;
			p->cleanup_line = p->line;
		}
		return 0;
	}
	/* A quiet period without an end could never pass. */
	if (ev->kind == CASE_EV_QUIET && !tm->range)
		return case_err(c, col,
				"'> nothing' needs a time range a~b: the window in which "
				"nothing may come from the target");
	if (ev->kind == CASE_EV_OBSERVE && !tm->range)
		return case_err(c, col,
				"'> any' needs a time range a~b: the window whose segments it "
				"records");
	if (tm->kind == CASE_TIME_ANY && ev->kind != CASE_EV_EXPECT)
		return case_err(c, col, "'*' (any time) is allowed only on '>' lines");
	if (tm->range && ev->kind != CASE_EV_EXPECT && ev->kind != CASE_EV_QUIET &&
	    ev->kind != CASE_EV_OBSERVE)
		return case_err(c, col, "a time range is allowed only on '>' lines");
	if (tm->blocking && ev->kind != CASE_EV_CALL)
		return case_err(c, col,
				"an end time (start...end) is allowed only on socket calls");
	/* `+0` first is time 0 too (packetdrill's scripts write it). */
	if (!p->timed && ((tm->kind != CASE_TIME_ABS && tm->kind != CASE_TIME_REL) || tm->us != 0))
		return case_err(c, col, "the first event must be at time 0 (0 or +0)");

	switch (tm->kind) {
	case CASE_TIME_NONE:
	case CASE_TIME_ANY:
		return 0;
	case CASE_TIME_ABS:
		base = 0;
		break;
	case CASE_TIME_REL:
		break;
	}
	tm->at_us = base + tm->us;
	tm->until_us = tm->at_us;
	if (tm->range)
		tm->until_us = base + tm->range_us;
	if (tm->blocking)
		tm->until_us = base + tm->end_us;
	if (tm->until_us > CASE_TIME_MAX_US)
		return case_err(c, col, "time is out of range");
	if (p->timed && tm->at_us < p->last_us) {
		case_time_fmt(tm->at_us, b1, sizeof(b1));
		case_time_fmt(p->last_us, b2, sizeof(b2));
		return case_err(c, col, "time %s goes back before the previous event at %s", b1,
				b2);
	}
	p->last_us = tm->at_us;
	p->timed = true;
	return 0;
}
