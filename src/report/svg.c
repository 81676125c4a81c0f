/* svg.c - a trace as an SVG ladder diagram (see svg_ladder.h). */
#include "report/svg.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/utf8.h"

/* Geometry, in SVG user units (pixels at scale 1). Text is 11 px monospace,
 * about 6.6 px a character. */
#define SVG_WIDTH 1100
#define X_TIME 6
#define X_LINE 62
#define X_RIG 118
#define X_TARGET 718
#define X_NOTE (X_TARGET + 12)
#define Y_TOP 40       /* the first row */
#define ROW 32	       /* one event */
#define DETAIL_LINE 15 /* one line under a failed event */
#define LABEL_MAX 88   /* characters between the lanes */
#define NOTE_MAX 55    /* characters right of the target lane */
#define DETAIL_MAX 142 /* characters of a failed event's details */

#define C_LANE "#9aa3ad"
#define C_TEXT "#1d2329"
#define C_MUTED "#5f6b76"
#define C_SEND "#1f5f9e"
#define C_RECV "#22734a"
#define C_FAIL "#c0271d"
#define C_UNEXPECTED "#7a3e9d"
#define C_LATE "#b86e00"
#define C_QUIET "#d5dae0"
#define C_DETAIL_BG "#fdecea"

/* The length of the character at s: a valid UTF-8 sequence, or 1 for a
 * byte that starts none. *allowed: valid and allowed in XML as text, and
 * no control character (C0, DEL, C1) nor U+FFFE/U+FFFF. */
static size_t utf8_char(const unsigned char *s, bool *allowed)
{
	uint32_t cp;
	size_t len = utf8_decode(s, strnlen((const char *)s, 4), &cp);

	*allowed = len && cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0) && cp != 0xfffe &&
		   cp != 0xffff;
	return len ? len : 1;
}

/* Characters in s, a byte that starts no UTF-8 sequence counting as one. */
static size_t utf8_count(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	bool allowed;

	while (*p) {
		p += utf8_char(p, &allowed);
		n++;
	}
	return n;
}

void svg_ladder_escape(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, len, keep = (size_t)-1;
	bool allowed;

	if (!s)
		return;
	if (max && utf8_count(s) > max)
		keep = max - 1;
	while (*p && n < keep) {
		len = utf8_char(p, &allowed);
		switch (allowed ? *p : 0) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case 0:
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
			break;
		default:
			fwrite(p, 1, len, f);
		}
		p += len;
		n++;
	}
	if (*p)
		fputs("\xe2\x80\xa6", f); /* U+2026 */
}

/* "1.234" seconds, from microseconds, without floating point. */
static void fmt_time(char *buf, size_t cap, int64_t us)
{
	uint64_t a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;

	snprintf(buf, cap, "%s%" PRIu64 ".%03" PRIu64, us < 0 ? "-" : "", a / 1000000,
		 a / 1000 % 1000);
}

static bool is_segment(enum trace_kind k)
{
	return k == TRACE_SEND || k == TRACE_RECV || k == TRACE_MISSING;
}

/* A failed event's detail lines: expected, actual, field, note. */
static int detail_lines(const struct trace_event *e)
{
	int n = 0;

	if (e->status != TRACE_FAILED)
		return 0;
	n += e->expected[0] != 0;
	n++; /* actual, "(nothing)" when empty */
	n += e->field[0] != 0;
	n += e->note[0] != 0;
	return n;
}

static int event_height(const struct trace_event *e)
{
	int d = detail_lines(e);

	return ROW + (d ? d * DETAIL_LINE + 8 : 0);
}

static void text_open(FILE *f, int x, int y, const char *fill, const char *anchor)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"%s\"%s%s%s>", x, y, fill,
		anchor ? " text-anchor=\"" : "", anchor ? anchor : "", anchor ? "\"" : "");
}

