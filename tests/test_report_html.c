/* test_report_html.c - the matrix's HTML page: one row per case, one column
 * per combination, a linked details section with one SVG ladder per cell,
 * everything escaped, well-formed, offline and deterministic.
 *
 * Usage: test_report_html [OUT.html]: the page is also left at OUT.html for
 * tests/integration/html_screenshot.sh (xmllint and a headless browser).
 */
#include "report/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/svg.h"
#include "tap.h"

static struct trace_event *ev(struct trace *t, enum trace_kind kind, int line, int64_t t_us,
			      enum trace_status status, const char *expected, const char *actual)
{
	struct trace_event *e = trace_add(t, kind, line, t_us);

	if (!e) {
		printf("# trace_add failed\n");
		exit(1);
	}
	e->status = status;
	snprintf(e->expected, sizeof(e->expected), "%s", expected);
	snprintf(e->actual, sizeof(e->actual), "%s", actual);
	return e;
}

/* The handshake every synthetic case starts with. */
static void handshake(struct trace *t)
{
	struct trace_event *e;

	ev(t, TRACE_CALL, 1, 0, TRACE_OK, "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3", "= 3");
	ev(t, TRACE_CALL, 4, 0, TRACE_OK, "listen(3, 1) = 0", "= 0");
	ev(t, TRACE_SEND, 6, 100000, TRACE_OK,
	   "< S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>",
	   "40000>8080 S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>");
	e = ev(t, TRACE_RECV, 7, 100210, TRACE_OK,
	       "> S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>",
	       "8080>40000 S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 700 ecr "
	       "100,nop,wscale 7>");
	e->wire = TRACE_WIRE_OK;
	ev(t, TRACE_SEND, 8, 110000, TRACE_OK,
	   "< . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 700>",
	   "40000>8080 . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 700>");
	ev(t, TRACE_CALL, 9, 110000, TRACE_OK, "accept(3, ..., ...) = 4", "= 4");
}

