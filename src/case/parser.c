/* parser.c - case lines to timeline events; see case.h for the language.
 *
 * One statement per line, parsed by recursive descent over the lexer's
 * tokens. Whatever must survive from one line to the next (an open comment
 * or backtick command, the time of the previous event) lives in struct
 * case_parser, so that parsers never share state.
 */
#include "case.h"
#include "lexer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Far beyond any test; resolved times stay below it, so that adding a
 * relative time to the previous one can never overflow. */
#define CASE_TIME_MAX_US 1000000000000000LL /* 10^9 seconds */
/* Nesting deep enough for any struct a socket call takes. */
#define CASE_EXPR_DEPTH 16
/* Enough of a long line to show where the error is. */
#define CASE_SHOW_MAX 400
#define CASE_WSCALE_RFC 14

/* The line being parsed. */
struct case_ctx {
	struct case_parser *p;
	const char *line;
	size_t len;
	struct lexer lx;
	struct tr_err *err;
};

static int case_oom(struct tr_err *err)
{
	errno = ENOMEM;
	return err_sys(err, "case parser");
}

static char *case_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Appends n bytes to a NUL-terminated heap string of length *len. */
static int case_append(char **s, size_t *len, const char *add, size_t n)
{
	char *d = realloc(*s, *len + n + 1);

	if (!d)
		return -1;
	memcpy(d + *len, add, n);
	*len += n;
	d[*len] = '\0';
	*s = d;
	return 0;
}

/* "path:line:col: message", the line, a caret under the column. Control
 * characters would garble a terminal, so they show as '?'; tabs are kept
 * in the line and copied under it, so the caret lines up either way. */
static void case_vformat(char *out, size_t cap, const char *path, int line, int col,
			 const char *text, size_t len, const char *kind, const char *fmt,
			 va_list ap)
{
	char msg[512], shown[CASE_SHOW_MAX + 1], pad[CASE_SHOW_MAX + 1];
	size_t n = len < CASE_SHOW_MAX ? len : CASE_SHOW_MAX, i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (col < 1)
		col = 1;
	if ((size_t)col > len + 1)
		col = (int)len + 1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];

		shown[i] = (ch < 0x20 && ch != '\t') || ch == 0x7f ? '?' : (char)ch;
	}
	shown[n] = '\0';
	for (i = 0; i + 1 < (size_t)col && i < n; i++)
		pad[i] = text[i] == '\t' ? '\t' : ' ';
	pad[i] = '\0';
	snprintf(out, cap, "%s:%d:%d: %s%s\n%s\n%s^", path, line, col, kind, msg, shown, pad);
}

static int case_verr(struct tr_err *err, const char *path, int line, int col, const char *text,
		     size_t len, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	case_vformat(err->msg, sizeof(err->msg), path, line, col, text, len, "", fmt, ap);
	err->status = TR_USAGE;
	return -1;
}

