#include "case/lexer.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool lex_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool lex_hex(char c)
{
	return lex_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool lex_word_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool lex_word_char(char c)
{
	return lex_word_start(c) || lex_digit(c);
}

static bool lex_blank(char c)
{
	/* A newline only inside a statement that runs over several lines. */
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

void lex_init(struct lexer *lx, const char *line, size_t len, bool in_comment)
{
	lx->line = line;
	lx->len = len;
	lx->pos = 0;
	lx->in_comment = in_comment;
	lx->comment_col = 0;
	lx->last_end = 0;
	lx->defs = NULL;
}

static bool lex_at(const struct lexer *lx, size_t i, const char *s)
{
	size_t n = strlen(s);

	return i + n <= lx->len && !memcmp(lx->line + i, s, n);
}

static void lex_skip(struct lexer *lx)
{
	for (;;) {
		if (lx->in_comment) {
			while (lx->pos < lx->len && !lex_at(lx, lx->pos, "*/"))
				lx->pos++;
			if (lx->pos >= lx->len)
				return;
			lx->pos += 2;
			lx->in_comment = false;
			continue;
		}
		while (lx->pos < lx->len && lex_blank(lx->line[lx->pos]))
			lx->pos++;
		if (lex_at(lx, lx->pos, "//")) {
			while (lx->pos < lx->len && lx->line[lx->pos] != '\n')
				lx->pos++;
			if (lx->pos >= lx->len)
				return;
			continue;
		}
		if (!lex_at(lx, lx->pos, "/*"))
			return;
		lx->comment_col = (int)lx->pos + 1;
		lx->in_comment = true;
		lx->pos += 2;
	}
}

static void lex_set(struct lexer *lx, struct lex_token *t, enum lex_kind kind, size_t start,
		    size_t end)
{
	t->kind = kind;
	t->col = (int)start + 1;
	t->text = lx->line + start;
	t->len = end - start;
	t->end = end;
	lx->pos = end;
	if (kind != LEX_END)
		lx->last_end = end;
}

static void lex_number(struct lexer *lx, struct lex_token *t)
{
	const char *s = lx->line;
	size_t i = lx->pos, start = lx->pos;
	unsigned base = 10;
	uint64_t v = 0;

	t->overflow = false;
	if (lex_at(lx, i, "0x") || lex_at(lx, i, "0X")) {
		if (i + 2 < lx->len && lex_hex(s[i + 2])) {
			base = 16;
			i += 2;
		}
	}
	for (; i < lx->len && (base == 16 ? lex_hex(s[i]) : lex_digit(s[i])); i++) {
		unsigned d =
		    lex_digit(s[i]) ? (unsigned)(s[i] - '0') : (unsigned)((s[i] | 0x20) - 'a' + 10);

		if (v > (UINT64_MAX - d) / base)
			t->overflow = true;
		v = v * base + d;
	}
	/* A fraction needs a digit after the dot, so "0...0.2" stays 0, ... */
	if (base == 10 && i + 1 < lx->len && s[i] == '.' && lex_digit(s[i + 1])) {
		for (i++; i < lx->len && lex_digit(s[i]); i++)
			;
		lex_set(lx, t, LEX_DEC, start, i);
		return;
	}
	t->num = v;
	lex_set(lx, t, LEX_INT, start, i);
}

/* The first n-byte needle in s[0..len): memmem, without _GNU_SOURCE's. */
static const char *lex_find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(s + i, needle, n))
			return s + i;
	return NULL;
}

long lex_find_backtick(const char *s, size_t len, size_t from)
{
	for (size_t i = from; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '`')
			return (long)i;
	}
	return -1;
}

static void lex_error(struct lexer *lx, struct lex_token *t, size_t start, size_t end,
		      const char *msg)
{
	lex_set(lx, t, LEX_ERROR, start, end);
	snprintf(t->msg, sizeof(t->msg), "%s", msg);
}

/* A -D name becomes its value, where the word stood (col and end unmoved,
 * so messages still point at the script's text). */
static void lex_defined(const struct lexer *lx, struct lex_token *t)
{
	const char *v = case_define_find(lx->defs, t->text, t->len);
	char *end;

	if (!v)
		return;
	t->text = v;
	t->len = strlen(v);
	errno = 0;
	t->num = strtoull(v, &end, 0);
	if (*v && !*end && lex_digit(*v)) {
		t->kind = LEX_INT;
		t->overflow = errno == ERANGE;
	} else {
		t->num = 0;
	}
}

