/* json.c - a run's results as one JSON document.
 *
 *   {"tool":"tcprig","version":1,
 *    "summary":{"passed":N,"failed":N,"skipped":N,"inconclusive":N,"errors":N},
 *    "cases":[{"path":"...","config":"..."|null,"verdict":"PASS",
 *              "line":N|null,"reason":"...","elapsed_s":0.123456,
 *              "outcome":"...","events_done":N,"trace_overflow":false,
 *              "tries":[{"verdict":"INCONCLUSIVE","line":N|null,
 *                        "reason":"...","elapsed_s":0.1}],
 *              "events":[{"kind":"recv","t":0.100187,"t_end":0.100187,
 *                         "line":N|null,"status":"ok","wire":"none",
 *                         "wire_t":null|0.1,"outcome":"","field":"",
 *                         "expected":"...","actual":"...","note":""}]}]}
 *
 * The summary's counts are disjoint and add up to the number of cases: a case
 * that could not run is an "ERROR" (its reason the error), counted in
 * "errors" only. Times are seconds with microseconds, written exactly from
 * the integer microseconds. Strings are escaped as JSON wants; bytes that are
 * not UTF-8 become U+FFFD, so the document is always valid UTF-8.
 */
#include "report/report.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "core/trace.h"
#include "core/utf8.h"

/* A JSON string of at most max bytes of s (s stops at its NUL too). */
static void json_str(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strnlen(s, max) : 0;

	fputc('"', f);
	while (n) {
		uint32_t cp;
		size_t len = utf8_decode(p, n, &cp);

		if (len == 0) {
			fputs("\\ufffd", f);
			len = 1;
		} else if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p == '\r') {
			fputs("\\r", f);
		} else if (*p == '\t') {
			fputs("\\t", f);
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fwrite(p, 1, len, f);
		}
		p += len;
		n -= len;
	}
	fputc('"', f);
}

/* Microseconds as seconds, exactly: -0.000250, 12.000001. */
static void json_seconds(FILE *f, int64_t us)
{
	char t[TRACE_TIME_MAX];

	trace_time_text(t, sizeof(t), us);
	fputs(t, f);
}

static void json_line(FILE *f, int line)
{
	if (line > 0)
		fprintf(f, "%d", line);
	else
		fputs("null", f);
}

static void json_event(FILE *f, const struct trace_event *e)
{
	fputs("{\"kind\":", f);
	json_str(f, trace_kind_name(e->kind), SIZE_MAX);
	fputs(",\"t\":", f);
	json_seconds(f, e->t_us);
	fputs(",\"t_end\":", f);
	json_seconds(f, e->t_end_us);
	fputs(",\"line\":", f);
	json_line(f, e->line);
	fputs(",\"status\":", f);
	json_str(f, trace_status_name(e->status), SIZE_MAX);
	fputs(",\"wire\":", f);
	json_str(f, trace_wire_name(e->wire), SIZE_MAX);
	/* No target-side capture: nothing saw it, no time. */
	fputs(",\"wire_t\":", f);
	if (e->wire == TRACE_WIRE_NONE)
		fputs("null", f);
	else
		json_seconds(f, e->wire_t_us);
	fputs(",\"outcome\":", f);
	json_str(f, e->outcome, sizeof(e->outcome));
	fputs(",\"field\":", f);
	json_str(f, e->field, sizeof(e->field));
	fputs(",\"expected\":", f);
	json_str(f, e->expected, sizeof(e->expected));
	fputs(",\"actual\":", f);
	json_str(f, e->actual, sizeof(e->actual));
	fputs(",\"note\":", f);
	json_str(f, e->note, sizeof(e->note));
	fputc('}', f);
}

static void json_case(FILE *f, const struct report_case *c)
{
	const struct run_result *r = c->res;
	bool error = c->ret != 0;

	fputs("{\"path\":", f);
	json_str(f, c->path, SIZE_MAX);
	fputs(",\"config\":", f);
	if (c->config)
		json_str(f, c->config, SIZE_MAX);
	else
		fputs("null", f);
	fputs(",\"verdict\":", f);
	if (error || !r)
		json_str(f, "ERROR", SIZE_MAX);
	else
		json_str(f, run_verdict_name(r->verdict), SIZE_MAX);
	fputs(",\"line\":", f);
	json_line(f, !error && r ? r->line : 0);
	fputs(",\"reason\":", f);
	if (error)
		json_str(f, c->err ? c->err->msg : "could not run", sizeof(c->err->msg));
	else
		json_str(f, r ? r->reason : "no result", sizeof(r->reason));
	fputs(",\"elapsed_s\":", f);
	json_seconds(f, r ? (int64_t)r->elapsed_us : 0);
	fputs(",\"outcome\":", f);
	json_str(f, r ? r->outcome : "", sizeof(r->outcome));
	fprintf(f, ",\"events_done\":%u,\"trace_overflow\":%s,\"tries\":[", r ? r->events_done : 0,
		r && r->trace.overflow ? "true" : "false");
	for (unsigned k = 0; k < c->ntries; k++) {
		fputs(k ? ",{\"verdict\":" : "{\"verdict\":", f);
		json_str(f, run_verdict_name(c->tries[k].verdict), SIZE_MAX);
		fputs(",\"line\":", f);
		json_line(f, c->tries[k].line);
		fputs(",\"reason\":", f);
		json_str(f, c->tries[k].reason, sizeof(c->tries[k].reason));
		fputs(",\"elapsed_s\":", f);
		json_seconds(f, (int64_t)c->tries[k].elapsed_us);
		fputc('}', f);
	}
	fputs("],\"events\":[", f);
	for (size_t i = 0; r && i < r->trace.n; i++) {
		if (i)
			fputc(',', f);
		json_event(f, &r->trace.ev[i]);
	}
	fputs("]}", f);
}

int report_json_write(FILE *f, const struct report_case *c, size_t n, struct tr_err *err)
{
	unsigned counts[RUN_INCONCLUSIVE + 1] = {0}, errors = 0;

	for (size_t i = 0; i < n; i++) {
		if (c[i].ret || !c[i].res)
			errors++;
		else
			counts[c[i].res->verdict]++;
	}
	fprintf(f,
		"{\"tool\":\"tcprig\",\"version\":1,\"summary\":{\"passed\":%u,\"failed\":%u,"
		"\"skipped\":%u,\"inconclusive\":%u,\"errors\":%u},\"cases\":[",
		counts[RUN_PASS], counts[RUN_FAIL], counts[RUN_SKIP], counts[RUN_INCONCLUSIVE],
		errors);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_case(f, &c[i]);
	}
	fputs("\n]}\n", f);
	if (fflush(f) || ferror(f))
		return err_sys(err, "writing the JSON report");
	return 0;
}
