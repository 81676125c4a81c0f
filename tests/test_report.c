/* test_report.c - the JSON and JUnit reports of a made-up run: one case of
 * each verdict, a case that could not run, a matrix cell and strings that
 * need escaping; both documents agree on the counts, stay valid UTF-8 and
 * name the first differing field of a failure.
 *
 * Usage: test_report [DIR]. The reports are left in DIR as report.json,
 * report.xml, empty.json and empty.xml for tests/integration/report_formats.sh
 * to validate against the schema; without DIR they go to a temporary
 * directory that is removed.
 */
#include "report/report.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/runner.h"
#include "tap.h"
#include "core/trace.h"

#define NCASES 8

static struct run_result results[NCASES];
static struct report_case cases[NCASES];
static struct tr_err could_not_run;

static struct trace_event *event(struct run_result *r, enum trace_kind kind, int line, int64_t t_us,
				 const char *expected, const char *actual)
{
	struct trace_event *e = trace_add(&r->trace, kind, line, t_us);

	if (!e) {
		printf("# trace_add failed\n");
		exit(1);
	}
	snprintf(e->expected, sizeof(e->expected), "%s", expected);
	snprintf(e->actual, sizeof(e->actual), "%s", actual);
	return e;
}

/* The handshake every case starts with. */
static void handshake(struct run_result *r)
{
	event(r, TRACE_CALL, 1, 0, "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3", "= 3");
	event(r, TRACE_SEND, 5, 0, "< S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>",
	      "40000>8080 S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>");
	event(r, TRACE_RECV, 6, 187, "> S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 7>",
	      "8080>40000 S. 0:0(0) ack 1 win 65160 <mss 1460,nop,nop,sackOK,nop,wscale 7>");
}