static void text(FILE *f, int x, int y, const char *fill, const char *anchor, const char *s,
		 size_t max)
{
	text_open(f, x, y, fill, anchor);
	svg_ladder_escape(f, s, max);
	fputs("</text>\n", f);
}

/* A horizontal arrow from x1 to x2 at y; lost: no head, an X at x2. */
static void arrow(FILE *f, int x1, int x2, int y, const char *colour, bool dashed, bool lost)
{
	int dir = x2 > x1 ? 1 : -1;
	int end = lost ? x2 : x2 - dir * 8;

	fprintf(f,
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		"stroke-width=\"1.6\"%s/>\n",
		x1, y, end, y, colour, dashed ? " stroke-dasharray=\"6 4\"" : "");
	if (lost) {
		fprintf(f,
			"<path d=\"M%d %dL%d %dM%d %dL%d %d\" stroke=\"%s\" "
			"stroke-width=\"2.4\"/>\n",
			x2 - 6, y - 6, x2 + 6, y + 6, x2 - 6, y + 6, x2 + 6, y - 6, C_FAIL);
		return;
	}
	fprintf(f, "<path d=\"M%d %dL%d %dL%d %dZ\" fill=\"%s\"/>\n", x2, y, x2 - dir * 9, y - 4,
		x2 - dir * 9, y + 4, colour);
}

/* The event's full text, for the tooltip. */
static void tooltip(FILE *f, const struct trace_event *e)
{
	char t0[32], t1[32];

	fmt_time(t0, sizeof(t0), e->t_us);
	fmt_time(t1, sizeof(t1), e->t_end_us);
	fputs("<title>", f);
	fprintf(f, "%s l.%d %s %s", t0, e->line, trace_kind_name(e->kind),
		trace_status_name(e->status));
	if (e->t_end_us != e->t_us)
		fprintf(f, " until %s", t1);
	if (e->wire != TRACE_WIRE_NONE)
		fprintf(f, ", wire %s", trace_wire_name(e->wire));
	if (e->outcome[0]) {
		fputs(", => ", f);
		svg_ladder_escape(f, e->outcome, 0);
	}
	if (e->expected[0]) {
		fputs("\nexpected: ", f);
		svg_ladder_escape(f, e->expected, 0);
	}
	if (e->actual[0]) {
		fputs("\nactual: ", f);
		svg_ladder_escape(f, e->actual, 0);
	}
	if (e->field[0]) {
		fputs("\nfield: ", f);
		svg_ladder_escape(f, e->field, 0);
	}
	if (e->note[0]) {
		fputs("\n", f);
		svg_ladder_escape(f, e->note, 0);
	}
	fputs("</title>\n", f);
}

static const char *event_colour(const struct trace_event *e)
{
	if (e->status == TRACE_FAILED)
		return C_FAIL;
	if (e->status == TRACE_UNEXPECTED)
		return C_UNEXPECTED;
	switch (e->kind) {
	case TRACE_SEND:
		return C_SEND;
	case TRACE_RECV:
		return C_RECV;
	case TRACE_MISSING:
	case TRACE_QUIET:
	case TRACE_CALL:
	case TRACE_CHECK:
	case TRACE_SHELL:
		break;
	}
	return C_TEXT;
}

