/* test_trace_io.c - a trace survives the text form byte for byte, a full
 * trace says so, and bad text is refused with name:line and what is wrong. */
#include "core/trace.h"

#include <stdlib.h>
#include <string.h>

#include "report/trace_io.h"
#include "tap.h"

/* Reads text as a trace; returns trace_read's result. */
static int read_text(const char *text, struct trace *t, struct tr_err *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f) {
		printf("# fmemopen failed\n");
		exit(1);
	}
	memset(err, 0, sizeof(*err));
	ret = trace_read(f, "t.trace", t, err);
	fclose(f);
	return ret;
}

/* trace_write into a string the caller frees. */
static char *write_text(const struct trace *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || trace_write(f, t)) {
		printf("# trace_write failed\n");
		exit(1);
	}
	fclose(f);
	return buf;
}

static void fill(char *dst, size_t cap, char c, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memset(dst, c, n);
	dst[n] = '\0';
}

static void test_trace_add_grows_and_stops_at_max(void)
{
	struct trace t = {0};
	struct trace_event *e;
	size_t i;
	bool all = true;

	for (i = 0; i < TRACE_MAX; i++) {
		e = trace_add(&t, TRACE_CALL, (int)i + 1, (int64_t)i * 10);
		if (!e || e->line != (int)i + 1 || e->t_end_us != (int64_t)i * 10 ||
		    e->wire_t_us != (int64_t)i * 10 || e->expected[0] || e->status != TRACE_OK)
			all = false;
	}
	ok(all && t.n == TRACE_MAX && !t.overflow,
	   "trace_add takes %d events, each zeroed with end and wire_t at t", TRACE_MAX);
	ok(trace_add(&t, TRACE_SEND, 1, 0) == NULL && t.overflow && t.n == TRACE_MAX,
	   "the next one is refused and the trace says it overflowed");
	trace_free(&t);
	ok(t.n == 0 && t.ev == NULL && !t.overflow, "trace_free leaves an empty trace");
}

static void test_names(void)
{
	is_str(trace_kind_name(TRACE_SEND), "send", "kind send");
	is_str(trace_kind_name(TRACE_SHELL), "shell", "kind shell");
	is_str(trace_status_name(TRACE_NOT_RUN), "not-run", "status not-run");
	is_str(trace_status_name(TRACE_UNEXPECTED), "unexpected", "status unexpected");
	is_str(trace_wire_name(TRACE_WIRE_LATE), "late", "wire late");
	is_str(trace_wire_name(TRACE_WIRE_NONE), "none", "wire none");
}

static bool event_equal(const struct trace_event *a, const struct trace_event *b)
{
	return a->kind == b->kind && a->status == b->status && a->wire == b->wire &&
	       a->line == b->line && a->t_us == b->t_us && a->t_end_us == b->t_end_us &&
	       a->wire_t_us == b->wire_t_us && !strcmp(a->outcome, b->outcome) &&
	       !strcmp(a->field, b->field) && !strcmp(a->expected, b->expected) &&
	       !strcmp(a->actual, b->actual) && !strcmp(a->note, b->note);
}

static void test_round_trip_keeps_every_byte(void)
{
	struct trace in = {0}, out = {0};
	struct tr_err err;
	struct trace_event *e;
	char *text, *again;
	int k = 0, ret;
	bool same = true;

	/* Every kind, every status, every wire, in turn. */
	for (int kind = TRACE_SEND; kind <= TRACE_SHELL; kind++) {
		for (int st = TRACE_OK; st <= TRACE_NOT_RUN; st++) {
			for (int w = TRACE_WIRE_NONE; w <= TRACE_WIRE_LATE; w++, k++) {
				e = trace_add(&in, (enum trace_kind)kind, k,
					      (int64_t)k * 100001 - 5);
				e->status = (enum trace_status)st;
				e->wire = (enum trace_wire)w;
				e->t_end_us = e->t_us + k;
				e->wire_t_us = e->t_us - k;
				snprintf(e->outcome, sizeof(e->outcome), "o%d", k);
				snprintf(e->expected, sizeof(e->expected), "> . %d:%d(0) ack 1", k,
					 k);
			}
		}
	}
	e = trace_add(&in, TRACE_RECV, 7, -1);
	snprintf(e->expected, sizeof(e->expected), "quote \" backslash \\ end\\");
	snprintf(e->actual, sizeof(e->actual), "new\nline\ttab\rcr \x01\x1f\x7f \xc3\xa9 'x=y'");
	snprintf(e->note, sizeof(e->note), "\\n is not a newline, \\\" not a quote");
	snprintf(e->field, sizeof(e->field), "tcp option 3 (TS val)");
	e = trace_add(&in, TRACE_SEND, 2147483647, INT64_MIN);
	e->t_end_us = INT64_MAX;
	e->wire_t_us = 0;
	fill(e->expected, sizeof(e->expected), '"', 319);
	fill(e->actual, sizeof(e->actual), '\\', 319);
	fill(e->note, sizeof(e->note), 'n', 159);
	fill(e->outcome, sizeof(e->outcome), 'o', 31);
	fill(e->field, sizeof(e->field), '\n', 39);
	in.overflow = true;

	text = write_text(&in);
	ret = read_text(text, &out, &err);
	if (!ok(ret == 0, "what trace_write wrote, trace_read reads"))
		printf("#   %s\n", err.msg);
	ok(out.n == in.n && out.overflow, "every event and the overflow mark come back");
	for (size_t i = 0; i < in.n && i < out.n; i++)
		if (!event_equal(&in.ev[i], &out.ev[i])) {
			printf("#   event %zu differs\n", i);
			same = false;
		}
	ok(same, "every field of every event is the same, awkward strings and extreme times "
		 "included");
	again = write_text(&out);
	ok(!strcmp(text, again), "and writing it again gives the same text");
	ok(strchr(text, '\r') == NULL && strchr(text, '\x01') == NULL,
	   "no control byte reaches the text raw");
	free(again);
	free(text);
	trace_free(&in);
	trace_free(&out);
}

