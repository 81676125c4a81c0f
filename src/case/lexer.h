/* lexer.h - cuts one statement of a case into tokens (one line, or the
 * lines of a statement that runs over several, joined with newlines, which
 * it takes for blanks; a // comment ends at the newline).
 *
 * The lexer knows no grammar: it hands out numbers, words, strings, backtick
 * commands and punctuation, each with its 1-based byte column, and skips
 * blanks and comments. It lives for one line; a C comment still open at the
 * end of it is reported in in_comment, which the caller carries to the next
 * line. It never allocates: token text points into the line, or, for a
 * word defined with -D (defs), into the definition's value.
 */
#ifndef TCPRIG_CASE_LEXER_H
#define TCPRIG_CASE_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case/defines.h"

enum lex_kind {
	LEX_END,	/* end of the line, or only a comment is left, or
			 * an outcome label's '=>' (outcome set) */
	LEX_INT,	/* 42 or 0x2a; value in num */
	LEX_DEC,	/* a number with a fraction: 1.5, .01 (text only) */
	LEX_WORD,	/* [A-Za-z_][A-Za-z0-9_]* */
	LEX_OPTION,	/* --name; text is the name without the dashes */
	LEX_STRING,	/* "...": text between the quotes, escapes as written */
	LEX_SHELL,	/* `...`: text between the backticks */
	LEX_SHELL_OPEN, /* a backtick not closed on this line: text runs to
			 * the end of the line */
	LEX_CODE,	/* %{ ... }%: text between the braces (packetdrill's
			 * Python assertions), newlines kept */
	LEX_CODE_OPEN,	/* a %{ not closed in the text given */
	LEX_ELLIPSIS,	/* ... */
	LEX_PUNCT,	/* one of < > ( ) [ ] { } , = | : ~ + - * . */
	LEX_ERROR,	/* text: where it went wrong; msg: why */
};

struct lex_token {
	enum lex_kind kind;
	int col;	  /* 1-based byte column of the first character */
	const char *text; /* into the line; not NUL-terminated */
	size_t len;
	size_t end;    /* index just past the token as written (quotes,
			* backticks and dashes included) */
	uint64_t num;  /* LEX_INT */
	bool overflow; /* LEX_INT: more than 64 bits */
	bool outcome;  /* LEX_END: at '=>', which ends a statement; the
			* lexer stays there until the caller steps over it */
	char msg[48];  /* LEX_ERROR: why */
};

struct lexer {
	const char *line;
	size_t len;
	size_t pos;
	bool in_comment; /* inside a C comment */
	int comment_col; /* where the last comment opened */
	size_t last_end; /* just past the last token read (not LEX_END) */
	const struct case_defines *defs; /* -D names, or NULL (lex_init) */
};

void lex_init(struct lexer *lx, const char *line, size_t len, bool in_comment);
void lex_next(struct lexer *lx, struct lex_token *t);
/* The token lex_next would return, without moving. */
void lex_peek(const struct lexer *lx, struct lex_token *t);
/* The run of characters up to the next blank, comment or '=>': TCP flags
 * such as "S.", option values such as "ipv4" and outcome labels such as
 * "rst!", which are not single tokens. */
void lex_run(struct lexer *lx, struct lex_token *t);
/* The raw text up to the ')' that balances one already read, which is
 * consumed too; LEX_ERROR if the line ends first. */
void lex_until_paren(struct lexer *lx, struct lex_token *t);
/* The column the next token would start at (the end of the line if none). */
int lex_col(const struct lexer *lx);

bool lex_is(const struct lex_token *t, char punct);
bool lex_is_word(const struct lex_token *t, const char *word);
/* The token's text, whatever its kind (an option's name, say). */
bool lex_text_is(const struct lex_token *t, const char *text);

/* Where the backtick that closes a command is in s, from index from on
 * (a backslash escapes the character after it); -1 if there is none. */
long lex_find_backtick(const char *s, size_t len, size_t from);

#endif
