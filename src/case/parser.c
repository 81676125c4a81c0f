/* parser.c - case lines to timeline events; see case.h for the language.
 *
 * One statement per line, parsed by recursive descent over the lexer's
 * tokens. Whatever must survive from one line to the next (an open comment
 * or backtick command, the time of the previous event) lives in struct
 * case_parser, so that parsers never share state.
 *
 * This file holds the line API and the statement dispatch. Each kind of
 * statement is parsed in its own parse_*.c file (parse_time, parse_packet,
 * parse_call, parse_shell, parse_options; parse_outcome for `=> label` and
 * the `|` alternatives), all reading from the cursor in parse_util.h; events
 * are stored and freed by event.c.
 */
#include "case/case.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "case/event.h"
#include "case/parse_call.h"
#include "case/parse_options.h"
#include "case/parse_outcome.h"
#include "case/parse_packet.h"
#include "case/parse_shell.h"
#include "case/parse_time.h"
#include "case/parse_util.h"

/* ---- statements ---- */

/* `%{ ... }%`: kept as written for Python, which runs it after the case. */
static int case_code(struct case_ctx *c, struct case_event *ev)
{
	struct lex_token t;

	lex_next(&c->lx, &t);
	ev->kind = CASE_EV_CODE;
	ev->u.code.text = case_strndup(t.text, t.len);
	if (!ev->u.code.text)
		return case_oom(c->err);
	return case_expect_end(c);
}

/* Whether a statement is still open at the end of text: a bracket not yet
 * closed, or a %{ without its }% (strings, comments and backtick commands
 * do not count). Such a statement goes on on the next line, as upstream
 * scripts write recvmsg's msghdr and their Python blocks. */
static bool case_statement_open(const char *s, size_t len, bool in_comment)
{
	int depth = 0;
	bool code = false;

	for (size_t i = 0; i < len; i++) {
		if (in_comment) {
			if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
				in_comment = false;
				i++;
			}
			continue;
		}
		if (code) {
			if (s[i] == '}' && i + 1 < len && s[i + 1] == '%') {
				code = false;
				i++;
			}
			continue;
		}
		switch (s[i]) {
		case '"':
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			break;
		case '`':
			/* A backtick command has its own way of going on. */
			return false;
		case '/':
			if (i + 1 < len && s[i + 1] == '/') {
				while (i < len && s[i] != '\n')
					i++;
			} else if (i + 1 < len && s[i + 1] == '*') {
				in_comment = true;
				i++;
			}
			break;
		case '%':
			if (i + 1 < len && s[i + 1] == '{') {
				code = true;
				i++;
			}
			break;
		case '(':
		case '[':
		case '{':
			depth++;
			break;
		case ')':
		case ']':
		case '}':
			depth--;
			break;
		default:
			break;
		}
	}
	return code || depth > 0;
}

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
	case LEX_CODE:
		rc = case_code(c, &ev);
		break;
	case LEX_CODE_OPEN:
		rc = case_err(c, t.col, "unterminated %%{ block: missing '}%%'");
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
	if (!rc && ev.kind != CASE_EV_INJECT && ev.kind != CASE_EV_CODE && ev.kind != CASE_EV_ICMP &&
	    ev.kind != CASE_EV_OBSERVE)
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
	case LEX_CODE:
	case LEX_CODE_OPEN:
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

static int case_parser_whole(struct case_parser *p, const char *text, size_t len,
			     struct tr_err *err);

/* One more line of a statement that runs over several: joined to the lines
 * before it, and parsed once its brackets close, as its first line. */
static int case_parser_more(struct case_parser *p, const char *text, size_t len,
			    struct tr_err *err)
{
	char *joined = realloc(p->pending, p->pending_len + len + 2);
	int line = p->line, rc;

	if (!joined) {
		p->failed = true;
		return case_oom(err);
	}
	if (!p->pending)
		p->pending_line = p->line;
	else
		joined[p->pending_len++] = '\n';
	memcpy(joined + p->pending_len, text, len);
	p->pending_len += len;
	joined[p->pending_len] = '\0';
	p->pending = joined;
	if (case_statement_open(p->pending, p->pending_len, false))
		return 0;
	p->line = p->pending_line;
	rc = case_parser_whole(p, p->pending, p->pending_len, err);
	p->line = line;
	free(p->pending);
	p->pending = NULL;
	p->pending_len = 0;
	return rc;
}

int case_parser_line(struct case_parser *p, const char *text, size_t len, struct tr_err *err)
{
	if (p->failed || !p->path)
		return err_usage(err, "%s: the case parser already failed",
				 p->path ? p->path : "case");
	p->line++;
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len > 0 && text[len - 1] == '\r')
		len--;
	if (!p->in_shell && (p->pending || case_statement_open(text, len, p->in_comment)))
		return case_parser_more(p, text, len, err);
	return case_parser_whole(p, text, len, err);
}

/* A whole statement: one line, or the joined lines of one that ran over
 * several. */
static int case_parser_whole(struct case_parser *p, const char *text, size_t len,
			     struct tr_err *err)
{
	struct case_ctx c = {.p = p, .err = err};
	int rc;

	c.line = text;
	c.len = len;
	lex_init(&c.lx, text, len, p->in_comment);
	c.lx.defs = p->defs;
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

void case_parser_free(struct case_parser *p)
{
	case_script_free(&p->script);
	if (p->in_shell)
		case_event_clear(&p->shell);
	free(p->comment_text);
	free(p->pending);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

/* A statement still open at the end: parsed as it stands, so that its own
 * error (a missing ')', an unterminated string) says where. True if it
 * gave one. */
static bool case_parser_unterminated(struct case_parser *p, struct tr_err *err)
{
	int line = p->line;
	bool failed;

	p->line = p->pending_line;
	failed = case_parser_whole(p, p->pending, p->pending_len, err) != 0;
	p->line = line;
	return failed;
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
	} else if (p->pending && !case_parser_unterminated(p, err)) {
		const char *nl = strchr(p->pending, '\n');

		case_err_at(err, p->path, p->pending_line, 1, p->pending,
			    nl ? (size_t)(nl - p->pending) : strlen(p->pending),
			    "unterminated statement: a bracket or a %%{ is never closed");
	} else if (p->pending) {
		/* The error is the statement's own, already in err. */
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
	return case_parse_file_defs(path, NULL, script, err);
}

int case_parse_file_defs(const char *path, const struct case_defines *defs,
			 struct case_script *script, struct tr_err *err)
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
	p.defs = defs;
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