static void make_cases(void)
{
	struct run_result *r;
	struct trace_event *e;

	/* 0: PASS, every kind of event. */
	r = &results[0];
	r->verdict = RUN_PASS;
	r->elapsed_us = 123456;
	r->events_done = 7;
	snprintf(r->outcome, sizeof(r->outcome), "ack");
	handshake(r);
	event(r, TRACE_SEND, 7, 10000, "< . 1:1(0) ack 1 win 257",
	      "40000>8080 . 1:1(0) ack 1 win 257");
	event(r, TRACE_CALL, 8, 10000, "accept(3, ..., ...) = 4", "= 4");
	e = event(r, TRACE_QUIET, 9, 10000, "> nothing", "");
	e->t_end_us = 210000;
	event(r, TRACE_CHECK, 10, 210000, "sock_state(TIME_WAIT)", "= TIME_WAIT");
	e = event(r, TRACE_SHELL, 11, 210000, "`sysctl -q net.ipv4.tcp_rfc1337=0`", "= 0");
	snprintf(e->outcome, sizeof(e->outcome), "ack");
	cases[0] = (struct report_case){.path = "cases/basic/passive_open.pkt", .res = r};

	/* 1: FAIL on a field, the reason as the matcher writes it. */
	r = &results[1];
	r->verdict = RUN_FAIL;
	r->line = 14;
	r->elapsed_us = 2500000;
	r->events_done = 3;
	snprintf(r->reason, sizeof(r->reason),
		 "cases/timewait/tw_reack_fin.pkt:14: > . 1:1(0) ack 2 win 257\n"
		 "  expected: 8080>40000 . 1:1(0) ack 2 win 257\n"
		 "  actual:   8080>40000 R 1:1(0) win 0\n"
		 "  tcp flags: expected ., actual R\n");
	handshake(r);
	e = event(r, TRACE_RECV, 14, 1100000, "> . 1:1(0) ack 2 win 257",
		  "8080>40000 R 1:1(0) win 0");
	e->status = TRACE_FAILED;
	snprintf(e->field, sizeof(e->field), "tcp flags");
	snprintf(e->note, sizeof(e->note), "tcp flags: expected ., actual R");
	e = event(r, TRACE_CHECK, 15, 1100000, "sock_state(TIME_WAIT)", "");
	e->status = TRACE_NOT_RUN;
	cases[1] = (struct report_case){.path = "cases/timewait/tw_reack_fin.pkt", .res = r};

	/* 2: SKIP, a knob this kernel lacks. */
	r = &results[2];
	r->verdict = RUN_SKIP;
	r->line = 3;
	r->elapsed_us = 1000;
	snprintf(
	    r->reason, sizeof(r->reason),
	    "net.ipv4.tcp_rfc1337: no such sysctl on this kernel\n\tsysctl said:\r\nunknown key");
	cases[2] = (struct report_case){.path = "cases/timewait/tw_rfc1337.pkt", .res = r};

	/* 3: INCONCLUSIVE in a matrix cell: the target's ACK was lost. */
	r = &results[3];
	r->verdict = RUN_INCONCLUSIVE;
	r->line = 9;
	r->elapsed_us = 900001;
	snprintf(r->reason, sizeof(r->reason),
		 "the target sent a segment for line 9 that the rig never got\n"
		 "cases/timewait/tw_reuse.pkt:9: > . 1:1(0) ack 2\n"
		 "  no segment in its window");
	handshake(r);
	r->trace.ev[1].wire = TRACE_WIRE_OK;
	r->trace.ev[1].wire_t_us = 40;
	e = event(r, TRACE_RECV, 0, 300000, "", "8080>40000 . 1:1(0) ack 2 win 502");
	e->status = TRACE_UNEXPECTED;
	e->wire = TRACE_WIRE_LOST;
	e = event(r, TRACE_MISSING, 9, 300000, "> . 1:1(0) ack 2", "");
	e->status = TRACE_FAILED;
	e->t_end_us = 304000;
	cases[3] = (struct report_case){
	    .path = "cases/timewait/tw_reuse.pkt", .res = r, .config = "net.ipv4.tcp_tw_reuse=1"};

	/* 4: could not run: never a pass, an error with its message. */
	snprintf(could_not_run.msg, sizeof(could_not_run.msg),
		 "lab: cannot create network namespace: Operation not permitted");
	could_not_run.status = TR_ENV;
	cases[4] = (struct report_case){.path = "cases/basic/active_open.pkt",
					.ret = -1,
					.err = &could_not_run,
					.res = &results[4]};

	/* 5: FAIL with strings that need escaping everywhere: quotes, markup,
	 * a CDATA end, control characters, bytes that are not UTF-8, and UTF-8
	 * that is. The reason has no line naming the field: the message comes
	 * from the event. */
	r = &results[5];
	r->verdict = RUN_FAIL;
	r->line = 20;
	r->elapsed_us = 5;
	snprintf(r->reason, sizeof(r->reason),
		 "cases/odd/we\"ird <&> ]]>.pkt:20: \"quoted\" <tag> & ]]> \x01\x1b[31m\x7f "
		 "bad \xff\xc3\x28 \xed\xa0\x80 good \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"
		 "\tsecond line\r\n");
	snprintf(r->outcome, sizeof(r->outcome), "a\"b\\c");
	handshake(r);
	e = event(r, TRACE_RECV, 20, 20000, "> P. 1:6(5) ack 1 <]]> \"x\" & y>",
		  "8080>40000 P. 1:6(5) ack 9 \x02\xfe]]>");
	e->status = TRACE_FAILED;
	snprintf(e->field, sizeof(e->field), "tcp ack");
	snprintf(e->note, sizeof(e->note), "note with \x03 and \xc0\xaf");
	cases[5] = (struct report_case){
	    .path = "cases/odd/we\"ird <&> ]]>.pkt", .res = r, .config = "a=\"1\" & b=<2>"};

	/* 6: FAIL with no trace at all: the message from the reason's line. */
	r = &results[6];
	r->verdict = RUN_FAIL;
	r->line = 31;
	r->elapsed_us = 1;
	snprintf(r->reason, sizeof(r->reason),
		 "cases/basic/close.pkt:31: close(4) = 0\n"
		 "  close: expected = 0, actual = -1 EBADF\n");
	cases[6] = (struct report_case){.path = "cases/basic/close.pkt", .res = r};

	/* 7: PASS of the same case in another matrix cell, no directory. */
	r = &results[7];
	r->verdict = RUN_PASS;
	r->elapsed_us = 800000;
	handshake(r);
	cases[7] = (struct report_case){
	    .path = "tw_reuse.pkt", .res = r, .config = "net.ipv4.tcp_tw_reuse=0"};
}

/* The whole of a file, NUL-terminated; its length in *len. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = calloc(1, (size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Well-formed UTF-8 throughout, no NUL, and no control character but those
 * allowed (tab, newline; carriage return too if cr). */
static bool clean_utf8(const char *s, size_t len, bool cr)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		unsigned c = p[i], need, cp;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && !(cr && c == '\r'))
				return false;
			i++;
			continue;
		}
		need = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c <= 0xdf ? 1 : 9;
		if (need == 9 || i + need >= len)
			return false;
		cp = c & (0x3f >> need);
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

static char dir[4096];

static void path_in_dir(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", dir, name);
}

static bool write_json(const char *name, const struct report_case *c, size_t n)
{
	char path[4200];
	struct tr_err err = {0};
	FILE *f;
	int ret;

	path_in_dir(path, sizeof(path), name);
	f = fopen(path, "w");
	if (!f)
		return false;
	ret = report_json_write(f, c, n, &err);
	if (ret)
		printf("# %s: %s\n", name, err.msg);
	return fclose(f) == 0 && ret == 0;
}