static void test_hand_written_defaults(void)
{
	struct trace t = {0};
	struct tr_err err;
	const char *text = "# a case by hand\n"
			   "\n"
			   "tcprig-trace 1\r\n"
			   "  call t=0.5 expected=\"close(4) = 0\"   \n"
			   "# between\n"
			   "recv\tline=9 t=-1.25 wire=late wire_t=1 status=unexpected\n";
	int ret = read_text(text, &t, &err);

	if (!ok(ret == 0 && t.n == 2, "comments, blank lines, CRLF, tabs and any field order"))
		printf("#   %s\n", err.msg);
	if (t.n == 2) {
		const struct trace_event *c = &t.ev[0], *r = &t.ev[1];

		ok(c->kind == TRACE_CALL && c->t_us == 500000 && c->t_end_us == 500000 &&
		       c->wire_t_us == 500000 && c->status == TRACE_OK &&
		       c->wire == TRACE_WIRE_NONE && c->line == 0 && c->actual[0] == '\0' &&
		       !strcmp(c->expected, "close(4) = 0"),
		   "an omitted field takes its default: end and wire_t at t, status ok");
		ok(r->t_us == -1250000 && r->wire_t_us == 1000000 && r->t_end_us == -1250000 &&
		       r->status == TRACE_UNEXPECTED && r->wire == TRACE_WIRE_LATE && r->line == 9,
		   "times with fewer decimals, negative times");
	}
	trace_free(&t);
}

static void test_long_string_is_cut_to_fit(void)
{
	static char text[4096];
	struct trace t = {0};
	struct tr_err err;
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "tcprig-trace 1\nshell t=0 outcome=\"");
	memset(text + n, 'a', 1000);
	n += 1000;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\" note=\"");
	memset(text + n, 'b', 2000);
	n += 2000;
	snprintf(text + n, sizeof(text) - n, "\\\"\"\n");
	if (!ok(read_text(text, &t, &err) == 0 && t.n == 1, "strings longer than the field read"))
		printf("#   %s\n", err.msg);
	if (t.n == 1) {
		is_int(strlen(t.ev[0].outcome), sizeof(t.ev[0].outcome) - 1,
		       "outcome cut to its field");
		is_int(strlen(t.ev[0].note), sizeof(t.ev[0].note) - 1, "note cut to its field");
	}
	trace_free(&t);
}

static void test_overflow_when_reading_past_max(void)
{
	struct trace t = {0};
	struct tr_err err;
	char *text = malloc((TRACE_MAX + 10) * 16 + 32);
	size_t n = (size_t)sprintf(text, "tcprig-trace 1\n");

	for (int i = 0; i < TRACE_MAX + 10; i++)
		n += (size_t)sprintf(text + n, "call t=%d\n", i);
	ok(read_text(text, &t, &err) == 0 && t.n == TRACE_MAX && t.overflow,
	   "reading more than TRACE_MAX events keeps the first and marks overflow");
	trace_free(&t);
	free(text);
}