/* case 0: TIME_WAIT and a stale RST; case 1: RFC 1337, with escapes. */
static void fill(struct matrix *m)
{
	struct matrix_cell *c;
	struct trace_event *e;
	struct trace *t;
	size_t i, j;

	for (i = 0; i < m->ncases; i++)
		for (j = 0; j < m->ncombos; j++) {
			c = matrix_cell(m, i, j);
			c->ret = 0;
			memset(&c->err, 0, sizeof(c->err));
			c->res.verdict = RUN_PASS;
			handshake(&c->res.trace);
		}

	/* (0,0): passes, outcome ack, a quiet window that held. */
	c = matrix_cell(m, 0, 0);
	t = &c->res.trace;
	ev(t, TRACE_SHELL, 10, 120000, TRACE_OK, "`sysctl -q net.ipv4.tcp_rfc1337=0`", "= 0");
	e = ev(t, TRACE_SEND, 12, 200000, TRACE_OK,
	       "< R. 1:1(0) ack 1 win 257 <nop,nop,TS val 5 ecr 700>",
	       "40000>8080 R. 1:1(0) ack 1 win 257 <nop,nop,TS val 5 ecr 700>");
	e = ev(t, TRACE_RECV, 13, 200150, TRACE_OK, "> . 1:1(0) ack 1 => ack",
	       "8080>40000 . 1:1(0) ack 1 win 509 <nop,nop,TS val 800 ecr 110>");
	snprintf(e->outcome, sizeof(e->outcome), "ack");
	e = ev(t, TRACE_QUIET, 14, 200150, TRACE_OK, "> nothing 0.2", "");
	e->t_end_us = 400150;
	ev(t, TRACE_CHECK, 15, 400200, TRACE_OK, "sock_state(8080, 40000) = ESTABLISHED",
	   "= ESTABLISHED");
	snprintf(c->res.outcome, sizeof(c->res.outcome), "ack");

	/* (0,1): passes with a risk label. */
	c = matrix_cell(m, 0, 1);
	t = &c->res.trace;
	ev(t, TRACE_SEND, 12, 200000, TRACE_OK, "< R. 1:1(0) ack 1 win 257",
	   "40000>8080 R. 1:1(0) ack 1 win 257");
	e = ev(t, TRACE_CHECK, 13, 200300, TRACE_OK, "sock_state(8080, 40000) = NONE => rst!",
	       "= NONE");
	snprintf(e->outcome, sizeof(e->outcome), "rst!");
	snprintf(c->res.outcome, sizeof(c->res.outcome), "rst!");

	/* (0,2): fails on a field; a segment the rig sent never arrived. */
	c = matrix_cell(m, 0, 2);
	t = &c->res.trace;
	e = ev(t, TRACE_SEND, 11, 150000, TRACE_OK, "< P. 1:11(10) ack 1 win 257",
	       "40000>8080 P. 1:11(10) ack 1 win 257");
	e->wire = TRACE_WIRE_LOST;
	e = ev(t, TRACE_RECV, 12, 350000, TRACE_FAILED,
	       "> . 1:1(0) ack 11 <nop,nop,TS val 800 ecr 110>", "8080>40000 R 1:1(0) win 0");
	snprintf(e->field, sizeof(e->field), "tcp flags");
	snprintf(e->note, sizeof(e->note), "tcp flags: expected ., actual R");
	ev(t, TRACE_CALL, 13, 400000, TRACE_NOT_RUN, "close(4) = 0", "");
	c->res.verdict = RUN_FAIL;
	c->res.line = 12;
	snprintf(c->res.reason, sizeof(c->res.reason),
		 "case.pkt:12: > . 1:1(0) ack 11\n  expected: . 1:1(0) ack 11\n  actual:   R "
		 "1:1(0) win 0\n  tcp flags: expected ., actual R");

	/* (0,3): a `>` line nothing answered; the target's answer was lost. */
	c = matrix_cell(m, 0, 3);
	t = &c->res.trace;
	e = ev(t, TRACE_RECV, 0, 205000, TRACE_UNEXPECTED, "", "8080>40000 . 1:1(0) ack 1 win 509");
	e->wire = TRACE_WIRE_LOST;
	e = ev(t, TRACE_MISSING, 13, 200000, TRACE_FAILED, "> . 1:1(0) ack 1", "");
	e->t_end_us = 204000;
	snprintf(e->note, sizeof(e->note), "nothing arrived within 4 ms");
	c->res.verdict = RUN_INCONCLUSIVE;
	c->res.line = 13;
	snprintf(c->res.reason, sizeof(c->res.reason),
		 "the target sent a segment the rig never got");

	/* (1,0): FAIL after a label, in a quiet window that did not hold. */
	c = matrix_cell(m, 1, 0);
	t = &c->res.trace;
	e = ev(t, TRACE_RECV, 11, 150000, TRACE_OK, "> F. 1:1(0) ack 1 => fin!",
	       "8080>40000 F. 1:1(0) ack 1 win 509");
	snprintf(e->outcome, sizeof(e->outcome), "fin!");
	e = ev(t, TRACE_QUIET, 12, 150000, TRACE_FAILED, "> nothing 0.5",
	       "8080>40000 R 2:2(0) win 0");
	e->t_end_us = 650000;
	snprintf(e->note, sizeof(e->note), "a segment in a quiet window: <R> & \"more\"");
	c->res.verdict = RUN_FAIL;
	c->res.line = 12;
	snprintf(c->res.outcome, sizeof(c->res.outcome), "fin!");

	/* (1,1): skip. */
	c = matrix_cell(m, 1, 1);
	c->res.verdict = RUN_SKIP;
	c->res.line = 2;
	snprintf(c->res.reason, sizeof(c->res.reason), "no such sysctl: net.ipv4.tcp_bogus");

	/* (1,2): could not run; the message has markup in it. */
	c = matrix_cell(m, 1, 2);
	c->ret = -1;
	trace_free(&c->res.trace);
	err_env(&c->err, "agent: <script>alert(1)</script> & gone\x01");

	/* (1,3): a call that failed, control characters and UTF-8 in the text. */
	c = matrix_cell(m, 1, 3);
	t = &c->res.trace;
	e = ev(t, TRACE_CALL, 10, 120000, TRACE_FAILED, "write(4, ..., 10) = 10",
	       "= -1 ECONNRESET (Connection reset by peer)\x07 \xc3\xa9\xff");
	e->t_end_us = 130000;
	c->res.verdict = RUN_FAIL;
	c->res.line = 10;

	for (i = 0; i < m->ncases; i++)
		for (j = 0; j < m->ncombos; j++)
			matrix_cell_describe(matrix_cell(m, i, j));
}