static bool write_junit(const char *name, const struct report_case *c, size_t n)
{
	char path[4200];
	struct tr_err err = {0};
	FILE *f;
	int ret;

	path_in_dir(path, sizeof(path), name);
	f = fopen(path, "w");
	if (!f)
		return false;
	ret = report_junit_write(f, "tcprig", c, n, &err);
	if (ret)
		printf("# %s: %s\n", name, err.msg);
	return fclose(f) == 0 && ret == 0;
}

static char *read_back(const char *name, size_t *len)
{
	char path[4200];

	path_in_dir(path, sizeof(path), name);
	return slurp(path, len);
}

static void test_json_summary_counts_each_verdict_once(void)
{
	size_t len = 0;
	char *s;

	ok(write_json("report.json", cases, NCASES), "report_json_write writes the run");
	s = read_back("report.json", &len);
	if (!ok(s != NULL, "and the file reads back"))
		return;
	ok(strstr(s, "\"summary\":{\"passed\":2,\"failed\":3,\"skipped\":1,\"inconclusive\":1,"
		     "\"errors\":1}") != NULL,
	   "summary: 2 passed, 3 failed, 1 skipped, 1 inconclusive, 1 error");
	is_int(count(s, "\"verdict\":"), NCASES, "one verdict per case");
	is_int(count(s, "\"verdict\":\"PASS\""), 2, "PASS twice, by run_verdict_name");
	is_int(count(s, "\"verdict\":\"INCONCLUSIVE\""), 1, "INCONCLUSIVE once");
	is_int(count(s, "\"verdict\":\"ERROR\""), 1, "the case that could not run is an ERROR");
	ok(strstr(s, "\"reason\":\"lab: cannot create network namespace: Operation not "
		     "permitted\"") != NULL,
	   "whose reason is the error's message");
	ok(strstr(s, "\"config\":\"net.ipv4.tcp_tw_reuse=1\"") != NULL, "a matrix cell's config");
	ok(strstr(s, "\"config\":null") != NULL, "null when none");
	ok(strstr(s, "\"elapsed_s\":2.500000") != NULL, "elapsed in seconds, microseconds exact");
	ok(strstr(s, "{\"kind\":\"recv\",\"t\":1.100000,\"t_end\":1.100000,\"line\":14,"
		     "\"status\":") != NULL,
	   "events with their kind, times and line");
	ok(strstr(s, "\"field\":\"tcp flags\"") != NULL, "the failed event's field");
	ok(strstr(s, "\"line\":null") != NULL, "an unwanted segment's line is null");
	ok(strstr(s, "\"wire_t\":0.000040") != NULL, "wire time when captured");
	ok(strstr(s, "\"outcome\":\"a\\\"b\\\\c\"") != NULL, "quotes and backslashes escaped");
	ok(strstr(s, "\\u0001\\u001b[31m") != NULL, "control characters as \\u00XX");
	ok(strstr(s, "\\t") && strstr(s, "\\r\\n"), "tab, CR and LF as \\t \\r \\n");
	ok(strstr(s, "bad \\ufffd\\ufffd( \\ufffd\\ufffd\\ufffd good \xc3\xa9 \xe2\x82\xac "
		     "\xf0\x9f\x98\x80") != NULL,
	   "bytes that are not UTF-8 (and surrogates) as U+FFFD, UTF-8 kept");
	ok(clean_utf8(s, len, false), "the document is clean UTF-8 with no raw control characters");
	ok(len && s[len - 1] == '\n', "and ends with a newline");
	free(s);
}

