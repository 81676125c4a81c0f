/* ladder.c - the ladder diagram (see ladder.h), ASCII only, so that golden
 * files stay stable and every terminal and CI log shows the same thing:
 *
 *    time(s)  line   rig                                           target
 *   0.000000     1   |                                                  |  socket(...) = 3
 *   0.000112     5   |---- 40000>8080 S 0:0(0) win 32792 -------------->|
 *   0.000301     6   |<--- 8080>40000 S. 0:0(0) ack 1 ------------------|  [tgt 0.000290]
 *   0.100000     9   |---- 40000>8080 F. 1:1(0) ack 1 -------------x    |  (lost on the wire: ...)
 *   0.100000    10   |<- - . 1:1(0) ack 2 - - - - - - - - - - - - - - - |  nothing came by 0.160000
 *   0.160000    11   | . . nothing from the target until 0.200000 . . . |
 *   0.210000    14 X |<--- 8080>40000 R 2:2(0) win 0 -------------------|
 *                      line 14 expected: > . 2:2(0) ack 2
 *                                actual: 8080>40000 R 2:2(0) win 0
 *                      first difference: tcp flags
 *
 * X marks the row that decided the verdict, ? a segment no line wanted; x is
 * where a segment lost on the wire stopped; a dashed arrow is a segment a
 * line wanted that never came, dots a quiet window. Calls, checks and shell
 * lines are written on the target's side, with "=> label" for an outcome.
 *
 * Every label starts in the same column whichever way its arrow points, so
 * the segments read down the page like a tcpdump. The lanes fit the longest
 * label, within bounds; a longer one is cut with "..." in its arrow and shown
 * whole in the failure block. Rows never end in blanks (golden files would
 * not survive an editor).
 */
#include "report/ladder.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/ladder_text.h"

/* Columns between the two lanes. */
#define LADDER_BODY_MIN 40
#define LADDER_BODY_MAX 110
/* The label column in the body ("---- " before it), and what the body needs
 * besides the label: those 5, a blank after it, and room for at least
 * "----->" or a lost arrow's "-x    ". */
#define LADDER_LABEL_AT 5
#define LADDER_BODY_SPARE 12

/* A blocking call's return is worth its own note past this. */
#define LADDER_CALL_SLOW_US 1000

#define C_SEND "\033[36m"
#define C_RECV "\033[33m"
#define C_ODD "\033[35m"
#define C_CALL "\033[32m"
#define C_DIM "\033[2m"
#define C_FAIL "\033[1;31m"
#define C_HEAD "\033[1m"
#define C_RESET "\033[0m"

struct ladder {
	FILE *f;
	bool colour;
	const char *indent;
	int body; /* columns between the lanes */
};

/* Column of the rig lane, indent not counted: "%11s %5s %c ". */
#define LADDER_RIG_COL 20

static void lad_time(char *buf, size_t cap, int64_t us)
{
	trace_time_text(buf, cap, us);
}

/* The trace's text came from a run or a hand-edited file: a control byte
 * must neither break a row nor reach the terminal as an escape. */
static char lad_safe(char c)
{
	unsigned char u = (unsigned char)c;

	if (c == '\t')
		return ' ';
	return u < 0x20 || u == 0x7f ? '?' : c;
}

static void lad_puts(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(lad_safe(*s), f);
}