static char *slurp(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	rewind(f);
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			cap = cap * 2 + 8192;
			buf = realloc(buf, cap);
			if (!buf)
				exit(1);
		}
		n = fread(buf + *len, 1, 4096, f);
		*len += n;
		if (n == 0)
			break;
	}
	buf[*len] = '\0';
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* Well-formed XML, the part a page can get wrong: every tag closed in
 * order, attributes quoted, '&' only in the five entities or a character
 * reference, no raw '<' in text or attributes, no control characters. */
static bool xml_well_formed(const char *s, char *why, size_t cap)
{
	const char *stack[64], *p = s, *name;
	size_t depth = 0, nlen[64], len;
	int line = 1;

	for (; *p; p++) {
		if (*p == '\n')
			line++;
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') {
			snprintf(why, cap, "line %d: control character 0x%02x", line, *p);
			return false;
		}
		if (*p == '&') {
			static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;",
							  "&apos;"};
			size_t i;
			bool good = false;

			for (i = 0; i < 5; i++)
				good |= strncmp(p, ent[i], strlen(ent[i])) == 0;
			if (p[1] == '#') {
				const char *q = p + 2;

				while (*q >= '0' && *q <= '9')
					q++;
				good = q > p + 2 && *q == ';';
			}
			if (!good) {
				snprintf(why, cap, "line %d: bare '&': %.20s", line, p);
				return false;
			}
			continue;
		}
		if (*p != '<')
			continue;
		if (strncmp(p, "<!DOCTYPE", 9) == 0 || strncmp(p, "<!--", 4) == 0) {
			p = strchr(p, '>');
			if (!p)
				return false;
			continue;
		}
		if (p[1] == '/') {
			name = p + 2;
			len = strcspn(name, ">");
			if (!depth || len != nlen[depth - 1] ||
			    strncmp(name, stack[depth - 1], len)) {
				snprintf(why, cap, "line %d: </%.*s> closes <%.*s>", line, (int)len,
					 name, depth ? (int)nlen[depth - 1] : 0,
					 depth ? stack[depth - 1] : "");
				return false;
			}
			depth--;
			p = name + len;
			continue;
		}
		name = p + 1;
		len = strcspn(name, " \t\n/>");
		if (!len) {
			snprintf(why, cap, "line %d: a raw '<'", line);
			return false;
		}
		/* Attributes: name="value" with no '<' in the value. */
		for (p = name + len; *p && *p != '>' && !(p[0] == '/' && p[1] == '>'); p++) {
			if (*p == '\n')
				line++;
			if (*p == '=') {
				char q = p[1];
				const char *end;

				if (q != '"' && q != '\'') {
					snprintf(why, cap, "line %d: unquoted attribute", line);
					return false;
				}
				end = strchr(p + 2, q);
				if (!end || memchr(p + 2, '<', (size_t)(end - p - 2))) {
					snprintf(why, cap, "line %d: bad attribute value", line);
					return false;
				}
				p = end;
			}
		}
		if (!*p)
			return false;
		if (*p == '/') {
			p++;
			continue;
		}
		if (depth == 64)
			return false;
		stack[depth] = name;
		nlen[depth++] = len;
	}
	if (depth) {
		snprintf(why, cap, "<%.*s> never closed", (int)nlen[depth - 1], stack[depth - 1]);
		return false;
	}
	return true;
}

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc2 ? 1 : -1;
		if (n < 0 || *p > 0xf4)
			return false;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xc0) != 0x80)
				return false;
	}
	return true;
}