static void test_junit_counts_agree_with_json(void)
{
	size_t len = 0;
	char *s;

	ok(write_junit("report.xml", cases, NCASES), "report_junit_write writes the run");
	s = read_back("report.xml", &len);
	if (!ok(s != NULL, "and the file reads back"))
		return;
	ok(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0,
	   "an XML declaration, UTF-8");
	is_int(count(s, "tests=\"8\" failures=\"4\" errors=\"1\" skipped=\"1\""), 2,
	       "testsuites and testsuite: 8 tests, 4 failures (FAIL + INCONCLUSIVE), 1 error, "
	       "1 skipped");
	is_int(count(s, "<testcase "), NCASES, "one testcase per case");
	is_int(count(s, "<failure "), 4, "four failures");
	is_int(count(s, "type=\"INCONCLUSIVE\""), 1, "one of them INCONCLUSIVE");
	is_int(count(s, "<error "), 1, "one error");
	is_int(count(s, "<skipped "), 1, "one skipped");
	is_int(count(s, "<system-out>"), NCASES, "every case has its system-out");
	ok(strstr(s, "time=\"4.324463\"") != NULL, "the suite's time is the sum");
	ok(strstr(s, "message=\"line 14: tcp flags: expected ., actual R\" type=\"FAIL\"") != NULL,
	   "a mismatch's message is the reason's line naming the failed event's field");
	ok(strstr(s, "message=\"line 20: tcp ack: expected &gt; P. 1:6(5) ack 1 &lt;]]&gt; "
		     "&quot;x&quot; &amp; y&gt;, actual 8080&gt;40000 P. 1:6(5) ack 9 "
		     "\xef\xbf\xbd\xef\xbf\xbd]]&gt;\"") != NULL,
	   "else the event's field, expected and actual, escaped");
	ok(strstr(s, "message=\"line 31: close: expected = 0, actual = -1 EBADF\"") != NULL,
	   "without a trace, the reason's line with an expected value");
	ok(strstr(s, "<skipped message=\"net.ipv4.tcp_rfc1337: no such sysctl on this "
		     "kernel&#10;&#9;sysctl said:&#13;&#10;unknown key\"/>") != NULL,
	   "a SKIP's message is its reason; newline, tab and CR as character references");
	ok(strstr(s, "<error message=\"lab: cannot create network namespace: Operation not "
		     "permitted\" type=\"ERROR\">") != NULL,
	   "an error's message is the error");
	ok(strstr(s, "name=\"cases/timewait/tw_reuse.pkt [net.ipv4.tcp_tw_reuse=1]\" "
		     "classname=\"tcprig.timewait\"") != NULL,
	   "a matrix cell: path [config], classname from the directory");
	ok(strstr(s, "name=\"tw_reuse.pkt [net.ipv4.tcp_tw_reuse=0]\" classname=\"tcprig\"") !=
	       NULL,
	   "no directory: the suite alone");
	ok(strstr(s, "name=\"cases/odd/we&quot;ird &lt;&amp;&gt; ]]&gt;.pkt [a=&quot;1&quot; "
		     "&amp; b=&lt;2&gt;]\"") != NULL,
	   "quotes and markup in a name escaped");
	ok(strstr(s, "\n\tsecond line&#13;\n</failure>") != NULL,
	   "in text, newline and tab as they are, CR as a character reference");
	ok(strstr(s, "\xef\xbf\xbd\xef\xbf\xbd[31m") != NULL, "control characters as U+FFFD");
	ok(strstr(s, "]]]]><![CDATA[>") != NULL, "]]> in the ladder split across CDATA sections");
	ok(clean_utf8(s, len, false), "the document is clean UTF-8, no forbidden characters");
	free(s);
}

static void test_empty_run_is_a_valid_document(void)
{
	size_t len = 0;
	char *s;

	ok(write_json("empty.json", cases, 0), "an empty run as JSON");
	s = read_back("empty.json", &len);
	ok(s && strstr(s, "\"summary\":{\"passed\":0,\"failed\":0,\"skipped\":0,"
			  "\"inconclusive\":0,\"errors\":0},\"cases\":[\n]}") != NULL,
	   "zero counts, no cases");
	free(s);
	ok(write_junit("empty.xml", cases, 0), "an empty run as JUnit");
	s = read_back("empty.xml", &len);
	ok(s && strstr(s, "<testsuites name=\"tcprig\" tests=\"0\" failures=\"0\" errors=\"0\" "
			  "skipped=\"0\" time=\"0.000000\">") != NULL,
	   "zero counts");
	free(s);
}

static void test_write_errors_are_reported(void)
{
	struct tr_err err = {0};
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		ok(true, "# SKIP no /dev/full");
		ok(true, "# SKIP no /dev/full");
		return;
	}
	ok(report_json_write(f, cases, NCASES, &err) == -1 && strstr(err.msg, "JSON"),
	   "a full disk: report_json_write says so (%s)", err.msg);
	clearerr(f);
	ok(report_junit_write(f, "tcprig", cases, NCASES, &err) == -1 && strstr(err.msg, "JUnit"),
	   "and report_junit_write (%s)", err.msg);
	fclose(f);
}

static void remove_dir(void)
{
	static const char *const names[] = {"report.json", "report.xml", "empty.json", "empty.xml"};
	char path[4200];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		path_in_dir(path, sizeof(path), names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	bool keep = argc > 1;

	if (keep) {
		snprintf(dir, sizeof(dir), "%s", argv[1]);
		if (mkdir(dir, 0755) && errno != EEXIST) {
			perror(dir);
			return 1;
		}
	} else {
		snprintf(dir, sizeof(dir), "/tmp/tcprig-report-XXXXXX");
		if (!mkdtemp(dir)) {
			perror(dir);
			return 1;
		}
	}
	make_cases();
	test_json_summary_counts_each_verdict_once();
	test_junit_counts_agree_with_json();
	test_empty_run_is_a_valid_document();
	test_write_errors_are_reported();
	for (size_t i = 0; i < NCASES; i++)
		trace_free(&results[i].trace);
	if (!keep)
		remove_dir();
	return tap_done();
}