static int case_err_at(struct tr_err *err, const char *path, int line, int col, const char *text,
		       size_t len, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static int case_err_at(struct tr_err *err, const char *path, int line, int col, const char *text,
		       size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	case_verr(err, path, line, col, text, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int case_err(struct case_ctx *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int case_err(struct case_ctx *c, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	case_verr(c->err, c->p->path, c->p->line, col, c->line, c->len, fmt, ap);
	va_end(ap);
	return -1;
}

static int case_warn(struct case_ctx *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int case_warn(struct case_ctx *c, int col, const char *fmt, ...)
{
	struct case_script *s = &c->p->script;
	char buf[1024], **w;
	va_list ap;

	va_start(ap, fmt);
	case_vformat(buf, sizeof(buf), c->p->path, c->p->line, col, c->line, c->len,
		     "warning: ", fmt, ap);
	va_end(ap);
	w = realloc(s->warnings, (s->nwarnings + 1) * sizeof(*w));
	if (!w)
		return case_oom(c->err);
	s->warnings = w;
	w[s->nwarnings] = strdup(buf);
	if (!w[s->nwarnings])
		return case_oom(c->err);
	s->nwarnings++;
	return 0;
}

/* A token as the script wrote it, quoted, for messages. */
static const char *case_tok_str(const struct case_ctx *c, const struct lex_token *t, char *buf,
				size_t cap)
{
	size_t start = (size_t)t->col - 1, n = t->end - start, i, k = 0;

	if (t->kind == LEX_END)
		return "the end of the line";
	if (n > 40)
		n = 40;
	buf[k++] = '\'';
	for (i = 0; i < n && k + 6 < cap; i++) {
		unsigned char ch = (unsigned char)c->line[start + i];

		if (ch < 0x20 || ch >= 0x7f)
			k += (size_t)snprintf(buf + k, cap - k, "\\x%02x", ch);
		else
			buf[k++] = (char)ch;
	}
	if (n < t->end - start && k + 4 < cap) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k++] = '\'';
	buf[k] = '\0';
	return buf;
}

static int case_unexpected(struct case_ctx *c, const struct lex_token *t, const char *wanted)
{
	char b[200];

	if (t->kind == LEX_ERROR)
		return case_err(c, t->col, "%s", t->msg);
	return case_err(c, t->col, "expected %s, got %s", wanted, case_tok_str(c, t, b, sizeof(b)));
}

static int case_expect(struct case_ctx *c, char punct, const char *wanted)
{
	struct lex_token t;

	lex_next(&c->lx, &t);
	if (!lex_is(&t, punct))
		return case_unexpected(c, &t, wanted);
	return 0;
}

static int case_expect_end(struct case_ctx *c)
{
	struct lex_token t;
	char b[200];

	lex_next(&c->lx, &t);
	if (t.kind == LEX_END)
		return 0;
	if (t.kind == LEX_ERROR)
		return case_err(c, t.col, "%s", t.msg);
	return case_err(c, t.col, "unexpected %s at the end of the line",
			case_tok_str(c, &t, b, sizeof(b)));
}

/* An unsigned number no larger than max; what names it in messages. */
static int case_uint(struct case_ctx *c, uint64_t max, const char *what, uint64_t *v)
{
	struct lex_token t;
	char b[200];

	lex_next(&c->lx, &t);
	if (t.kind != LEX_INT) {
		char wanted[64];

		snprintf(wanted, sizeof(wanted), "a number (%s)", what);
		return case_unexpected(c, &t, wanted);
	}
	if (t.overflow || t.num > max)
		return case_err(c, t.col, "%s %s is out of range (0..%llu)", what,
				case_tok_str(c, &t, b, sizeof(b)), (unsigned long long)max);
	*v = t.num;
	return 0;
}

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

/* ---- socket-call arguments ---- */

static void case_expr_clear(struct case_expr *e)
{
	for (size_t i = 0; i < e->nkids; i++)
		case_expr_clear(&e->kids[i]);
	free(e->kids);
	free(e->text);
	free(e->field);
	memset(e, 0, sizeof(*e));
}

/* A zeroed new last kid, so that an error halfway leaves e freeable. */
static struct case_expr *case_expr_add(struct case_ctx *c, struct case_expr *e)
{
	struct case_expr *k = realloc(e->kids, (e->nkids + 1) * sizeof(*k));

	if (!k) {
		case_oom(c->err);
		return NULL;
	}
	e->kids = k;
	memset(&k[e->nkids], 0, sizeof(*k));
	return &k[e->nkids++];
}

static int case_expr(struct case_ctx *c, struct case_expr *e, int depth);

/* Items up to the closing punctuation; named: {field=value, ...}. */
static int case_expr_items(struct case_ctx *c, struct case_expr *e, char close, bool named,
			   int depth)
{
	struct lex_token t, t2;
	char wanted[32];

	lex_peek(&c->lx, &t);
	if (lex_is(&t, close)) {
		lex_next(&c->lx, &t);
		return 0;
	}
	snprintf(wanted, sizeof(wanted), "',' or '%c'", close);
	for (;;) {
		struct case_expr *k = case_expr_add(c, e);
		struct lexer ahead = c->lx;

		if (!k)
			return -1;
		lex_next(&ahead, &t);
		lex_next(&ahead, &t2);
		if (named && t.kind == LEX_WORD && lex_is(&t2, '=')) {
			k->field = case_strndup(t.text, t.len);
			if (!k->field)
				return case_oom(c->err);
			c->lx = ahead;
		}
		if (case_expr(c, k, depth + 1))
			return -1;
		lex_next(&c->lx, &t);
		if (lex_is(&t, close))
			return 0;
		if (!lex_is(&t, ','))
			return case_unexpected(c, &t, wanted);
	}
}

static char *case_unescape(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	size_t k = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 1 < n) {
			ch = s[++i];
			if (ch == 'n')
				ch = '\n';
			else if (ch == 't')
				ch = '\t';
		}
		d[k++] = ch;
	}
	d[k] = '\0';
	return d;
}

/* htons() and inet_addr(), which sockaddr structs in upstream scripts use. */
static int case_expr_func(struct case_ctx *c, struct case_expr *e, const struct lex_token *name,
			  int depth)
{
	struct in_addr a;
	char b[200];

	e->kind = CASE_EXPR_CALL;
	e->text = case_strndup(name->text, name->len);
	if (!e->text)
		return case_oom(c->err);
	if (case_expect(c, '(', "'('") || case_expr_items(c, e, ')', false, depth))
		return -1;
	if (!strcmp(e->text, "htons")) {
		if (e->nkids != 1 || e->kids[0].kind != CASE_EXPR_INT || e->kids[0].num < 0 ||
		    e->kids[0].num > 0xffff)
			return case_err(c, name->col, "htons() takes one number 0..65535");
		e->num = e->kids[0].num;
		return 0;
	}
	if (!strcmp(e->text, "inet_addr")) {
		if (e->nkids != 1 || e->kids[0].kind != CASE_EXPR_STRING ||
		    inet_pton(AF_INET, e->kids[0].text, &a) != 1)
			return case_err(c, name->col,
					"inet_addr() takes one IPv4 address in quotes");
		e->num = ntohl(a.s_addr);
		return 0;
	}
	return case_err(c, name->col, "unknown function %s", case_tok_str(c, name, b, sizeof(b)));
}

static int case_expr_primary(struct case_ctx *c, struct case_expr *e, int depth)
{
	struct lex_token t, n;
	char b[200];

	lex_next(&c->lx, &t);
	e->col = t.col;
	switch (t.kind) {
	case LEX_ELLIPSIS:
		e->kind = CASE_EXPR_ELLIPSIS;
		return 0;
	case LEX_STRING:
		e->kind = CASE_EXPR_STRING;
		e->text = case_unescape(t.text, t.len);
		return e->text ? 0 : case_oom(c->err);
	case LEX_INT:
		e->kind = CASE_EXPR_INT;
		if (t.overflow || t.num > INT64_MAX)
			return case_err(c, t.col, "number %s is too large",
					case_tok_str(c, &t, b, sizeof(b)));
		e->num = (int64_t)t.num;
		return 0;
	case LEX_WORD:
		lex_peek(&c->lx, &n);
		if (lex_is(&n, '('))
			return case_expr_func(c, e, &t, depth);
		e->kind = CASE_EXPR_INT;
		if (case_symbol_value(t.text, t.len, &e->num))
			return case_err(c, t.col, "unknown symbol %s",
					case_tok_str(c, &t, b, sizeof(b)));
		e->text = case_strndup(t.text, t.len);
		return e->text ? 0 : case_oom(c->err);
	case LEX_PUNCT:
		if (lex_is(&t, '-')) {
			lex_next(&c->lx, &n);
			if (n.kind != LEX_INT)
				return case_unexpected(c, &n, "a number after '-'");
			if (n.overflow || n.num > INT64_MAX)
				return case_err(c, n.col, "number %s is too large",
						case_tok_str(c, &n, b, sizeof(b)));
			e->kind = CASE_EXPR_INT;
			e->num = -(int64_t)n.num;
			return 0;
		}
		if (lex_is(&t, '[')) {
			e->kind = CASE_EXPR_LIST;
			return case_expr_items(c, e, ']', false, depth);
		}
		if (lex_is(&t, '{')) {
			e->kind = CASE_EXPR_STRUCT;
			return case_expr_items(c, e, '}', true, depth);
		}
		break;
	case LEX_END:
	case LEX_DEC:
	case LEX_OPTION:
	case LEX_SHELL:
	case LEX_SHELL_OPEN:
	case LEX_ERROR:
		break;
	}
	return case_unexpected(c, &t,
			       "an argument (number, symbol, ..., [N], {name=N} or \"text\")");
}

static int case_expr(struct case_ctx *c, struct case_expr *e, int depth)
{
	struct lex_token t;

	if (depth > CASE_EXPR_DEPTH)
		return case_err(c, lex_col(&c->lx), "arguments nested too deeply");
	if (case_expr_primary(c, e, depth))
		return -1;
	for (lex_peek(&c->lx, &t); lex_is(&t, '|'); lex_peek(&c->lx, &t)) {
		struct case_expr lhs = *e, *rhs;

		lex_next(&c->lx, &t);
		memset(e, 0, sizeof(*e));
		e->kind = CASE_EXPR_OR;
		e->col = lhs.col;
		e->kids = calloc(2, sizeof(*e->kids));
		if (!e->kids) {
			case_expr_clear(&lhs);
			return case_oom(c->err);
		}
		e->kids[0] = lhs;
		e->nkids = 2;
		rhs = &e->kids[1];
		if (case_expr_primary(c, rhs, depth))
			return -1;
		if (lhs.kind != CASE_EXPR_INT && lhs.kind != CASE_EXPR_OR)
			return case_err(c, lhs.col, "'|' joins numbers and symbols only");
		if (rhs->kind != CASE_EXPR_INT)
			return case_err(c, rhs->col, "'|' joins numbers and symbols only");
		e->num = lhs.num | rhs->num;
	}
	return 0;
}

/* ---- events ---- */

static void case_event_clear(struct case_event *ev)
{
	free(ev->text);
	switch (ev->kind) {
	case CASE_EV_INJECT:
	case CASE_EV_EXPECT:
	case CASE_EV_QUIET:
		break;
	case CASE_EV_CALL:
		for (size_t i = 0; i < ev->u.call.nargs; i++)
			case_expr_clear(&ev->u.call.args[i]);
		free(ev->u.call.args);
		free(ev->u.call.name);
		free(ev->u.call.errname);
		free(ev->u.call.retname);
		free(ev->u.call.note);
		break;
	case CASE_EV_SHELL:
		free(ev->u.shell.cmd);
		break;
	}
	memset(ev, 0, sizeof(*ev));
}

static int case_event_push(struct case_parser *p, struct case_event *ev, struct tr_err *err)
{
	struct case_script *s = &p->script;

	if (s->nevents == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		struct case_event *e = realloc(s->events, cap * sizeof(*e));

		if (!e)
			return case_oom(err);
		s->events = e;
		p->cap = cap;
	}
	s->events[s->nevents++] = *ev;
	memset(ev, 0, sizeof(*ev));
	return 0;
}

/* ---- timing ---- */

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
static int case_time(struct case_ctx *c, struct case_time *tm)
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
static int case_time_resolve(struct case_ctx *c, struct case_event *ev, int col)
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
	if (tm->kind == CASE_TIME_ANY && ev->kind != CASE_EV_EXPECT)
		return case_err(c, col, "'*' (any time) is allowed only on '>' lines");
	if (tm->range && ev->kind != CASE_EV_EXPECT && ev->kind != CASE_EV_QUIET)
		return case_err(c, col, "a time range is allowed only on '>' lines");
	if (tm->blocking && ev->kind != CASE_EV_CALL)
		return case_err(c, col,
				"an end time (start...end) is allowed only on socket calls");
	if (!p->timed && (tm->kind != CASE_TIME_ABS || tm->us != 0))
		return case_err(c, col, "the first event must be at absolute time 0");

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

/* ---- packets ---- */

static int case_opt_size(struct case_ctx *c, size_t *total, size_t add, int col)
{
	*total += add;
	if (*total > SEG_OPT_SPACE)
		return case_err(c, col,
				"TCP options take %zu bytes here; at most %d fit in a header",
				*total, SEG_OPT_SPACE);
	return 0;
}

/* Blocks after "sack", each 8 bytes on the wire; the first one's size
 * (with the option's kind and length) is counted by the caller. */
static int case_opt_sack(struct case_ctx *c, struct seg_opt *o, size_t *total)
{
	struct lex_token t;
	uint64_t l, r;

	for (lex_peek(&c->lx, &t); o->v.sack.n == 0 || t.kind == LEX_INT; lex_peek(&c->lx, &t)) {
		if (o->v.sack.n == SEG_SACK_MAX)
			return case_err(c, t.col, "at most %d SACK blocks fit in a header",
					SEG_SACK_MAX);
		if (o->v.sack.n > 0 && case_opt_size(c, total, 8, t.col))
			return -1;
		if (case_uint(c, UINT32_MAX, "SACK left edge", &l) ||
		    case_expect(c, ':', "':' in a SACK block left:right") ||
		    case_uint(c, UINT32_MAX, "SACK right edge", &r))
			return -1;
		o->v.sack.b[o->v.sack.n].left = (uint32_t)l;
		o->v.sack.b[o->v.sack.n].right = (uint32_t)r;
		o->v.sack.n++;
	}
	o->len = (uint8_t)(2 + 8 * o->v.sack.n);
	return 0;
}

static const struct {
	const char *name;
	enum seg_opt_kind kind;
	uint8_t len; /* on the wire; sack: with one block */
} case_opt_names[] = {
    {"nop", SEG_OPT_NOP, 1},	   {"eol", SEG_OPT_EOL, 1},	     {"mss", SEG_OPT_MSS, 4},
    {"wscale", SEG_OPT_WSCALE, 3}, {"sackOK", SEG_OPT_SACK_PERM, 2}, {"sack", SEG_OPT_SACK, 10},
    {"TS", SEG_OPT_TS, 10},
};

/* One option; its name is already read. */
static int case_opt(struct case_ctx *c, struct segment *s, const struct lex_token *name,
		    size_t *total)
{
	struct seg_opt *o;
	struct lex_token t;
	uint64_t v;
	size_t i;
	char b[200];
	int col;

	for (i = 0; i < sizeof(case_opt_names) / sizeof(case_opt_names[0]); i++)
		if (lex_is_word(name, case_opt_names[i].name))
			break;
	if (i == sizeof(case_opt_names) / sizeof(case_opt_names[0])) {
		if (lex_is_word(name, "md5") || lex_is_word(name, "FO") ||
		    lex_is_word(name, "FOEXP"))
			return case_err(c, name->col, "TCP option %s is not supported",
					case_tok_str(c, name, b, sizeof(b)));
		return case_err(c, name->col, "unknown TCP option %s",
				case_tok_str(c, name, b, sizeof(b)));
	}
	if (case_opt_size(c, total, case_opt_names[i].len, name->col))
		return -1;
	o = segment_opt_add(s, case_opt_names[i].kind);
	if (!o)
		return case_err(c, name->col, "too many TCP options");
	o->len = case_opt_names[i].len;

	switch (case_opt_names[i].kind) {
	case SEG_OPT_EOL:
	case SEG_OPT_NOP:
	case SEG_OPT_SACK_PERM:
		break;
	case SEG_OPT_MSS:
		if (case_uint(c, UINT16_MAX, "mss", &v))
			return -1;
		o->v.mss = (uint16_t)v;
		break;
	case SEG_OPT_WSCALE:
		col = lex_col(&c->lx);
		if (case_uint(c, UINT8_MAX, "wscale", &v))
			return -1;
		o->v.wscale = (uint8_t)v;
		if (v > CASE_WSCALE_RFC &&
		    case_warn(c, col, "wscale %u is above %d, the largest RFC 7323 allows",
			      (unsigned)v, CASE_WSCALE_RFC))
			return -1;
		break;
	case SEG_OPT_SACK:
		return case_opt_sack(c, o, total);
	case SEG_OPT_TS:
		lex_next(&c->lx, &t);
		if (!lex_is_word(&t, "val"))
			return case_unexpected(c, &t, "'val' after 'TS'");
		if (case_uint(c, UINT32_MAX, "TS val", &v))
			return -1;
		o->v.ts.val = (uint32_t)v;
		lex_next(&c->lx, &t);
		if (!lex_is_word(&t, "ecr"))
			return case_unexpected(c, &t, "'ecr' after 'TS val N'");
		if (case_uint(c, UINT32_MAX, "TS ecr", &v))
			return -1;
		o->v.ts.ecr = (uint32_t)v;
		break;
	}
	return 0;
}

/* <mss 1460,sackOK,...> or <...>; the '<' is already read. */
static int case_opts(struct case_ctx *c, struct case_event *ev, const struct lex_token *lt)
{
	struct case_packet *pk = &ev->u.pkt;
	struct lex_token t;
	size_t total = 0;

	lex_peek(&c->lx, &t);
	if (t.kind == LEX_ELLIPSIS) {
		lex_next(&c->lx, &t);
		lex_next(&c->lx, &t);
		if (t.kind == LEX_END)
			return case_err(c, lt->col, "unterminated TCP option list: missing '>'");
		if (!lex_is(&t, '>'))
			return case_unexpected(c, &t, "'>' after '<...'");
		if (ev->kind != CASE_EV_EXPECT)
			return case_err(
			    c, lt->col,
			    "'<...>' (options not checked) is allowed only on '>' lines");
		pk->given |= CASE_PKT_OPTS_ANY;
		return 0;
	}
	pk->given |= CASE_PKT_OPTS;
	for (;;) {
		lex_next(&c->lx, &t);
		if (t.kind == LEX_END)
			return case_err(c, lt->col, "unterminated TCP option list: missing '>'");
		if (t.kind != LEX_WORD)
			return case_unexpected(c, &t, "a TCP option");
		if (case_opt(c, &pk->seg, &t, &total))
			return -1;
		lex_next(&c->lx, &t);
		if (lex_is(&t, '>'))
			return 0;
		if (t.kind == LEX_END)
			return case_err(c, lt->col, "unterminated TCP option list: missing '>'");
		if (!lex_is(&t, ','))
			return case_unexpected(c, &t, "',' or '>' in the TCP option list");
	}
}

/* start:end(len) */
static int case_seq(struct case_ctx *c, struct segment *s)
{
	uint64_t start, end, len;
	int col = lex_col(&c->lx);

	if (case_uint(c, UINT32_MAX, "sequence number", &start) ||
	    case_expect(c, ':', "':' in start:end(length)") ||
	    case_uint(c, UINT32_MAX, "end sequence number", &end) ||
	    case_expect(c, '(', "'(' in start:end(length)") ||
	    case_uint(c, UINT16_MAX, "payload length", &len) ||
	    case_expect(c, ')', "')' in start:end(length)"))
		return -1;
	/* Modulo 2^32: a segment may cross the wrap of sequence space. */
	if (((start + len) & UINT32_MAX) != end)
		return case_err(c, col, "end %llu is not start %llu + length %llu = %llu",
				(unsigned long long)end, (unsigned long long)start,
				(unsigned long long)len,
				(unsigned long long)((start + len) & UINT32_MAX));
	s->seq = (uint32_t)start;
	s->payload_len = (uint32_t)len;
	return 0;
}

static int case_flags(struct case_ctx *c, struct segment *s)
{
	struct lex_token t;
	size_t bad;
	char b[200];

	lex_run(&c->lx, &t);
	if (t.kind == LEX_END || (t.text[0] >= '0' && t.text[0] <= '9'))
		return case_err(c, t.col,
				"expected TCP flags (S F R P . U E W, or - for none), got %s",
				case_tok_str(c, &t, b, sizeof(b)));
	if (segment_flags_parse(t.text, t.len, &s->flags, &bad)) {
		unsigned char ch = (unsigned char)t.text[bad];

		if (ch > 0x20 && ch < 0x7f)
			return case_err(c, t.col + (int)bad, "unknown TCP flag '%c'", ch);
		return case_err(c, t.col + (int)bad, "unknown TCP flag '\\x%02x'", ch);
	}
	return 0;
}

/* Upstream order (ack, win, urg, then options) in any order of the first
 * three, each at most once. */
static int case_pkt_fields(struct case_ctx *c, struct case_event *ev)
{
	static const struct {
		const char *name;
		unsigned bit;
		uint64_t max;
	} fields[] = {
	    {"ack", CASE_PKT_ACK, UINT32_MAX},
	    {"win", CASE_PKT_WIN, UINT16_MAX},
	    {"urg", CASE_PKT_URG, UINT16_MAX},
	};
	struct case_packet *pk = &ev->u.pkt;
	struct lex_token t;
	uint64_t v;
	char b[200];

	for (;;) {
		size_t i;

		lex_next(&c->lx, &t);
		if (t.kind == LEX_END)
			return 0;
		if (lex_is(&t, '<'))
			return case_opts(c, ev, &t) || case_expect_end(c);
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (lex_is_word(&t, fields[i].name))
				break;
		if (i == sizeof(fields) / sizeof(fields[0])) {
			if (t.kind == LEX_ERROR)
				return case_err(c, t.col, "%s", t.msg);
			return case_err(c, t.col, "unexpected %s after the sequence numbers",
					case_tok_str(c, &t, b, sizeof(b)));
		}
		if (pk->given & fields[i].bit)
			return case_err(c, t.col, "'%s' given twice", fields[i].name);
		if (case_uint(c, fields[i].max, fields[i].name, &v))
			return -1;
		pk->given |= fields[i].bit;
		if (fields[i].bit == CASE_PKT_ACK)
			pk->seg.ack = (uint32_t)v;
		else if (fields[i].bit == CASE_PKT_WIN)
			pk->seg.win = (uint16_t)v;
		else
			pk->seg.urg = (uint16_t)v;
	}
}

/* < [sport>dport] flags start:end(len) [ack N] [win N] [urg N] [<options>]
 * or a quiet period: > [sport>dport] nothing */
static int case_packet(struct case_ctx *c, struct case_event *ev)
{
	struct case_packet *pk = &ev->u.pkt;
	struct lex_token dir, t, t2;
	struct lexer ahead = c->lx;
	uint64_t sport = 0, dport = 0;

	lex_next(&c->lx, &dir);
	ev->kind = lex_is(&dir, '<') ? CASE_EV_INJECT : CASE_EV_EXPECT;
	segment_init(&pk->seg);

	lex_next(&ahead, &t);
	lex_next(&ahead, &t);
	lex_next(&ahead, &t2);
	if (t.kind == LEX_INT && lex_is(&t2, '>')) {
		if (case_uint(c, UINT16_MAX, "source port", &sport) ||
		    case_expect(c, '>', "'>' in sport>dport") ||
		    case_uint(c, UINT16_MAX, "destination port", &dport))
			return -1;
		pk->seg.sport = (uint16_t)sport;
		pk->seg.dport = (uint16_t)dport;
		pk->given |= CASE_PKT_PORTS;
	}
	lex_peek(&c->lx, &t);
	if (lex_is_word(&t, "nothing")) {
		if (ev->kind != CASE_EV_EXPECT)
			return case_err(c, t.col, "'nothing' is allowed only on '>' lines");
		lex_next(&c->lx, &t);
		ev->kind = CASE_EV_QUIET;
		memset(&pk->seg, 0, sizeof(pk->seg));
		pk->seg.sport = (uint16_t)sport;
		pk->seg.dport = (uint16_t)dport;
		return case_expect_end(c);
	}
	if (case_flags(c, &pk->seg) || case_seq(c, &pk->seg) || case_pkt_fields(c, ev))
		return -1;
	/* The rig must put some window on the wire; guessing one would hide
	 * what the case is about. */
	if (ev->kind == CASE_EV_INJECT && !(pk->given & CASE_PKT_WIN))
		return case_err(c, dir.col, "'<' lines need 'win N'");
	return 0;
}

/* ---- socket calls ---- */

/* Where an argument ends on the line (it parsed before, so it parses again,
 * quietly); for messages that quote it whole. */
static size_t case_expr_end(const struct case_ctx *c, const struct case_expr *e)
{
	struct case_ctx q = *c;
	struct case_expr scratch = {0};
	size_t end = (size_t)e->col;

	q.err = NULL;
	lex_init(&q.lx, c->line, c->len, false);
	q.lx.pos = (size_t)e->col - 1;
	if (case_expr(&q, &scratch, 0) == 0)
		end = q.lx.pos;
	case_expr_clear(&scratch);
	return end;
}

/* An argument as the script wrote it, quoted; inner drops its first and
 * last character (a string's quotes). */
static const char *case_expr_str(const struct case_ctx *c, const struct case_expr *e, bool inner,
				 char *buf, size_t cap)
{
	struct lex_token t = {.kind = LEX_WORD, .col = e->col, .end = case_expr_end(c, e)};

	if (inner && t.end >= (size_t)t.col + 1) {
		t.col++;
		t.end--;
	}
	return case_tok_str(c, &t, buf, cap);
}

static bool case_counter_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return n > 0;
}

/* The runner's own calls: sock_state(RIG_PORT, TARGET_PORT), each a port
 * number or ..., and nstat("NAME"). The name is checked as written, so
 * that escapes and odd bytes never reach nstat. */
static int case_call_args(struct case_ctx *c, const struct case_call *call)
{
	const struct case_expr *a = call->args;
	char b[200];

	if (!strcmp(call->name, "sock_state")) {
		for (size_t i = 0; i < call->nargs; i++) {
			if (a[i].kind == CASE_EXPR_ELLIPSIS ||
			    (a[i].kind == CASE_EXPR_INT && !a[i].text && a[i].num >= 0 &&
			     a[i].num <= UINT16_MAX))
				continue;
			return case_err(c, a[i].col,
					"sock_state() takes the rig's port and the target's port "
					"(0..65535, or ...), not %s",
					case_expr_str(c, &a[i], false, b, sizeof(b)));
		}
	} else if (!strcmp(call->name, "nstat")) {
		size_t end;

		if (a[0].kind != CASE_EXPR_STRING)
			return case_err(c, a[0].col,
					"nstat() takes a counter name in quotes, not %s",
					case_expr_str(c, &a[0], false, b, sizeof(b)));
		end = case_expr_end(c, &a[0]);
		if (end < (size_t)a[0].col + 1 ||
		    !case_counter_name(c->line + a[0].col, end - (size_t)a[0].col - 1))
			return case_err(c, a[0].col,
					"%s is not an nstat counter name ([A-Za-z0-9]+)",
					case_expr_str(c, &a[0], true, b, sizeof(b)));
	}
	return 0;
}

/* sock_state's result: a state's name, kept as written. */
static int case_call_state(struct case_ctx *c, struct case_call *call)
{
	struct lex_token t;
	char b[200];

	lex_next(&c->lx, &t);
	if (t.kind != LEX_WORD)
		return case_unexpected(c, &t, "a TCP state (ESTABLISHED, TIME_WAIT, ... or NONE)");
	if (case_tcp_state_value(t.text, t.len, &call->ret))
		return case_err(c, t.col, "unknown TCP state %s",
				case_tok_str(c, &t, b, sizeof(b)));
	call->retname = case_strndup(t.text, t.len);
	return call->retname ? 0 : case_oom(c->err);
}

/* name(args) = result [ERRNO] [(note)]; sock_state and nstat take no
 * ERRNO. */
static int case_call(struct case_ctx *c, struct case_event *ev)
{
	struct case_call *call = &ev->u.call;
	const struct case_call_sig *sig;
	struct case_expr list = {0};
	struct lex_token name, t;
	bool neg = false, own;
	char b[200];
	int rc;

	lex_next(&c->lx, &name);
	ev->kind = CASE_EV_CALL;
	sig = case_call_find(name.text, name.len);
	if (!sig)
		return case_err(c, name.col, "unknown socket call %s",
				case_tok_str(c, &name, b, sizeof(b)));
	call->name = case_strndup(name.text, name.len);
	if (!call->name)
		return case_oom(c->err);
	if (case_expect(c, '(', "'(' after the call's name"))
		return -1;
	rc = case_expr_items(c, &list, ')', false, 0);
	call->args = list.kids;
	call->nargs = list.nkids;
	if (rc)
		return -1;
	if (call->nargs < sig->min_args || call->nargs > sig->max_args) {
		if (sig->min_args == sig->max_args)
			return case_err(c, name.col, "%s() takes %u argument%s, not %zu", sig->name,
					sig->min_args, sig->min_args == 1 ? "" : "s", call->nargs);
		return case_err(c, name.col, "%s() takes %u to %u arguments, not %zu", sig->name,
				sig->min_args, sig->max_args, call->nargs);
	}
	if (case_call_args(c, call))
		return -1;
	own = !strcmp(call->name, "sock_state") || !strcmp(call->name, "nstat");

	if (case_expect(c, '=', "'= result' after the call"))
		return -1;
	if (!strcmp(call->name, "sock_state")) {
		if (case_call_state(c, call))
			return -1;
	} else {
		lex_next(&c->lx, &t);
		if (lex_is(&t, '-')) {
			if (own)
				return case_err(c, t.col,
						"an nstat counter's increase is 0 or more");
			neg = true;
			lex_next(&c->lx, &t);
		}
		if (t.kind != LEX_INT)
			return case_unexpected(c, &t, "the call's result (a number)");
		if (t.overflow || t.num > INT64_MAX)
			return case_err(c, t.col, "result %s is out of range",
					case_tok_str(c, &t, b, sizeof(b)));
		call->ret = neg ? -(int64_t)t.num : (int64_t)t.num;
	}

	lex_peek(&c->lx, &t);
	if (t.kind == LEX_WORD && !own) {
		lex_next(&c->lx, &t);
		if (case_errno_value(t.text, t.len, &call->err))
			return case_err(c, t.col, "unknown errno name %s",
					case_tok_str(c, &t, b, sizeof(b)));
		call->errname = case_strndup(t.text, t.len);
		if (!call->errname)
			return case_oom(c->err);
		lex_peek(&c->lx, &t);
	}
	if (lex_is(&t, '(')) {
		int col = t.col;

		lex_next(&c->lx, &t);
		lex_until_paren(&c->lx, &t);
		if (t.kind == LEX_ERROR)
			return case_err(c, col, "unterminated note: missing ')'");
		call->note = case_strndup(t.text, t.len);
		if (!call->note)
			return case_oom(c->err);
	}
	return case_expect_end(c);
}

/* ---- shell commands ---- */

static int case_shell(struct case_ctx *c, struct case_event *ev, int tcol)
{
	struct case_parser *p = c->p;
	struct lex_token t;

	lex_next(&c->lx, &t);
	ev->kind = CASE_EV_SHELL;
	ev->u.shell.cmd = case_strndup(t.text, t.len);
	if (!ev->u.shell.cmd)
		return case_oom(c->err);
	if (case_time_resolve(c, ev, tcol))
		return -1;
	if (t.kind == LEX_SHELL)
		return case_expect_end(c) || case_event_push(p, ev, c->err);

	/* Upstream scripts run several commands in one multi-line backtick;
	 * the command continues on the next lines. */
	p->shell = *ev;
	memset(ev, 0, sizeof(*ev));
	p->shell_len = t.len;
	p->text_len = strlen(p->shell.text);
	p->shell_col = t.col;
	p->in_shell = true;
	if (case_append(&p->shell.u.shell.cmd, &p->shell_len, "\n", 1))
		return case_oom(c->err);
	return 0;
}

static int case_shell_more(struct case_ctx *c)
{
	struct case_parser *p = c->p;
	struct case_event *ev = &p->shell;
	long close = lex_find_backtick(c->line, c->len, 0);
	size_t upto = close < 0 ? c->len : (size_t)close;

	if (case_append(&ev->text, &p->text_len, "\n", 1) ||
	    case_append(&ev->text, &p->text_len, c->line, c->len) ||
	    case_append(&ev->u.shell.cmd, &p->shell_len, c->line, upto))
		return case_oom(c->err);
	if (close < 0)
		return case_append(&ev->u.shell.cmd, &p->shell_len, "\n", 1) ? case_oom(c->err) : 0;
	c->lx.pos = upto + 1;
	if (case_expect_end(c))
		return -1;
	p->in_shell = false;
	return case_event_push(p, ev, c->err);
}

/* ---- options ---- */

static int case_option_num(struct case_ctx *c, const struct lex_token *opt,
			   const struct lex_token *v, double max, bool frac, double *out)
{
	char buf[64], *end;
	double d;

	if (v->len == 0 || v->len >= sizeof(buf) || v->text[0] < '0' || v->text[0] > '9')
		goto bad;
	memcpy(buf, v->text, v->len);
	buf[v->len] = '\0';
	errno = 0;
	d = frac ? strtod(buf, &end) : (double)strtoull(buf, &end, 10);
	if (*end || errno)
		goto bad;
	if (d > max)
		return case_err(c, v->col, "--%.*s=%s is out of range (0..%.0f)", (int)opt->len,
				opt->text, buf, max);
	*out = d;
	return 0;
bad:
	return case_err(c, v->col, "--%.*s takes a number", (int)opt->len, opt->text);
}

static bool case_sysctl_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '.' || s[i] == '-'))
			return false;
	return n > 0;
}

/* --sysctl=NAME=VALUE; the '=' after the option is read. VALUE is the rest
 * of the line up to a comment, blanks around it trimmed, so that it may
 * hold blanks (net.ipv4.ip_local_port_range=40000 40000). Only net.*
 * knobs: the target's namespace has its own copy of those alone. */
static int case_option_sysctl(struct case_ctx *c, const struct lex_token *opt)
{
	struct case_options *o = &c->p->script.opt;
	const char *s = c->line;
	size_t start = c->lx.pos, stop, end, eq, val;
	struct lex_token t;
	char b[200], **v;

	while (start < c->len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	for (stop = start; stop < c->len; stop++)
		if (stop + 1 < c->len && s[stop] == '/' &&
		    (s[stop + 1] == '/' || s[stop + 1] == '*'))
			break;
	for (end = stop; end > start && (s[end - 1] == ' ' || s[end - 1] == '\t');)
		end--;
	if (end == start)
		return case_err(c, (int)start + 1, "option --%.*s needs a value", (int)opt->len,
				opt->text);
	for (eq = start; eq < end && s[eq] != '='; eq++)
		;
	for (val = eq + 1; val < end && (s[val] == ' ' || s[val] == '\t');)
		val++;
	t = (struct lex_token){.kind = LEX_WORD, .col = (int)start + 1, .end = end};
	if (eq == end || val == end || !case_sysctl_name(s + start, eq - start))
		return case_err(c, t.col, "--sysctl: %s is not NAME=VALUE",
				case_tok_str(c, &t, b, sizeof(b)));
	for (size_t i = val; i < end; i++)
		if ((unsigned char)s[i] < 0x20 ? s[i] != '\t' : s[i] == 0x7f)
			return case_err(c, t.col, "--sysctl: %s is not NAME=VALUE",
					case_tok_str(c, &t, b, sizeof(b)));
	if (eq - start < 4 || memcmp(s + start, "net.", 4))
		return case_err(c, t.col,
				"--sysctl: only net.* knobs (%.*s is shared with the host)",
				(int)(eq - start), s + start);

	v = realloc(o->sysctls, (o->nsysctls + 1) * sizeof(*v));
	if (!v)
		return case_oom(c->err);
	o->sysctls = v;
	v[o->nsysctls] = malloc(eq - start + 1 + end - val + 1);
	if (!v[o->nsysctls])
		return case_oom(c->err);
	memcpy(v[o->nsysctls], s + start, eq - start + 1);
	memcpy(v[o->nsysctls] + (eq - start + 1), s + val, end - val);
	v[o->nsysctls][eq - start + 1 + end - val] = '\0';
	o->nsysctls++;
	c->lx.pos = stop;
	return 0;
}

/* --name=value, as upstream scripts write them at the top. */
static int case_option(struct case_ctx *c, const struct lex_token *opt)
{
	struct case_options *o = &c->p->script.opt;
	struct lex_token t, v;
	double d;
	char b[200];

	if (!lex_text_is(opt, "tolerance_usecs") && !lex_text_is(opt, "tolerance_percent") &&
	    !lex_text_is(opt, "mss") && !lex_text_is(opt, "ip_version") &&
	    !lex_text_is(opt, "sysctl"))
		return case_err(c, opt->col, "unknown option %s",
				case_tok_str(c, opt, b, sizeof(b)));
	lex_next(&c->lx, &t);
	if (!lex_is(&t, '='))
		return case_err(c, opt->col, "option --%.*s needs a value: --%.*s=...",
				(int)opt->len, opt->text, (int)opt->len, opt->text);
	if (lex_text_is(opt, "sysctl"))
		return case_option_sysctl(c, opt);
	lex_run(&c->lx, &v);
	if (v.kind == LEX_END)
		return case_err(c, v.col, "option --%.*s needs a value", (int)opt->len, opt->text);
	if (lex_text_is(opt, "tolerance_usecs")) {
		if (case_option_num(c, opt, &v, UINT32_MAX, false, &d))
			return -1;
		o->tolerance_usecs = (int64_t)d;
	} else if (lex_text_is(opt, "tolerance_percent")) {
		if (case_option_num(c, opt, &v, 100, true, &d))
			return -1;
		o->tolerance_percent = d;
	} else if (lex_text_is(opt, "mss")) {
		if (case_option_num(c, opt, &v, UINT16_MAX, false, &d))
			return -1;
		if (d < 1)
			return case_err(c, v.col, "--mss must be at least 1");
		o->mss = (uint16_t)d;
	} else if (lex_is_word(&v, "ipv4")) {
		o->family = AF_INET;
	} else if (lex_is_word(&v, "ipv6") || lex_is_word(&v, "ipv4-mapped-ipv6")) {
		return case_err(c, v.col, "--ip_version=%.*s is not supported yet; only ipv4",
				(int)v.len, v.text);
	} else {
		return case_err(c, v.col, "unknown IP version %s",
				case_tok_str(c, &v, b, sizeof(b)));
	}
	return 0;
}

static int case_options_line(struct case_ctx *c)
{
	struct lex_token t;

	for (lex_peek(&c->lx, &t); t.kind == LEX_OPTION; lex_peek(&c->lx, &t)) {
		lex_next(&c->lx, &t);
		if (c->p->script.nevents > 0)
			return case_err(c, t.col, "options must come before the first event");
		if (case_option(c, &t))
			return -1;
	}
	return case_expect_end(c);
}

/* ---- statements ---- */

static int case_event_line(struct case_ctx *c)
{
	struct case_event ev = {0};
	struct lex_token t;
	int tcol = lex_col(&c->lx), rc = -1;

	ev.line = c->p->line;
	ev.text = case_strndup(c->line, c->len);
	if (!ev.text)
		return case_oom(c->err);

	lex_peek(&c->lx, &t);
	if (t.kind != LEX_SHELL && t.kind != LEX_SHELL_OPEN && case_time(c, &ev.time))
		goto out;
	lex_peek(&c->lx, &t);
	switch (t.kind) {
	case LEX_SHELL:
	case LEX_SHELL_OPEN:
		rc = case_shell(c, &ev, tcol);
		goto out;
	case LEX_WORD:
		rc = case_call(c, &ev);
		break;
	case LEX_PUNCT:
		if (lex_is(&t, '<') || lex_is(&t, '>')) {
			rc = case_packet(c, &ev);
			break;
		}
		/* fall through */
	case LEX_END:
	case LEX_INT:
	case LEX_DEC:
	case LEX_OPTION:
	case LEX_STRING:
	case LEX_ELLIPSIS:
	case LEX_ERROR:
		rc = case_unexpected(
		    c, &t, "'<', '>', a socket call or a backtick command after the time");
		goto out;
	}
	if (!rc)
		rc = case_time_resolve(c, &ev, tcol) || case_event_push(c->p, &ev, c->err);
out:
	case_event_clear(&ev);
	return rc ? -1 : 0;
}

static int case_statement(struct case_ctx *c)
{
	struct lex_token t;

	lex_peek(&c->lx, &t);
	switch (t.kind) {
	case LEX_END:
		lex_next(&c->lx, &t);
		return 0;
	case LEX_OPTION:
		return case_options_line(c);
	case LEX_SHELL:
	case LEX_SHELL_OPEN:
	case LEX_INT:
	case LEX_DEC:
		return case_event_line(c);
	case LEX_PUNCT:
		if (lex_is(&t, '+') || lex_is(&t, '*'))
			return case_event_line(c);
		break;
	case LEX_WORD:
	case LEX_STRING:
	case LEX_ELLIPSIS:
	case LEX_ERROR:
		break;
	}
	return case_unexpected(c, &t, "a time ('0', '+0.1', '*'), an option or a backtick command");
}

/* ---- the line API ---- */

int case_parser_init(struct case_parser *p, const char *path)
{
	memset(p, 0, sizeof(*p));
	p->path = strdup(path);
	p->script.opt.tolerance_usecs = -1;
	p->script.opt.tolerance_percent = -1;
	p->script.opt.family = AF_INET;
	return p->path ? 0 : -1;
}

int case_parser_line(struct case_parser *p, const char *text, size_t len, struct tr_err *err)
{
	struct case_ctx c = {.p = p, .err = err};
	int rc;

	if (p->failed || !p->path)
		return err_usage(err, "%s: the case parser already failed",
				 p->path ? p->path : "case");
	p->line++;
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len > 0 && text[len - 1] == '\r')
		len--;
	c.line = text;
	c.len = len;
	lex_init(&c.lx, text, len, p->in_comment);
	rc = p->in_shell ? case_shell_more(&c) : case_statement(&c);
	if (rc) {
		p->failed = true;
		return -1;
	}
	if (c.lx.in_comment && c.lx.comment_col) {
		free(p->comment_text);
		p->comment_text = case_strndup(text, len);
		if (!p->comment_text) {
			p->failed = true;
			return case_oom(err);
		}
		p->comment_line = p->line;
		p->comment_col = c.lx.comment_col;
	}
	p->in_comment = c.lx.in_comment;
	return 0;
}