static void test_page(const char *html)
{
	char why[256] = "", id[64];
	size_t i, j;

	ok(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0, "an HTML5 page");
	ok(strstr(html, "<meta charset=\"utf-8\"/>") != NULL, "in UTF-8");
	ok(valid_utf8(html), "  valid UTF-8 throughout");
	ok(xml_well_formed(html, why, sizeof(why)), "well-formed XML");
	if (why[0])
		printf("#   %s\n", why);
	ok(strstr(html, "<title>tcprig matrix test</title>") != NULL,
	   "the title's first line is the page's title");
	ok(strstr(html, "<p class=\"sub\">Linux 6.18.44 x86_64, 2025-01-31 12:00 UTC</p>") != NULL,
	   "later title lines under it");

	is_int(count(html, "<svg"), 8, "one <svg> per cell (2 cases x 4 combinations)");
	is_int(count(html, "</svg>"), 8, "  each closed");
	is_int(count(html, "<section class=\"cell\""), 8, "one details section per cell");
	for (i = 0; i < 2; i++)
		for (j = 0; j < 4; j++) {
			snprintf(id, sizeof(id), "id=\"cell-%zu-%zu\"", i, j);
			ok(count(html, id) == 1, "section %s", id);
			snprintf(id, sizeof(id), "href=\"#cell-%zu-%zu\"", i, j);
			ok(count(html, id) == 1, "  linked from its table cell");
		}

	ok(strstr(html, "<th class=\"knob\" scope=\"row\" title=\"net.ipv4.tcp_tw_reuse\">"
			"tw_reuse</th><th colspan=\"2\" scope=\"colgroup\">0</th>"
			"<th colspan=\"2\" scope=\"colgroup\">1</th></tr>") != NULL,
	   "header row of the first knob: each value spans the second's");
	ok(strstr(html, "<th class=\"knob\" scope=\"row\" title=\"net.ipv4.tcp_rfc1337\">"
			"rfc1337</th><th scope=\"col\">0</th><th scope=\"col\">1</th>"
			"<th scope=\"col\">0</th><th scope=\"col\">1</th></tr>") != NULL,
	   "header row of the second knob: one value per column");
	ok(strstr(html,
		  "<th scope=\"row\" class=\"case\" title=\"/cases/timewait/tw_stale_rst.pkt\">"
		  "tw_stale_rst.pkt</th>") != NULL,
	   "a row per case: its file name, its path as a tooltip");

	ok(strstr(html, "<td class=\"ok\"><a href=\"#cell-0-0\" title=\"tw_stale_rst.pkt, "
			"tw_reuse=0 rfc1337=0\">ack</a></td>") != NULL,
	   "an outcome label: green, with the combination as a tooltip");
	ok(strstr(html, "<td class=\"risk\"><a href=\"#cell-0-1\"") != NULL &&
	       strstr(html, ">rst!</a></td>") != NULL,
	   "a risk label: red");
	ok(strstr(html, "<td class=\"fail\"><a href=\"#cell-0-2\"") != NULL &&
	       strstr(html, ">FAIL l.12 tcp flags</a></td>") != NULL,
	   "a FAIL: orange, with line and field");
	ok(strstr(html, "<td class=\"grey\"><a href=\"#cell-0-3\"") != NULL &&
	       strstr(html, ">inconclusive</a></td>") != NULL,
	   "inconclusive: grey");
	ok(strstr(html, "<td class=\"risk\"><a href=\"#cell-1-0\"") != NULL &&
	       strstr(html, ">fin! FAIL l.12</a></td>") != NULL,
	   "a FAIL after a risk label: red, saying FAIL");
	ok(strstr(html, ">skip</a></td>") != NULL, "skip");
	ok(strstr(html, "<td class=\"grey\"><a href=\"#cell-1-2\"") != NULL &&
	       strstr(html, ">error</a></td>") != NULL,
	   "error: grey");
	ok(strstr(html, "<p class=\"legend\"><span class=\"c risk\">2 risk") != NULL,
	   "the legend counts the cells of each colour");

	ok(strstr(html, "<script") == NULL, "no <script> got through");
	ok(strstr(html, "agent: &lt;script&gt;alert(1)&lt;/script&gt; &amp; gone\xef\xbf\xbd") !=
	       NULL,
	   "an error message escaped, its control character replaced");
	ok(strstr(html, "rfc1337 &amp; &lt;odd&gt; &quot;name&quot;.pkt") != NULL,
	   "a case name escaped");
	ok(strstr(html, "(Connection reset by peer)\xef\xbf\xbd \xc3\xa9\xef\xbf\xbd") != NULL,
	   "UTF-8 kept, control characters and bad bytes replaced");
	ok(strstr(html, "case.pkt:12: &gt; . 1:1(0) ack 11\n  expected: .") != NULL,
	   "the reason in a <pre>, its lines kept");

	ok(count(html, "http") == count(html, "xmlns=\"http://www.w3.org/2000/svg\""),
	   "no URL but the SVG namespace");
	ok(!strstr(html, "src=") && !strstr(html, "url(") && !strstr(html, "@import") &&
	       !strstr(html, "<link"),
	   "nothing loaded from elsewhere");
}

