/* parse_util.h - the parse cursor every statement parser reads from (the
 * line, its lexer, where errors go) and the helpers they share: error
 * messages with file:line:col and a caret, tokens quoted as written, the
 * punctuation and numbers a statement expects. Functions returning int
 * return 0, or -1 with the error in c->err (if any).
 */
#ifndef TCPRIG_CASE_PARSE_UTIL_H
#define TCPRIG_CASE_PARSE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "case/lexer.h"
#include "core/err.h"

/* The line being parsed. */
struct case_ctx {
	struct case_parser *p;
	const char *line;
	size_t len;
	struct lexer lx;
	struct tr_err *err;
};

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
/* An error on another line than the one being parsed (line's text given). */
int case_err_at(struct tr_err *err, const char *path, int line, int col, const char *text,
		size_t len, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif
