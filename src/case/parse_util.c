/* parse_util.c - the statement parsers' shared helpers: errors that point
 * at a column, tokens quoted as written, expected punctuation and numbers. */
#include "case/parse_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	size_t n, i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* A statement written over several lines (text joined by '\n'): the
	 * column's own line, numbered and shown as in the file. */
	for (const char *nl; (nl = memchr(text, '\n', len)) && nl - text < col - 1;) {
		size_t skip = (size_t)(nl - text) + 1;

		text += skip;
		len -= skip;
		col -= (int)skip;
		line++;
	}
	if (memchr(text, '\n', len))
		len = (size_t)((const char *)memchr(text, '\n', len) - text);
	n = len < CASE_SHOW_MAX ? len : CASE_SHOW_MAX;
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