void case_script_free(struct case_script *s)
{
	for (size_t i = 0; i < s->nevents; i++)
		case_event_clear(&s->events[i]);
	free(s->events);
	for (size_t i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	for (size_t i = 0; i < s->opt.nsysctls; i++)
		free(s->opt.sysctls[i]);
	free(s->opt.sysctls);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

void case_parser_free(struct case_parser *p)
{
	case_script_free(&p->script);
	if (p->in_shell)
		case_event_clear(&p->shell);
	free(p->comment_text);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

int case_parser_finish(struct case_parser *p, struct case_script *script, struct tr_err *err)
{
	int rc = -1;

	memset(script, 0, sizeof(*script));
	if (p->failed || !p->path) {
		err_usage(err, "%s: the case parser already failed", p->path ? p->path : "case");
	} else if (p->in_shell) {
		const char *t = p->shell.text, *nl = strchr(t, '\n');

		case_err_at(err, p->path, p->shell.line, p->shell_col, t,
			    nl ? (size_t)(nl - t) : strlen(t),
			    "unterminated backtick command: missing '`'");
	} else if (p->in_comment) {
		case_err_at(err, p->path, p->comment_line, p->comment_col, p->comment_text,
			    strlen(p->comment_text), "unterminated comment: missing '*/'");
	} else {
		*script = p->script;
		script->path = p->path;
		memset(&p->script, 0, sizeof(p->script));
		p->path = NULL;
		rc = 0;
	}
	case_parser_free(p);
	return rc;
}

/* ---- conveniences ---- */

int case_parse_file(const char *path, struct case_script *script, struct tr_err *err)
{
	struct case_parser p;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc = 0;

	memset(script, 0, sizeof(*script));
	f = fopen(path, "r");
	if (!f)
		return err_usage(err, "%s: %s", path, strerror(errno));
	if (case_parser_init(&p, path)) {
		fclose(f);
		return case_oom(err);
	}
	while (!rc && (n = getline(&line, &cap, f)) >= 0)
		rc = case_parser_line(&p, line, (size_t)n, err);
	if (!rc && ferror(f))
		rc = err_sys(err, "%s: read", path);
	free(line);
	fclose(f);
	if (rc) {
		case_parser_free(&p);
		return -1;
	}
	return case_parser_finish(&p, script, err);
}

int case_parse_string(const char *name, const char *text, struct case_script *script,
		      struct tr_err *err)
{
	struct case_parser p;
	const char *nl;

	memset(script, 0, sizeof(*script));
	if (case_parser_init(&p, name))
		return case_oom(err);
	while (*text) {
		nl = strchr(text, '\n');
		if (case_parser_line(&p, text, nl ? (size_t)(nl - text) : strlen(text), err)) {
			case_parser_free(&p);
			return -1;
		}
		text = nl ? nl + 1 : text + strlen(text);
	}
	return case_parser_finish(&p, script, err);
}
