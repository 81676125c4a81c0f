/* junit.c - a run's results as JUnit XML, the form CI systems read
 * (Jenkins, GitLab, GitHub actions); tests/schema/junit.xsd is its shape.
 *
 * One <testsuite> in a <testsuites>, one <testcase> per case, named by its
 * path (plus " [config]" for a matrix cell), its classname the suite and the
 * case's directory ("tcprig.timewait"). A FAIL is a <failure type="FAIL">
 * whose message names the first differing field; INCONCLUSIVE is a
 * <failure type="INCONCLUSIVE"> too, since it is no pass; a SKIP is
 * <skipped>; a case that could not run is an <error>. Every case carries its
 * ladder diagram in <system-out>.
 *
 * Counts: failures are FAIL and INCONCLUSIVE, errors the cases that could not
 * run, skipped the SKIPs; time is seconds. Text is made valid XML 1.0: bytes
 * that are not UTF-8 and characters XML forbids (controls other than tab,
 * newline and carriage return; U+FFFE, U+FFFF) become U+FFFD.
 */
#include "report/report.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/ladder.h"
#include "core/trace.h"
#include "core/utf8.h"

enum junit_mode {
	JUNIT_TEXT,  /* element content */
	JUNIT_ATTR,  /* a double-quoted attribute value */
	JUNIT_CDATA, /* inside <![CDATA[ ]]> */
};

/* At most max bytes of s (s stops at its NUL too), escaped for mode. */
static void junit_put(FILE *f, const char *s, size_t max, enum junit_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strnlen(s, max) : 0;

	while (n) {
		uint32_t cp;
		size_t len = utf8_decode(p, n, &cp);

		if (len == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xfffe || cp == 0xffff) {
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
			len = len ? len : 1;
		} else if (mode == JUNIT_CDATA) {
			if (n >= 3 && memcmp(p, "]]>", 3) == 0) {
				/* End this section after "]]", start one before ">". */
				fputs("]]]]><![CDATA[>", f);
				len = 3;
			} else {
				fwrite(p, 1, len, f);
			}
		} else if (cp == '&') {
			fputs("&amp;", f);
		} else if (cp == '<') {
			fputs("&lt;", f);
		} else if (cp == '>') {
			fputs("&gt;", f);
		} else if (cp == '"' && mode == JUNIT_ATTR) {
			fputs("&quot;", f);
		} else if (cp == '\r' || (mode == JUNIT_ATTR && (cp == '\n' || cp == '\t'))) {
			/* Else a parser would normalise them away. */
			fprintf(f, "&#%u;", (unsigned)cp);
		} else {
			fwrite(p, 1, len, f);
		}
		p += len;
		n -= len;
	}
}

/* name="value" with value escaped, after a blank. */
static void junit_attr(FILE *f, const char *name, const char *value, size_t max)
{
	fprintf(f, " %s=\"", name);
	junit_put(f, value, max, JUNIT_ATTR);
	fputc('"', f);
}

static void junit_seconds(FILE *f, const char *name, uint64_t us)
{
	fprintf(f, " %s=\"%" PRIu64 ".%06" PRIu64 "\"", name, us / 1000000, us % 1000000);
}

/* "tcprig.timewait": the suite, then the case's directories below the last
 * "cases" directory if there is one, else its last directory; a '.' inside a
 * directory's name is written '_' (CI systems read dots as packages). */
static void junit_classname(char *buf, size_t cap, const char *suite, const char *path)
{
	const char *dir_end = path ? strrchr(path, '/') : NULL;
	const char *from = NULL, *last = dir_end;
	size_t n = (size_t)snprintf(buf, cap, "%s", suite);

	if (!dir_end || n >= cap)
		return;
	for (const char *c = path; c < dir_end;) {
		size_t len = strcspn(c, "/");

		if (len == 5 && memcmp(c, "cases", 5) == 0 && c + len < dir_end)
			from = c + len + 1;
		if (len)
			last = c;
		c += len + 1;
	}
	for (const char *c = from ? from : last; c < dir_end;) {
		size_t len = strcspn(c, "/");

		if (len && !(len == 1 && c[0] == '.') && !(len == 2 && memcmp(c, "..", 2) == 0)) {
			for (size_t i = 0; i <= len && n + 1 < cap; i++)
				buf[n++] = i == 0 ? '.' : c[i - 1] == '.' ? '_' : c[i - 1];
		}
		c += len + 1;
	}
	buf[n] = '\0';
}

