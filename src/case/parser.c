/* parser.c - case lines to timeline events; see case.h for the language.
 *
 * One statement per line, parsed by recursive descent over the lexer's
 * tokens. Whatever must survive from one line to the next (an open comment
 * or backtick command, the time of the previous event) lives in struct
 * case_parser, so that parsers never share state.
 *
 * This file holds the line API, the statement dispatch, event storage,
 * error messages, and what ties lines together: outcome labels (`=> label`)
 * and the `|` alternatives that hang off the event before them. Each kind
 * of statement is parsed in its own parse_*.c file (see parse_int.h).
 */
#include "parse_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Enough of a long line to show where the error is. */
#define CASE_SHOW_MAX 400

int case_oom(struct tr_err *err)
{
	errno = ENOMEM;
	return err_sys(err, "case parser");
}

char *case_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
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

int case_err_at(struct tr_err *err, const char *path, int line, int col, const char *text,
		       size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	case_verr(err, path, line, col, text, len, fmt, ap);
	va_end(ap);
	return -1;
}

int case_err(struct case_ctx *c, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	case_verr(c->err, c->p->path, c->p->line, col, c->line, c->len, fmt, ap);
	va_end(ap);
	return -1;
}

int case_warn(struct case_ctx *c, int col, const char *fmt, ...)
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
const char *case_tok_str(const struct case_ctx *c, const struct lex_token *t, char *buf, size_t cap)
{
	size_t start = (size_t)t->col - 1, n = t->end - start, i, k = 0;

	if (t->kind == LEX_END)
		return t->outcome ? "'=>'" : "the end of the line";
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

int case_unexpected(struct case_ctx *c, const struct lex_token *t, const char *wanted)
{
	char b[200];

	if (t->kind == LEX_ERROR)
		return case_err(c, t->col, "%s", t->msg);
	return case_err(c, t->col, "expected %s, got %s", wanted, case_tok_str(c, t, b, sizeof(b)));
}

int case_expect(struct case_ctx *c, char punct, const char *wanted)
{
	struct lex_token t;

	lex_next(&c->lx, &t);
	if (!lex_is(&t, punct))
		return case_unexpected(c, &t, wanted);
	return 0;
}

int case_expect_end(struct case_ctx *c)
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
int case_uint(struct case_ctx *c, uint64_t max, const char *what, uint64_t *v)
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

/* ---- events ---- */

void case_event_clear(struct case_event *ev)
{
	free(ev->text);
	free(ev->outcome);
	for (size_t i = 0; i < ev->nalts; i++)
		case_event_clear(&ev->alts[i]);
	free(ev->alts);
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

int case_event_push(struct case_parser *p, struct case_event *ev, struct tr_err *err)
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

/* ---- statements ---- */

static int case_event_line(struct case_ctx *c)
{
	struct case_event ev = {0};
	struct lex_token t;
	int tcol = lex_col(&c->lx), rc = -1, end_col;

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
	/* Where a label would go, should '|' lines come and need one here. */
	end_col = (int)c->lx.last_end + 1;
	if (!rc && ev.kind != CASE_EV_INJECT)
		rc = case_outcome(c, &ev, NULL);
	if (!rc)
		rc = case_time_resolve(c, &ev, tcol) || case_event_push(c->p, &ev, c->err);
	if (!rc)
		c->p->head_end_col = end_col;
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
		if (lex_is(&t, '|'))
			return case_alt_line(c);
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
	/* A command still open took the whole line, '=>' and all. */
	if (!rc && !p->in_shell)
		rc = case_outcome_misplaced(&c);
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
	} else if (!p->timed) {
		/* A case with nothing to do would pass without the target doing
		 * anything. */
		err_usage(err, "%s:%d:1: the case has no timed event: nothing to run or check",
			  p->path, p->line > 0 ? p->line : 1);
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
