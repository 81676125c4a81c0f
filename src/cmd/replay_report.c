/* What replay says of a run: the first divergence, named by script line and
 * capture packet, as text and as JSON. */
#include <stdio.h>
#include <string.h>

#include "cmd/replay_int.h"

void replay_divergence_find(const struct run_result *res, const struct casegen_script *cs,
			    struct replay_divergence *d)
{
	memset(d, 0, sizeof(*d));
	if (res->verdict != RUN_FAIL)
		return;
	d->found = true;
	d->line = res->line;
	for (size_t i = 0; i < res->trace.n; i++) {
		const struct trace_event *e = &res->trace.ev[i];

		if (e->status != TRACE_FAILED && e->status != TRACE_UNEXPECTED)
			continue;
		d->ev = e;
		if (e->line)
			d->line = e->line;
		break;
	}
	d->packet = casegen_line_rec(cs, d->line);
}

/* "> S. 0:0(0) ... // #2" without its comment. */
static void strip_comment(char *dst, size_t cap, const char *s)
{
	const char *c = strstr(s, "//");
	size_t n = c ? (size_t)(c - s) : strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	snprintf(dst, cap, "%.*s", (int)n, s);
}

void replay_divergence_print(FILE *f, const struct replay_divergence *d, const char *reason)
{
	char rec[TRACE_TEXT];
	int n = (int)strcspn(reason, "\n");

	if (!d->found)
		return;
	if (d->packet)
		fprintf(f, "      first divergence: script line %d, capture packet #%lu\n", d->line,
			d->packet);
	else
		fprintf(f, "      first divergence: script line %d (no capture packet)\n", d->line);
	if (d->ev && d->ev->field[0])
		fprintf(f, "        field:    %s\n", d->ev->field);
	if (d->ev && d->ev->expected[0]) {
		strip_comment(rec, sizeof(rec), d->ev->expected);
		fprintf(f, "        recorded: %s\n", rec);
	}
	if (d->ev)
		fprintf(f, "        live:     %s\n", d->ev->actual[0] ? d->ev->actual : "(nothing)");
	if (d->ev && d->ev->note[0])
		fprintf(f, "        why:      %s\n", d->ev->note);
	else
		fprintf(f, "        why:      %.*s\n", n, reason);
}

static void json_s(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_divergence(FILE *f, const struct replay_divergence *d)
{
	char rec[TRACE_TEXT];

	if (!d || !d->found) {
		fprintf(f, "null");
		return;
	}
	fprintf(f, "{\"line\": %d, \"packet\": %lu, \"field\": ", d->line, d->packet);
	json_s(f, d->ev ? d->ev->field : "");
	strip_comment(rec, sizeof(rec), d->ev ? d->ev->expected : "");
	fprintf(f, ", \"recorded\": ");
	json_s(f, rec);
	fprintf(f, ", \"live\": ");
	json_s(f, d->ev ? d->ev->actual : "");
	fprintf(f, "}");
}

int replay_json_write(FILE *f, const struct replay_json *j, struct tr_err *err)
{
	fprintf(f, "{\"capture\": ");
	json_s(f, j->capture);
	fprintf(f, ", \"side\": \"%s\", \"flows\": [", j->rig_is_client ? "client" : "server");
	for (size_t i = 0; i < j->n; i++) {
		fprintf(f, "%s{\"flow\": %u, \"verdict\": \"%s\", \"divergence\": ", i ? ", " : "",
			j->flows[i].flow, j->flows[i].verdict);
		json_divergence(f, j->flows[i].div);
		fprintf(f, "}");
	}
	fprintf(f, "], \"run\": ");
	if (report_json_write(f, j->rc, j->n, err))
		return -1;
	fprintf(f, "}\n");
	return fflush(f) ? err_sys(err, "--json") : 0;
}