static void test_bad_input_errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"", "t.trace:1: not a trace: no 'tcprig-trace 1' line"},
	    {"# only a comment\n", "t.trace:2: not a trace: no 'tcprig-trace 1' line"},
	    {"send t=0\n", "t.trace:1: not a trace: the first line must be 'tcprig-trace 1'"},
	    {"tcprig-trace 2\n",
	     "t.trace:1: trace version '2' is not supported (this tcprig reads 1)"},
	    {"tcprig-trace 1 x\n", "t.trace:1: junk after the trace header"},
	    {"tcprig-trace 1\nsend t=0\nsned t=1\n", "t.trace:3: unknown event kind 'sned'"},
	    {"tcprig-trace 1\nsend t=0 colour=red\n", "t.trace:2: unknown field 'colour'"},
	    {"tcprig-trace 1\nsend t=0 line\n", "t.trace:2: field 'line' without '=value'"},
	    {"tcprig-trace 1\nsend t=0 t=1\n", "t.trace:2: field 't' given twice"},
	    {"tcprig-trace 1\nsend line=3\n", "t.trace:2: event without a time (t=)"},
	    {"tcprig-trace 1\nsend t=0 expected=\"> S 0:0(0)\n",
	     "t.trace:2: unterminated string in field 'expected'"},
	    {"tcprig-trace 1\nsend t=0 expected=\"abc\\\n",
	     "t.trace:2: unterminated string in field 'expected'"},
	    {"tcprig-trace 1\nsend t=0 note=\"a\\qb\"\n",
	     "t.trace:2: unknown escape '\\q' in field 'note'"},
	    {"tcprig-trace 1\nsend t=0 note=\"\\x00\"\n",
	     "t.trace:2: bad escape in field 'note': \\x takes two hex digits, not 00"},
	    {"tcprig-trace 1\nsend t=0 note=\"\\x4\"\n",
	     "t.trace:2: bad escape in field 'note': \\x takes two hex digits, not 00"},
	    {"tcprig-trace 1\nsend t=0 note=\"a\"b\n",
	     "t.trace:2: a blank must follow the string of field 'note'"},
	    {"tcprig-trace 1\nsend t=0 note=abc\n",
	     "t.trace:2: field 'note' needs a quoted string, not 'abc'"},
	    {"tcprig-trace 1\nsend t=0.1234567\n",
	     "t.trace:2: bad time '0.1234567' in field 't': seconds with at most 6 decimals, "
	     "like 0.100187"},
	    {"tcprig-trace 1\nsend t=abc\n",
	     "t.trace:2: bad time 'abc' in field 't': seconds with at most 6 decimals, like "
	     "0.100187"},
	    {"tcprig-trace 1\nsend t=1. \n",
	     "t.trace:2: bad time '1.' in field 't': seconds with at most 6 decimals, like "
	     "0.100187"},
	    {"tcprig-trace 1\nsend t=0 end=+1\n",
	     "t.trace:2: bad time '+1' in field 'end': seconds with at most 6 decimals, like "
	     "0.100187"},
	    {"tcprig-trace 1\nsend t=9223372036854.775808\n",
	     "t.trace:2: bad time '9223372036854.775808' in field 't': seconds with at most 6 "
	     "decimals, like 0.100187"},
	    {"tcprig-trace 1\nsend t=0 line=-1\n",
	     "t.trace:2: bad line number '-1' in field 'line'"},
	    {"tcprig-trace 1\nsend t=0 line=2147483648\n",
	     "t.trace:2: bad line number '2147483648' in field 'line'"},
	    {"tcprig-trace 1\nsend t=0 status=fine\n",
	     "t.trace:2: unknown status 'fine' (ok, failed, unexpected, not-run)"},
	    {"tcprig-trace 1\nsend t=0 wire=\n",
	     "t.trace:2: unknown wire '' (none, ok, lost, late)"},
	    {"tcprig-trace 1\noverflow now\n", "t.trace:2: 'overflow' takes no fields"},
	    {"tcprig-trace 1\nsend t=0 x="
	     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n",
	     "t.trace:2: unknown field 'x'"},
	    {"tcprig-trace "
	     "1\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	     "t.trace:2: unknown event kind 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct trace t = {0};
		struct tr_err err;
		int ret = read_text(cases[i].text, &t, &err);

		ok(ret == -1 && err.status == TR_USAGE, "bad trace %zu is refused", i);
		is_str(err.msg, cases[i].msg, "  with the message naming file, line and what");
		trace_free(&t);
	}
}

static void test_nul_byte_is_refused(void)
{
	static const char text[] = "tcprig-trace 1\nsend t=0 note=\"a\0b\"\n";
	struct trace t = {0};
	struct tr_err err = {0};
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	ok(trace_read(f, "t.trace", &t, &err) == -1, "a NUL byte in a line is refused");
	is_str(err.msg, "t.trace:2: a NUL byte: this is not a text trace", "  and said so");
	fclose(f);
	trace_free(&t);
}

int main(void)
{
	test_trace_add_grows_and_stops_at_max();
	test_names();
	test_round_trip_keeps_every_byte();
	test_hand_written_defaults();
	test_long_string_is_cut_to_fit();
	test_overflow_when_reading_past_max();
	test_bad_input_errors();
	test_nul_byte_is_refused();
	return tap_done();
}