/* What the ladders draw: arrows, the X of a lost segment, the failed event
 * in red with its details, the quiet band, the dashed MISSING arrow. */
static void test_ladders(const char *html)
{
	ok(strstr(html, "40000&gt;8080 S 0:0(0) win 32792 &lt;mss 1000,sackOK,TS val 100 ecr "
			"0,nop,wscale 7&gt;</text>") != NULL,
	   "a SEND arrow's label in script notation");
	ok(strstr(html, ">rig</text>") && strstr(html, ">target</text>"), "the two lanes, named");
	ok(strstr(html, ">0.100</text>") != NULL, "times in seconds");
	ok(strstr(html, ">l.12</text>") != NULL, "case lines");
	is_int(count(html, "stroke-width=\"2.4\""), 2, "two lost segments, each ending in an X");
	ok(strstr(html, "fill=\"#c0271d\">lost</text>") != NULL, "  marked lost");
	ok(strstr(html,
		  ">expected: &gt; . 1:1(0) ack 11 &lt;nop,nop,TS val 800 ecr 110&gt;</text>") !=
	       NULL,
	   "the failed event: expected");
	ok(strstr(html, ">actual: 8080&gt;40000 R 1:1(0) win 0</text>") != NULL, "  actual");
	ok(strstr(html, ">field: tcp flags</text>") != NULL, "  and the field");
	ok(strstr(html, "stroke=\"#c0271d\" stroke-width=\"1.6\"") != NULL, "  in red");
	ok(strstr(html, "stroke-dasharray=\"6 4\"") != NULL, "a MISSING line: a dashed arrow");
	ok(strstr(html, "(nothing came)</text>") != NULL, "  saying nothing came");
	ok(strstr(html, "&gt; nothing 0.2: quiet 0.200-0.400 s</text>") != NULL,
	   "a quiet window: a band with its span");
	ok(strstr(html, ">unexpected: 8080&gt;40000 . 1:1(0) ack 1 win 509</text>") != NULL,
	   "a segment no line wanted");
	ok(strstr(html, ">close(4) = 0</text>") == NULL && strstr(html, "1 line not reached"),
	   "lines never reached: counted, not drawn");
	ok(strstr(html, ">sock_state(8080, 40000) = ESTABLISHED</text>") != NULL,
	   "a check beside the target lane");
	ok(strstr(html, ">=&gt; ack</text>") != NULL, "a segment's outcome label beside it");
	ok(strstr(html, ">sock_state(8080, 40000) = NONE =&gt; rst!</text>") != NULL,
	   "a check's, as the line writes it");
	ok(strstr(html, "(no events recorded)") != NULL, "a cell that never ran: an empty ladder");
}

