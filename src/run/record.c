/* record.c - each line the runner settles becomes an event of the
 * case's trace (trace.h): what the line said, what really happened, and for
 * the line that decided the verdict, why. */
#include <stdio.h>
#include <string.h>

#include "run/record.h"

#include "run/state.h"

struct trace_event *runner_trace_rx(struct runner *r, const struct case_event *ev,
				    const struct rx *rx, const struct segment *live,
				    const struct segment *view)
{
	struct trace_event *e = runner_trace(r, TRACE_RECV, ev, rx->t);
	char seg[512];

	e->frame_hash = rx->hash;
	segment_format(view, seg, sizeof(seg));
	snprintf(e->actual, sizeof(e->actual), "%u>%u %.300s", live->sport, live->dport, seg);
	return e;
}

/* The line as written without its time: "> . 1:1(0) ack 2", "close(4) = 0".
 * An alternative's `|` goes too; a command over several lines is one line. */
static void runner_line_body(const struct case_event *ev, char *buf, size_t cap)
{
	const char *p = ev->text;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '|') {
		p++;
	} else if (ev->time.kind != CASE_TIME_NONE) {
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && n + 1 < cap; p++)
		buf[n++] = *p == '\n' || *p == '\t' ? ' ' : *p;
	buf[n] = '\0';
	/* The outcome is the trace's own field; written twice, a ladder would
	 * print "=> gone  => gone". */
	if (ev->outcome) {
		char *arrow = strstr(buf, "=>"), *next;

		while (arrow && (next = strstr(arrow + 2, "=>")))
			arrow = next;
		if (arrow)
			n = (size_t)(arrow - buf);
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

struct trace_event *runner_trace(struct runner *r, enum trace_kind kind,
				 const struct case_event *ev, int64_t t)
{
	struct trace_event *e = trace_add(&r->res->trace, kind, ev ? ev->line : 0, t);

	/* A full trace says so itself (overflow); the run goes on regardless. */
	if (!e) {
		memset(&r->trace_spare, 0, sizeof(r->trace_spare));
		return &r->trace_spare;
	}
	if (ev) {
		runner_line_body(ev, e->expected, sizeof(e->expected));
		if (ev->outcome)
			snprintf(e->outcome, sizeof(e->outcome), "%s", ev->outcome);
	}
	return e;
}

void runner_trace_fail(struct runner *r, struct trace_event *e, const char *field,
		       const char *note)
{
	const char *nl = note ? strchr(note, '\n') : NULL;

	e->status = r->done ? TRACE_UNEXPECTED : TRACE_FAILED;
	e->outcome[0] = '\0';
	if (field)
		snprintf(e->field, sizeof(e->field), "%s", field);
	if (note)
		snprintf(e->note, sizeof(e->note), "%.*s", nl ? (int)(nl - note) : (int)strlen(note),
			 note);
}

void runner_outcome(struct runner *r, const struct case_event *ev)
{
	size_t n = strlen(r->res->outcome);

	if (!ev->outcome)
		return;
	r->ended = r->ended || ev->ends;
	snprintf(r->res->outcome + n, sizeof(r->res->outcome) - n, "%s%s", n ? " " : "",
		 ev->outcome);
}

/* A verdict other than PASS that no event carries (a --sysctl that would not
 * apply, a wire review that made it INCONCLUSIVE): a row of its own, so that
 * every report shows what decided it. */
void runner_trace_finish(struct runner *r)
{
	struct trace *t = &r->res->trace;
	struct trace_event *e;
	const char *why = r->res->reason, *p;
	char prefix[64];

	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].status == TRACE_FAILED)
			goto sort;
	if (r->res->verdict == RUN_PASS)
		goto sort;
	e = runner_trace(r, TRACE_CHECK, NULL, r->done ? r->fail_at : runner_now(r));
	e->line = r->res->line;
	e->status = TRACE_FAILED;
	if (r->fail_ev)
		runner_line_body(r->fail_ev, e->expected, sizeof(e->expected));
	/* The reason starts "path:line: "; the note is what follows. */
	snprintf(prefix, sizeof(prefix), ":%d: ", r->res->line);
	p = strstr(why, prefix);
	if (p)
		why = p + strlen(prefix);
	else if ((p = strstr(why, ": ")) && strncmp(why, r->s->path, strlen(r->s->path)) == 0)
		why = p + 2;
	p = strchr(why, '\n');
	snprintf(e->note, sizeof(e->note), "%.*s", p ? (int)(p - why) : (int)strlen(why), why);
sort:
	/* Events are recorded when settled (a blocking call after the lines that
	 * ran while it blocked): the trace reads in time order. Insertion sort:
	 * stable, and the trace is nearly sorted already. */
	for (size_t i = 1; i < t->n; i++) {
		struct trace_event tmp = t->ev[i];
		size_t j = i;

		while (j > 0 && t->ev[j - 1].t_us > tmp.t_us) {
			t->ev[j] = t->ev[j - 1];
			j--;
		}
		t->ev[j] = tmp;
	}
}
