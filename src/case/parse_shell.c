/* parse_shell.c - backtick command lines, including a command that runs
 * over several lines until its closing backtick.
 */
#include "case/parse_shell.h"

#include <stdlib.h>
#include <string.h>

#include "case/event.h"
#include "case/parse_time.h"

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

int case_shell(struct case_ctx *c, struct case_event *ev, int tcol)
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

int case_shell_more(struct case_ctx *c)
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