/* The first line of the reason, trimmed of its leading blanks, that starts
 * with field and a colon (field != NULL) or else holds with; NULL if none. */
static const char *junit_reason_line(const struct run_result *r, const char *field,
				     size_t field_len, const char *with, size_t *len)
{
	const char *end = r->reason + strnlen(r->reason, sizeof(r->reason));

	for (const char *p = r->reason; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		*len = (size_t)(e - p);
		if (field ? *len > field_len && memcmp(p, field, field_len) == 0 &&
				p[field_len] == ':'
			  : memmem(p, *len, with, strlen(with)) != NULL)
			return p;
		p = e + 1;
	}
	return NULL;
}

/* The length of the reason's first line. */
static int junit_first_line(const struct run_result *r)
{
	size_t n = strnlen(r->reason, sizeof(r->reason));
	const char *nl = memchr(r->reason, '\n', n);

	return (int)(nl ? (size_t)(nl - r->reason) : n);
}

/* A failure's one-line message: "line 14: tcp flags: expected ., actual R",
 * from the event that decided the verdict when the trace has it, else from
 * the reason. */
static void junit_failure_message(char *buf, size_t cap, const struct run_result *r)
{
	const struct trace_event *ev = NULL;
	const char *l;
	char where[32] = "";
	size_t len;
	int line;

	for (size_t i = 0; i < r->trace.n && !ev; i++)
		if (r->trace.ev[i].status == TRACE_FAILED)
			ev = &r->trace.ev[i];
	line = ev && ev->line ? ev->line : r->line;
	if (line > 0)
		snprintf(where, sizeof(where), "line %d: ", line);

	if (ev && ev->field[0]) {
		len = strnlen(ev->field, sizeof(ev->field));
		l = junit_reason_line(r, ev->field, len, NULL, &len);
		if (l)
			snprintf(buf, cap, "%s%.*s", where, (int)len, l);
		else
			snprintf(buf, cap, "%s%.*s: expected %.*s, actual %.*s", where,
				 (int)sizeof(ev->field), ev->field, (int)sizeof(ev->expected),
				 ev->expected, (int)sizeof(ev->actual),
				 ev->actual[0] ? ev->actual : "nothing");
	} else if ((l = junit_reason_line(r, NULL, 0, ": expected ", &len))) {
		snprintf(buf, cap, "%s%.*s", where, (int)len, l);
	} else if (ev && ev->note[0]) {
		snprintf(buf, cap, "%s%.*s", where, (int)sizeof(ev->note), ev->note);
	} else {
		/* The reason's first line says where itself ("case.pkt:14: ..."). */
		snprintf(buf, cap, "%.*s", junit_first_line(r), r->reason);
	}
}

/* The tries before the last, one line each, after a failure's text. */
static void junit_tries(FILE *f, const struct report_case *c)
{
	char line[700];

	for (unsigned k = 0; k < c->ntries; k++) {
		snprintf(line, sizeof(line), "\ntry %u: %s: %s", k + 1,
			 run_verdict_name(c->tries[k].verdict), c->tries[k].reason);
		junit_put(f, line, sizeof(line), JUNIT_TEXT);
	}
}

/* <system-out> with the case's ladder, no colour. */
static int junit_ladder(FILE *f, const struct run_result *r, struct tr_err *err)
{
	const struct ladder_opts o = {.colour = false, .indent = ""};
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	fputs("      <system-out>", f);
	if (r && r->trace.n) {
		m = open_memstream(&buf, &len);
		if (!m)
			return err_sys(err, "JUnit report: a buffer for the ladder");
		ladder_print(m, &r->trace, &o);
		if (fclose(m)) {
			free(buf);
			return err_sys(err, "JUnit report: drawing the ladder");
		}
		fputs("<![CDATA[", f);
		junit_put(f, buf, len, JUNIT_CDATA);
		fputs("]]>", f);
		free(buf);
	}
	fputs("</system-out>\n", f);
	return 0;
}