void lex_next(struct lexer *lx, struct lex_token *t)
{
	const char *s = lx->line;
	size_t i, start;
	long close;

	memset(t, 0, sizeof(*t));
	lex_skip(lx);
	start = lx->pos;
	if (start >= lx->len) {
		lex_set(lx, t, LEX_END, lx->len, lx->len);
		return;
	}
	/* An outcome label ends the statement before it: to every statement
	 * parser the line ends here, and only the label's parser moves on. */
	if (lex_at(lx, start, "=>")) {
		lex_set(lx, t, LEX_END, start, start);
		t->outcome = true;
		return;
	}
	if (lex_digit(s[start]) ||
	    (s[start] == '.' && start + 1 < lx->len && lex_digit(s[start + 1]))) {
		lex_number(lx, t);
		return;
	}
	if (lex_word_start(s[start])) {
		for (i = start; i < lx->len && lex_word_char(s[i]); i++)
			;
		lex_set(lx, t, LEX_WORD, start, i);
		lex_defined(lx, t);
		return;
	}
	if (lex_at(lx, start, "...")) {
		lex_set(lx, t, LEX_ELLIPSIS, start, start + 3);
		return;
	}
	if (lex_at(lx, start, "--") && start + 2 < lx->len && lex_word_char(s[start + 2])) {
		for (i = start + 2; i < lx->len && lex_word_char(s[i]); i++)
			;
		lex_set(lx, t, LEX_OPTION, start, i);
		t->text += 2;
		t->len -= 2;
		return;
	}
	if (s[start] == '"') {
		for (i = start + 1; i < lx->len && s[i] != '"'; i++)
			if (s[i] == '\\')
				i++;
		if (i >= lx->len) {
			lex_error(lx, t, start, lx->len, "unterminated string");
			return;
		}
		lex_set(lx, t, LEX_STRING, start, i + 1);
		t->text++;
		t->len -= 2;
		return;
	}
	if (lex_at(lx, start, "%{")) {
		const char *end = lex_find(s + start + 2, lx->len - start - 2, "}%");

		if (!end) {
			lex_set(lx, t, LEX_CODE_OPEN, start, lx->len);
		} else {
			lex_set(lx, t, LEX_CODE, start, (size_t)(end - s) + 2);
			t->len -= 2;
		}
		t->text += 2;
		t->len -= 2;
		return;
	}
	if (s[start] == '`') {
		close = lex_find_backtick(s, lx->len, start + 1);
		if (close < 0) {
			lex_set(lx, t, LEX_SHELL_OPEN, start, lx->len);
		} else {
			lex_set(lx, t, LEX_SHELL, start, (size_t)close + 1);
			t->len--;
		}
		t->text++;
		t->len--;
		return;
	}
	if (strchr("<>()[]{},=|:~+-*.", s[start]) && s[start] != '\0') {
		lex_set(lx, t, LEX_PUNCT, start, start + 1);
		return;
	}
	lex_set(lx, t, LEX_ERROR, start, start + 1);
	if (s[start] > 0x20 && s[start] < 0x7f)
		snprintf(t->msg, sizeof(t->msg), "unexpected character '%c'", s[start]);
	else
		snprintf(t->msg, sizeof(t->msg), "unexpected character '\\x%02x'",
			 (unsigned char)s[start]);
}

void lex_peek(const struct lexer *lx, struct lex_token *t)
{
	struct lexer copy = *lx;

	lex_next(&copy, t);
}

void lex_run(struct lexer *lx, struct lex_token *t)
{
	size_t i, start;

	memset(t, 0, sizeof(*t));
	lex_skip(lx);
	start = lx->pos;
	for (i = start; i < lx->len && !lex_blank(lx->line[i]); i++)
		if (lex_at(lx, i, "//") || lex_at(lx, i, "/*") || lex_at(lx, i, "=>"))
			break;
	lex_set(lx, t, i > start ? LEX_WORD : LEX_END, start, i);
	t->outcome = i == start && lex_at(lx, start, "=>");
}

void lex_until_paren(struct lexer *lx, struct lex_token *t)
{
	size_t i, start = lx->pos;
	int depth = 1;

	memset(t, 0, sizeof(*t));
	for (i = start; i < lx->len; i++) {
		if (lx->line[i] == '(')
			depth++;
		else if (lx->line[i] == ')' && --depth == 0)
			break;
	}
	if (i >= lx->len) {
		lex_error(lx, t, start, lx->len, "missing ')'");
		return;
	}
	lex_set(lx, t, LEX_STRING, start, i);
	lx->pos = i + 1;
	lx->last_end = i + 1;
}

int lex_col(const struct lexer *lx)
{
	struct lex_token t;

	lex_peek(lx, &t);
	return t.col;
}

bool lex_is(const struct lex_token *t, char punct)
{
	return t->kind == LEX_PUNCT && t->text[0] == punct;
}

bool lex_is_word(const struct lex_token *t, const char *word)
{
	return t->kind == LEX_WORD && lex_text_is(t, word);
}

bool lex_text_is(const struct lex_token *t, const char *text)
{
	return strlen(text) == t->len && !memcmp(t->text, text, t->len);
}