static void draw_segment(FILE *f, const struct trace_event *e, int y, const char *colour)
{
	const char *label = e->actual[0] ? e->actual : e->expected;
	bool lost = e->wire == TRACE_WIRE_LOST;
	int ay = y + 20, x1, x2;
	char buf[TRACE_TEXT + 48];

	if (e->kind == TRACE_SEND) {
		x1 = X_RIG;
		x2 = lost ? X_RIG + (X_TARGET - X_RIG) * 3 / 4 : X_TARGET;
	} else {
		x1 = X_TARGET;
		x2 = lost ? X_RIG + (X_TARGET - X_RIG) / 4 : X_RIG;
	}
	if (e->kind == TRACE_MISSING)
		label = e->expected;
	if (e->kind == TRACE_MISSING)
		snprintf(buf, sizeof(buf), "%s (nothing came)", label);
	else if (e->status == TRACE_UNEXPECTED)
		snprintf(buf, sizeof(buf), "unexpected: %s", label);
	else
		snprintf(buf, sizeof(buf), "%s", label);
	text(f, (X_RIG + X_TARGET) / 2, y + 14, colour, "middle", buf, LABEL_MAX);
	arrow(f, x1, x2, ay, colour, e->kind == TRACE_MISSING, lost);
	if (lost)
		text(f, x2 + (e->kind == TRACE_SEND ? 12 : -12), ay + 4, C_FAIL,
		     e->kind == TRACE_SEND ? NULL : "end", "lost", 0);
	if (e->wire == TRACE_WIRE_LATE)
		text(f, e->kind == TRACE_SEND ? X_NOTE : X_RIG - 6, ay + 4, C_LATE,
		     e->kind == TRACE_SEND ? NULL : "end", "late", 0);
	if (e->outcome[0]) {
		snprintf(buf, sizeof(buf), "=> %s", e->outcome);
		text(f, X_NOTE, ay + 4, colour, NULL, buf, NOTE_MAX);
	}
}

static void draw_quiet(FILE *f, const struct trace_event *e, int y, const char *colour)
{
	char t0[32], t1[32], buf[TRACE_TEXT + 80];
	bool failed = e->status == TRACE_FAILED;

	fmt_time(t0, sizeof(t0), e->t_us);
	fmt_time(t1, sizeof(t1), e->t_end_us);
	fprintf(f,
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
		"fill-opacity=\"0.55\" stroke=\"%s\" stroke-dasharray=\"3 3\"/>\n",
		X_RIG, y + 4, X_TARGET - X_RIG, ROW - 8, failed ? C_DETAIL_BG : C_QUIET,
		failed ? C_FAIL : C_LANE);
	snprintf(buf, sizeof(buf), "%s: quiet %s-%s s", e->expected[0] ? e->expected : "nothing",
		 t0, t1);
	text(f, (X_RIG + X_TARGET) / 2, y + 20, failed ? C_FAIL : colour, "middle", buf, LABEL_MAX);
}

static void draw_call(FILE *f, const struct trace_event *e, int y, const char *colour)
{
	const char *s = e->expected[0] ? e->expected : e->actual;
	char buf[2 * TRACE_TEXT + 2], buf2[sizeof(buf) + 40];

	fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"%s\"/>\n", X_TARGET, y + 20,
		colour);
	/* A check that held: its value too, when the line does not say it. */
	if (e->kind == TRACE_CHECK && e->actual[0] && e->status != TRACE_FAILED &&
	    !strstr(s, e->actual)) {
		snprintf(buf, sizeof(buf), "%s %s", s, e->actual);
		s = buf;
	}
	/* Its outcome label, unless the line as written says it. */
	if (e->outcome[0] && !strstr(s, "=>")) {
		snprintf(buf2, sizeof(buf2), "%s => %s", s, e->outcome);
		s = buf2;
	}
	text(f, X_NOTE, y + 24, colour, NULL, s, NOTE_MAX);
}

static void draw_details(FILE *f, const struct trace_event *e, int y)
{
	int n = detail_lines(e), x = X_RIG + 8, ty = y + ROW + 8;
	char buf[TRACE_TEXT + 16];

	fprintf(f,
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\" "
		"stroke=\"%s\" stroke-width=\"0.8\"/>\n",
		X_RIG, y + ROW - 2, SVG_WIDTH - X_RIG - 6, n * DETAIL_LINE + 6, C_DETAIL_BG,
		C_FAIL);
	if (e->expected[0]) {
		snprintf(buf, sizeof(buf), "expected: %s", e->expected);
		text(f, x, ty + 4, C_FAIL, NULL, buf, DETAIL_MAX);
		ty += DETAIL_LINE;
	}
	snprintf(buf, sizeof(buf), "actual: %s", e->actual[0] ? e->actual : "(nothing)");
	text(f, x, ty + 4, C_FAIL, NULL, buf, DETAIL_MAX);
	ty += DETAIL_LINE;
	if (e->field[0]) {
		snprintf(buf, sizeof(buf), "field: %s", e->field);
		text(f, x, ty + 4, C_FAIL, NULL, buf, DETAIL_MAX);
		ty += DETAIL_LINE;
	}
	if (e->note[0])
		text(f, x, ty + 4, C_FAIL, NULL, e->note, DETAIL_MAX);
}