static void lad_spaces(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

static const char *lad_colour(const struct trace_event *e)
{
	if (e->status == TRACE_FAILED)
		return C_FAIL;
	if (e->status == TRACE_UNEXPECTED)
		return C_ODD;
	switch (e->kind) {
	case TRACE_SEND:
		return C_SEND;
	case TRACE_RECV:
		return C_RECV;
	case TRACE_CALL:
		return C_CALL;
	case TRACE_MISSING:
	case TRACE_QUIET:
	case TRACE_CHECK:
	case TRACE_SHELL:
		break;
	}
	return C_DIM;
}

static char lad_mark(const struct trace_event *e)
{
	switch (e->status) {
	case TRACE_FAILED:
		return 'X';
	case TRACE_UNEXPECTED:
		return '?';
	case TRACE_OK:
	case TRACE_NOT_RUN:
		break;
	}
	return ' ';
}

static void lad_row_start(const struct ladder *l, const char *colour, const struct trace_event *e)
{
	char t[32], line[16] = "";

	fputs(l->indent, l->f);
	if (l->colour && colour)
		fputs(colour, l->f);
	lad_time(t, sizeof(t), e->t_us);
	if (e->line > 0)
		snprintf(line, sizeof(line), "%d", e->line);
	fprintf(l->f, "%11s %5s %c ", t, line, lad_mark(e));
}

static void lad_row_end(const struct ladder *l, const char *colour)
{
	if (l->colour && colour)
		fputs(C_RESET, l->f);
	fputc('\n', l->f);
}

/* Copies label into the body at the label column, cut with "..." to fit
 * max columns; returns the columns used. */
static int lad_put_label(char *body, const char *label, int max)
{
	int n = (int)strlen(label);

	if (n > max) {
		for (int i = 0; i < max - 3; i++)
			body[LADDER_LABEL_AT + i] = lad_safe(label[i]);
		memcpy(body + LADDER_LABEL_AT + max - 3, "...", 3);
		return max;
	}
	for (int i = 0; i < n; i++)
		body[LADDER_LABEL_AT + i] = lad_safe(label[i]);
	return n;
}

/* The arrow between the lanes, exactly l->body columns. */
static void lad_arrow(const struct ladder *l, const struct trace_event *e, const char *label,
		      char *body)
{
	int w = l->body, end, i;
	bool to_target = e->kind == TRACE_SEND;
	bool lost = ladder_is_segment(e) && e->wire == TRACE_WIRE_LOST;

	memset(body, ' ', (size_t)w);
	body[w] = '\0';
	/* One blank after the label, then the line. */
	end = LADDER_LABEL_AT + lad_put_label(body, label, w - LADDER_BODY_SPARE) + 1;

	if (e->kind == TRACE_QUIET && !(e->status == TRACE_FAILED && e->actual[0])) {
		/* Dots: the time that passed, not a segment. */
		memcpy(body, " . . ", LADDER_LABEL_AT);
		for (i = end; i < w; i++)
			body[i] = (i - end) % 2 ? ' ' : '.';
		return;
	}
	if (e->kind == TRACE_MISSING) {
		/* Dashed: the segment the line wanted, which never came. */
		memcpy(body, "<- - ", LADDER_LABEL_AT);
		for (i = end; i < w; i++)
			body[i] = (i - end) % 2 ? ' ' : '-';
		return;
	}
	if (to_target) {
		memcpy(body, "---- ", LADDER_LABEL_AT);
		for (i = end; i < w - 1; i++)
			body[i] = '-';
		if (lost) {
			/* Stops short: the target never got it. */
			body[w - 5] = 'x';
			memset(body + w - 4, ' ', 4);
		} else {
			body[w - 1] = '>';
		}
		return;
	}
	/* Target to rig; lost: it left the target and never reached the rig. */
	memcpy(body, lost ? " x-- " : "<--- ", LADDER_LABEL_AT);
	for (i = end; i < w; i++)
		body[i] = '-';
}

static void lad_segment_row(const struct ladder *l, const struct trace_event *e, const char *label)
{
	const char *colour = lad_colour(e);
	char body[LADDER_BODY_MAX + 1], notes[256];

	lad_row_start(l, colour, e);
	lad_arrow(l, e, label, body);
	fprintf(l->f, "|%s|", body);
	ladder_notes(e, notes, sizeof(notes));
	if (notes[0]) {
		fputs("  ", l->f);
		lad_puts(l->f, notes);
	}
	lad_row_end(l, colour);
}

/* A call, check or shell line: written on the target's side, as it ran. */
static void lad_call_row(const struct ladder *l, const struct trace_event *e)
{
	const char *colour = lad_colour(e);
	const char *text = e->expected[0] ? e->expected : e->actual;

	lad_row_start(l, colour, e);
	fputc('|', l->f);
	lad_spaces(l->f, l->body);
	fputc('|', l->f);
	if (text[0]) {
		fputs("  ", l->f);
		lad_puts(l->f, text);
	}
	if (e->status == TRACE_FAILED && e->expected[0] && e->actual[0]) {
		fputs("  (actual ", l->f);
		lad_puts(l->f, e->actual);
		fputc(')', l->f);
	}
	if (e->kind == TRACE_CALL && e->t_end_us - e->t_us >= LADDER_CALL_SLOW_US) {
		char t[32];

		lad_time(t, sizeof(t), e->t_end_us);
		fprintf(l->f, "  [returned %s]", t);
	}
	if (e->outcome[0]) {
		fputs("  => ", l->f);
		lad_puts(l->f, e->outcome);
	}
	lad_row_end(l, colour);
}

/* One line of the block under a row: "label: text", labels right-aligned
 * at width w. */
static void lad_block_line(const struct ladder *l, const char *colour, int w, const char *label,
			   const char *text)
{
	fputs(l->indent, l->f);
	if (l->colour && colour)
		fputs(colour, l->f);
	lad_spaces(l->f, LADDER_RIG_COL + 2);
	fprintf(l->f, "%*s: ", w, label);
	lad_puts(l->f, text);
	lad_row_end(l, colour);
}

/* Under the row that decided the verdict: both sides in full, the first
 * differing field, and why. */
static void lad_failure_block(const struct ladder *l, const struct trace_event *e)
{
	const char *first = "first difference";
	char head[32], t[32], nothing[64];
	const char *expected = e->expected, *actual = e->actual;
	int w;

	if (e->line > 0)
		snprintf(head, sizeof(head), "line %d expected", e->line);
	else
		snprintf(head, sizeof(head), "expected");
	w = (int)strlen(head);
	if (w < (int)strlen(first))
		w = (int)strlen(first);
	if (!expected[0])
		expected = e->line > 0 ? "(nothing)" : "(no line expected this)";
	if (!actual[0]) {
		if (e->kind == TRACE_MISSING) {
			lad_time(t, sizeof(t), e->t_end_us);
			snprintf(nothing, sizeof(nothing), "nothing came by %s", t);
			actual = nothing;
		} else {
			actual = "(nothing)";
		}
	}
	lad_block_line(l, C_FAIL, w, head, expected);
	lad_block_line(l, C_FAIL, w, "actual", actual);
	if (e->field[0])
		lad_block_line(l, C_FAIL, w, first, e->field);
	if (e->note[0])
		lad_block_line(l, C_FAIL, w, "note", e->note);
}

static void lad_header(const struct ladder *l)
{
	fputs(l->indent, l->f);
	if (l->colour)
		fputs(C_HEAD, l->f);
	fprintf(l->f, "%11s %5s   rig", "time(s)", "line");
	/* "rig" starts on the rig lane, "target" ends on the target lane. */
	lad_spaces(l->f, LADDER_RIG_COL + 1 + l->body - (LADDER_RIG_COL + 3) - 5);
	fputs("target", l->f);
	lad_row_end(l, C_HEAD);
}

/* Rows in time order; events are appended as their lines settle, which is
 * not always when they happened (a blocking call settles on return). Stable,
 * so events at the same time keep the runner's order. */
static size_t *lad_order(const struct trace *t)
{
	size_t *ix = malloc((t->n ? t->n : 1) * sizeof(*ix));

	if (!ix)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		size_t j = i;

		while (j > 0 && t->ev[ix[j - 1]].t_us > t->ev[i].t_us) {
			ix[j] = ix[j - 1];
			j--;
		}
		ix[j] = i;
	}
	return ix;
}