static void test_escape_cuts_at_characters(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	svg_ladder_escape(f, "a\xc3\xa9<b>cdef", 5);
	fputc('|', f);
	svg_ladder_escape(f, "abc", 3);
	fputc('|', f);
	svg_ladder_escape(f, "\xe2\x82", 0);
	fputc('|', f);
	svg_ladder_escape(f, "'\"\x7f\xc2\x85", 0);
	fclose(f);
	is_str(buf,
	       "a\xc3\xa9&lt;b\xe2\x80\xa6|abc|\xef\xbf\xbd\xef\xbf\xbd|&#39;&quot;\xef\xbf\xbd"
	       "\xef\xbf\xbd",
	       "svg_ladder_escape: cut by characters with an ellipsis; quotes, DEL, C1 "
	       "and a cut sequence");
	free(buf);
}

/* matrix --family: the same two cases as rows in a family each. */
static void test_family_axis(struct matrix *m, const char *title)
{
	const char *fams[] = {"ipv4", "ipv6"};
	struct tr_err err = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	m->families = fams;
	report_html_write(f, m, title, &err);
	fclose(f);
	m->families = NULL;
	is_int(count(buf, "<th scope=\"row\" class=\"family\">"), 2,
	       "family axis: a family cell per row");
	ok(strstr(buf, "<th scope=\"row\" class=\"family\">ipv6</th>") != NULL,
	   "  the row's family in it");
	is_int(count(buf, "colspan=\"2\" title=\"net.ipv4."), 2,
	       "  each knob's name spans the case and family columns");
	ok(strstr(buf, "tw_stale_rst.pkt &#183; ipv4 &#183; tw_reuse=0 rfc1337=0") != NULL,
	   "  a cell's section names its family");
	ok(strstr(buf, "2 rows (a case in one address family)") != NULL,
	   "  the summary counts rows");
	free(buf);
}

static void test_write_error_is_reported(const struct matrix *m)
{
	struct tr_err err = {0};
	FILE *f = fopen("/dev/null", "r");

	if (!f) {
		ok(true, "# SKIP no /dev/null");
		return;
	}
	is_int(report_html_write(f, m, NULL, &err), -1, "a stream that cannot be written: -1");
	is_int(err.status, TR_ENV, "  status 3");
	ok(strncmp(err.msg, "writing the HTML report: ", 25) == 0, "  saying so: %s", err.msg);
	fclose(f);
}

int main(int argc, char **argv)
{
	char *cases[] = {"/cases/timewait/tw_stale_rst.pkt", "cases/rfc1337 & <odd> \"name\".pkt"};
	const char *title = "tcprig matrix test\nLinux 6.18.44 x86_64, 2025-01-31 12:00 UTC";
	const char *out = argc > 1 ? argv[1] : "test_report_html.html";
	struct matrix m = {0};
	struct tr_err err = {0};
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	FILE *f;

	if (matrix_add_knob(&m, "net.ipv4.tcp_tw_reuse=0,1", &err) ||
	    matrix_add_knob(&m, "net.ipv4.tcp_rfc1337=0,1", &err)) {
		printf("# %s\n", err.msg);
		return 1;
	}
	m.cases = cases;
	m.ncases = 2;
	if (matrix_alloc(&m, &err)) {
		printf("# %s\n", err.msg);
		return 1;
	}
	fill(&m);

	f = fopen(out, "w+");
	if (!ok(f != NULL, "open %s", out))
		return tap_done();
	is_int(report_html_write(f, &m, title, &err), 0, "report_html_write");
	a = slurp(f, &alen);
	fclose(f);
	ok(strlen(a) == alen, "no NUL byte in the page");
	test_page(a);
	test_ladders(a);

	f = open_memstream(&b, &blen);
	report_html_write(f, &m, title, &err);
	fclose(f);
	ok(alen == blen && memcmp(a, b, alen) == 0, "deterministic: the same bytes twice");
	free(b);
	b = NULL;
	f = open_memstream(&b, &blen);
	report_html_write(f, &m, NULL, &err);
	fclose(f);
	ok(strstr(b, "<title>tcprig matrix</title>") != NULL, "no title: \"tcprig matrix\"");
	free(b);

	test_family_axis(&m, title);
	test_escape_cuts_at_characters();
	test_write_error_is_reported(&m);
	free(a);
	matrix_free(&m);
	return tap_done();
}
