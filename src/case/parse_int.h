/* parse_int.h - what the case parser's files share; internal to src/case.
 *
 * parser.c holds the line API and hands each statement to the parse_*.c
 * file that knows it: parse_time.c (timing), parse_packet.c ('<' and '>'
 * lines), parse_call.c (socket calls), parse_shell.c (backtick commands),
 * parse_options.c (--name=value lines). They read tokens and report errors
 * through the helpers parser.c defines below. Functions returning int
 * return 0, or -1 with the error in c->err (if any).
 */
#ifndef TCPRIG_CASE_PARSE_INT_H
#define TCPRIG_CASE_PARSE_INT_H

#include "case.h"
#include "lexer.h"

/* The line being parsed. */
struct case_ctx {
	struct case_parser *p;
	const char *line;
	size_t len;
	struct lexer lx;
	struct tr_err *err;
};

/* parser.c: errors, tokens, events */
int case_oom(struct tr_err *err);
char *case_strndup(const char *s, size_t n);
int case_err(struct case_ctx *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int case_warn(struct case_ctx *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A token as the script wrote it, quoted, for messages. */
const char *case_tok_str(const struct case_ctx *c, const struct lex_token *t, char *buf,
			 size_t cap);
int case_unexpected(struct case_ctx *c, const struct lex_token *t, const char *wanted);
int case_expect(struct case_ctx *c, char punct, const char *wanted);
int case_expect_end(struct case_ctx *c);
/* An unsigned number no larger than max; what names it in messages. */
int case_uint(struct case_ctx *c, uint64_t max, const char *what, uint64_t *v);
int case_event_push(struct case_parser *p, struct case_event *ev, struct tr_err *err);
void case_event_clear(struct case_event *ev);
/* An error on another line than the one being parsed (line's text given). */
int case_err_at(struct tr_err *err, const char *path, int line, int col, const char *text,
		size_t len, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* parse_outcome.c */
/* `=> label [end]` at the end of the statement just parsed, if there is
 * one; *col (may be NULL) is where the label starts. */
int case_outcome(struct case_ctx *c, struct case_event *ev, int *col);
/* An '=>' that no statement took: always an error. */
int case_outcome_misplaced(struct case_ctx *c);
/* A `|` line: another outcome of the last event. */
int case_alt_line(struct case_ctx *c);

/* parse_time.c */
int case_time(struct case_ctx *c, struct case_time *tm);
/* What depends on the kind of event and on the events before it. */
int case_time_resolve(struct case_ctx *c, struct case_event *ev, int col);

/* parse_packet.c */
int case_packet(struct case_ctx *c, struct case_event *ev);

/* parse_call.c */
void case_expr_clear(struct case_expr *e);
int case_call(struct case_ctx *c, struct case_event *ev);

/* parse_shell.c */
int case_shell(struct case_ctx *c, struct case_event *ev, int tcol);
int case_shell_more(struct case_ctx *c);

/* parse_options.c */
int case_options_line(struct case_ctx *c);

#endif