static void draw_event(FILE *f, const struct trace_event *e, int y)
{
	const char *colour = event_colour(e);
	char t[32], line[16];

	fputs("<g>\n", f);
	tooltip(f, e);
	fmt_time(t, sizeof(t), e->t_us);
	text(f, X_TIME, y + 24, C_MUTED, NULL, t, 0);
	if (e->line > 0) {
		snprintf(line, sizeof(line), "l.%d", e->line);
		text(f, X_LINE, y + 24, e->status == TRACE_FAILED ? C_FAIL : C_MUTED, NULL, line,
		     0);
	}
	if (is_segment(e->kind))
		draw_segment(f, e, y, colour);
	else if (e->kind == TRACE_QUIET)
		draw_quiet(f, e, y, colour);
	else
		draw_call(f, e, y, colour);
	if (detail_lines(e))
		draw_details(f, e, y);
	fputs("</g>\n", f);
}

void svg_ladder_write(FILE *f, const struct trace *t)
{
	size_t i, drawn = 0, not_run = 0;
	int h = Y_TOP, y;
	char buf[96];

	for (i = 0; i < t->n; i++) {
		if (t->ev[i].status == TRACE_NOT_RUN) {
			not_run++;
			continue;
		}
		drawn++;
		h += event_height(&t->ev[i]);
	}
	if (!drawn)
		h += ROW;
	if (not_run || t->overflow)
		h += 20;
	h += 8;

	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"'DejaVu Sans "
		"Mono',Menlo,Consolas,monospace\" font-size=\"11\">\n",
		SVG_WIDTH, h, SVG_WIDTH, h);
	fprintf(f, "<title>ladder: %zu events, rig on the left, target on the right</title>\n",
		drawn);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", SVG_WIDTH, h);
	text(f, X_TIME, 20, C_MUTED, NULL, "time s", 0);
	text(f, X_LINE, 20, C_MUTED, NULL, "line", 0);
	fputs("<g font-weight=\"bold\" font-size=\"13\">\n", f);
	text(f, X_RIG, 20, C_TEXT, "middle", "rig", 0);
	text(f, X_TARGET, 20, C_TEXT, "middle", "target", 0);
	fputs("</g>\n", f);
	fprintf(f, "<path d=\"M%d %dV%dM%d %dV%d\" stroke=\"%s\" stroke-width=\"3\"/>\n", X_RIG, 28,
		h - 6, X_TARGET, 28, h - 6, C_LANE);

	y = Y_TOP;
	for (i = 0; i < t->n; i++) {
		if (t->ev[i].status == TRACE_NOT_RUN)
			continue;
		draw_event(f, &t->ev[i], y);
		y += event_height(&t->ev[i]);
	}
	if (!drawn) {
		text(f, (X_RIG + X_TARGET) / 2, y + 20, C_MUTED, "middle", "(no events recorded)",
		     0);
		y += ROW;
	}
	if (not_run || t->overflow) {
		if (t->overflow)
			snprintf(buf, sizeof(buf), "trace cut after its first %d events",
				 TRACE_MAX);
		else
			snprintf(buf, sizeof(buf), "%zu line%s not reached", not_run,
				 not_run == 1 ? "" : "s");
		text(f, X_TIME, y + 14, C_MUTED, NULL, buf, 0);
	}
	fputs("</svg>\n", f);
}