static int lad_body_width(const struct trace *t)
{
	int w = LADDER_BODY_MIN;

	for (size_t i = 0; i < t->n; i++) {
		const struct trace_event *e = &t->ev[i];
		char buf[TRACE_TEXT];
		const char *label;
		int need;

		if (e->status == TRACE_NOT_RUN)
			continue;
		label = ladder_label(e, buf, sizeof(buf));
		if (!label)
			continue;
		need = (int)strlen(label) + LADDER_BODY_SPARE;
		if (need > w)
			w = need;
	}
	return w > LADDER_BODY_MAX ? LADDER_BODY_MAX : w;
}

void ladder_print(FILE *f, const struct trace *t, const struct ladder_opts *o)
{
	struct ladder l = {
	    .f = f,
	    .colour = o && o->colour,
	    .indent = o && o->indent ? o->indent : "",
	    .body = lad_body_width(t),
	};
	size_t *ix = lad_order(t);
	size_t rows = 0;

	lad_header(&l);
	for (size_t k = 0; k < t->n; k++) {
		/* Out of memory for the order: the runner's order is still a
		 * ladder, only less tidy. */
		const struct trace_event *e = &t->ev[ix ? ix[k] : k];
		char buf[TRACE_TEXT];
		const char *label;

		if (e->status == TRACE_NOT_RUN)
			continue;
		rows++;
		label = ladder_label(e, buf, sizeof(buf));
		if (label)
			lad_segment_row(&l, e, label);
		else
			lad_call_row(&l, e);
		if (e->status == TRACE_FAILED)
			lad_failure_block(&l, e);
		else if (e->note[0])
			lad_block_line(&l, C_DIM, 4, "note", e->note);
	}
	if (!rows)
		fprintf(f, "%s(no events)\n", l.indent);
	if (t->overflow)
		fprintf(f, "%s(trace cut at %zu events)\n", l.indent, t->n);
	free(ix);
}

bool ladder_want_colour(FILE *f)
{
	const char *no = getenv("NO_COLOR");
	int fd = fileno(f);

	return fd >= 0 && isatty(fd) && (!no || !no[0]);
}
