/* parse_call.c - socket-call lines, name(args) = result [ERRNO] [(note)],
 * and their argument expressions (numbers, symbols, [..], {..}, "..", |).
 */
#include "case/parse_call.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "case/event.h"

/* Nesting deep enough for any struct a socket call takes. */
#define CASE_EXPR_DEPTH 16

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

/* After `name (` in a struct: `N)` or `...)` then `=`, as in msg_iov(1)=.
 * True (c->lx moved past the '=', k->field set, NULL only out of memory)
 * if that is what follows; false leaves everything as it was. */
static bool case_field_count(struct case_ctx *c, struct lexer *ahead,
			     const struct lex_token *name, struct case_expr *k)
{
	struct lexer lx = *ahead;
	struct lex_token n, close, eq;

	lex_next(&lx, &n);
	lex_next(&lx, &close);
	lex_next(&lx, &eq);
	if ((n.kind != LEX_INT && n.kind != LEX_ELLIPSIS) || !lex_is(&close, ')') ||
	    !lex_is(&eq, '='))
		return false;
	k->count_given = true;
	k->count = n.kind == LEX_INT ? (int64_t)n.num : -1;
	k->field = case_strndup(name->text, name->len);
	k->field_col = name->col;
	if (!k->field)
		case_oom(c->err);
	c->lx = lx;
	return true;
}

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
			k->field_col = t.col;
			c->lx = ahead;
		} else if (named && t.kind == LEX_WORD && lex_is(&t2, '(') &&
			   case_field_count(c, &ahead, &t, k)) {
			/* `msg_iov(1)=[...]`: a field with a count, as
			 * packetdrill writes msghdr's; the count is the
			 * list's length (checked where it is used). */
			if (!k->field)
				return -1;
		}
		if (case_expr(c, k, depth + 1))
			return -1;
		if (k->field && k->count_given && k->count >= 0 && k->kind == CASE_EXPR_LIST &&
		    (size_t)k->count != k->nkids)
			return case_err(c, k->col, "%s(%lld) but the list has %zu item%s", k->field,
					(long long)k->count, k->nkids, k->nkids == 1 ? "" : "s");
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

/* htons(), inet_addr() and inet6_addr(), which sockaddr structs in upstream
 * scripts use. packetdrill's inet_addr() also takes an IPv6 address (in an
 * AF_INET6 sockaddr): its value is then 0, the address stays in its text. */
static int case_expr_func(struct case_ctx *c, struct case_expr *e, const struct lex_token *name,
			  int depth)
{
	struct in6_addr a6;
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
		if (e->nkids == 1 && e->kids[0].kind == CASE_EXPR_STRING &&
		    inet_pton(AF_INET, e->kids[0].text, &a) == 1) {
			e->num = ntohl(a.s_addr);
			return 0;
		}
		if (e->nkids == 1 && e->kids[0].kind == CASE_EXPR_STRING &&
		    inet_pton(AF_INET6, e->kids[0].text, &a6) == 1)
			return 0;
		return case_err(c, name->col,
				"inet_addr() takes one IPv4 or IPv6 address in quotes");
	}
	if (!strcmp(e->text, "inet6_addr")) {
		if (e->nkids != 1 || e->kids[0].kind != CASE_EXPR_STRING ||
		    inet_pton(AF_INET6, e->kids[0].text, &a6) != 1)
			return case_err(c, name->col,
					"inet6_addr() takes one IPv6 address in quotes");
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
	case LEX_CODE:
	case LEX_CODE_OPEN:
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
		/* A struct member's name belongs to the whole `a|b`. */
		e->field = lhs.field;
		e->field_col = lhs.field_col;
		e->count_given = lhs.count_given;
		e->count = lhs.count;
		lhs.field = NULL;
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

/* Where an argument ends on the line (it parsed before, so it parses again,
 * quietly); for messages that quote it whole. */
static size_t case_expr_end(const struct case_ctx *c, const struct case_expr *e)
{
	struct case_ctx q = *c;
	struct case_expr scratch = {0};
	size_t end = (size_t)e->col;

	q.err = NULL;
	lex_init(&q.lx, c->line, c->len, false);
	q.lx.defs = c->lx.defs;
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
int case_call(struct case_ctx *c, struct case_event *ev)
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