static int junit_case(FILE *f, const char *suite, const struct report_case *c, struct tr_err *err)
{
	const struct run_result *r = c->res;
	char cls[256], msg[1024];

	junit_classname(cls, sizeof(cls), suite, c->path);
	fputs("    <testcase", f);
	fputs(" name=\"", f);
	junit_put(f, c->path, SIZE_MAX, JUNIT_ATTR);
	if (c->config) {
		fputs(" [", f);
		junit_put(f, c->config, SIZE_MAX, JUNIT_ATTR);
		fputc(']', f);
	}
	fputc('"', f);
	junit_attr(f, "classname", cls, sizeof(cls));
	junit_seconds(f, "time", r ? r->elapsed_us : 0);
	fputs(">\n", f);

	if (c->ret || !r) {
		const char *why = c->err ? c->err->msg : "could not run";

		fputs("      <error", f);
		junit_attr(f, "message", why, sizeof(c->err->msg));
		fputs(" type=\"ERROR\">", f);
		junit_put(f, why, sizeof(c->err->msg), JUNIT_TEXT);
		fputs("</error>\n", f);
	} else {
		switch (r->verdict) {
		case RUN_PASS:
			break;
		case RUN_FAIL:
		case RUN_INCONCLUSIVE:
			if (r->verdict == RUN_FAIL)
				junit_failure_message(msg, sizeof(msg), r);
			else
				snprintf(msg, sizeof(msg), "%.*s", junit_first_line(r), r->reason);
			fputs("      <failure", f);
			junit_attr(f, "message", msg, sizeof(msg));
			junit_attr(f, "type", run_verdict_name(r->verdict), SIZE_MAX);
			fputc('>', f);
			junit_put(f, r->reason, sizeof(r->reason), JUNIT_TEXT);
			junit_tries(f, c);
			fputs("</failure>\n", f);
			break;
		case RUN_SKIP:
			fputs("      <skipped", f);
			junit_attr(f, "message", r->reason, sizeof(r->reason));
			fputs("/>\n", f);
			break;
		}
	}
	if (junit_ladder(f, r, err))
		return -1;
	fputs("    </testcase>\n", f);
	return 0;
}

int report_junit_write(FILE *f, const char *suite, const struct report_case *c, size_t n,
		       struct tr_err *err)
{
	unsigned failures = 0, errors = 0, skipped = 0;
	uint64_t us = 0;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!suite)
		suite = "tcprig";
	for (size_t i = 0; i < n; i++) {
		if (c[i].res)
			us += c[i].res->elapsed_us;
		if (c[i].ret || !c[i].res)
			errors++;
		else if (c[i].res->verdict == RUN_FAIL || c[i].res->verdict == RUN_INCONCLUSIVE)
			failures++;
		else if (c[i].res->verdict == RUN_SKIP)
			skipped++;
	}
	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(stamp, sizeof(stamp), "1970-01-01T00:00:00Z");

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs("<testsuites name=\"tcprig\"", f);
	fprintf(f, " tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"%u\"", n, failures,
		errors, skipped);
	junit_seconds(f, "time", us);
	fputs(">\n  <testsuite", f);
	junit_attr(f, "name", suite, SIZE_MAX);
	fprintf(f, " tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"%u\"", n, failures,
		errors, skipped);
	junit_seconds(f, "time", us);
	junit_attr(f, "timestamp", stamp, sizeof(stamp));
	fputs(">\n", f);
	for (size_t i = 0; i < n; i++)
		if (junit_case(f, suite, &c[i], err))
			return -1;
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (fflush(f) || ferror(f))
		return err_sys(err, "writing the JUnit report");
	return 0;
}
