/* timeline.c - the timeline: when each line is due, where the next one
 * counts from, and the rig's own lateness.
 *
 * As in packetdrill, a relative line counts from when the previous line
 * really happened, not from when the script said it would; a `<` after a
 * `<` counts from the earlier one's due time, so that a train keeps its
 * spacing instead of adding up each send's delay. What "really happened"
 * means here is what the wire and the agent saw: a segment's capture stamp,
 * a call's entry and return stamped around the system call. The rig's own
 * delays therefore never move a window the target is judged by; when the rig
 * was later than the tolerance at one of its own actions, the script was not
 * played as written and the case is INCONCLUSIVE, whatever the target did.
 */
#include "run/timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/record.h"
#include "run/state.h"

/* The gap before line ev on the script's clock (or before the end of its
 * range), for the percentage part of the tolerance. */
static int64_t runner_gap(const struct runner *r, const struct case_event *ev, bool until)
{
	const struct case_time *t = &ev->time;
	int64_t gap = 0;

	/* A blocking call's return: the span of the call (packetdrill's rule;
	 * a three-second timeout cannot be judged to the tick). */
	if (until && t->blocking)
		return t->until_us - t->at_us;
	switch (t->kind) {
	case CASE_TIME_REL:
		gap = until && t->range ? t->range_us : t->us;
		break;
	case CASE_TIME_ABS:
		gap = (until ? t->until_us : t->at_us) - r->anc.script;
		break;
	case CASE_TIME_ANY:
	case CASE_TIME_NONE:
		break;
	}
	return gap > 0 ? gap : 0;
}

int64_t runner_tolerance(const struct runner *r, const struct case_event *ev, bool until)
{
	int64_t pct = (int64_t)((double)runner_gap(r, ev, until) * r->tol_pct / 100.0);

	return pct > r->tol_us ? pct : r->tol_us;
}

int64_t runner_due(const struct runner *r, const struct case_event *ev)
{
	const struct case_time *t = &ev->time;

	switch (t->kind) {
	case CASE_TIME_ABS:
		return t->at_us;
	case CASE_TIME_REL:
		if (ev->kind == CASE_EV_INJECT && r->anc.inject)
			return r->anc.due + t->us;
		return r->anc.hi + t->us;
	case CASE_TIME_ANY:
	case CASE_TIME_NONE:
		break;
	}
	return r->anc.hi;
}

void runner_span(const struct runner *r, const struct case_event *ev, int64_t *lo, int64_t *hi)
{
	const struct case_time *t = &ev->time;

	switch (t->kind) {
	case CASE_TIME_ABS:
		*lo = t->at_us;
		*hi = t->until_us;
		return;
	case CASE_TIME_REL:
		/* A call's entry and return bound what it did: the earliest a
		 * reply may come counts from one, the latest from the other. */
		*lo = r->anc.lo + t->us;
		*hi = r->anc.hi + (t->range ? t->range_us : t->us);
		return;
	case CASE_TIME_ANY:
		*lo = INT64_MIN;
		*hi = r->anc.hi + RUN_ANY_WAIT_US;
		return;
	case CASE_TIME_NONE:
		break;
	}
	*lo = *hi = r->anc.hi;
}

int64_t runner_script_at(const struct runner *r, const struct case_event *ev)
{
	switch (ev->time.kind) {
	case CASE_TIME_ABS:
		return ev->time.at_us;
	case CASE_TIME_REL:
		return r->anc.script + ev->time.us;
	case CASE_TIME_ANY:
	case CASE_TIME_NONE:
		break;
	}
	return r->anc.script;
}

int64_t runner_drift(const struct runner *r)
{
	return r->anc.lo - r->anc.script;
}

void runner_anchor(struct runner *r, const struct case_event *ev, int64_t lo, int64_t hi,
		   int64_t due, int64_t script)
{
	r->anc = (struct anchor){
		.lo = lo,
		.hi = hi > lo ? hi : lo,
		.due = due,
		.script = script,
		.inject = ev && ev->kind == CASE_EV_INJECT,
	};
	r->past[r->npast++ % RUN_PAST] = r->anc;
}

bool runner_late(struct runner *r, const struct case_event *ev, struct trace_event *e,
		 int64_t due, int64_t at, const char *what)
{
	int64_t late = at - due, tol = runner_tolerance(r, ev, false);
	char note[160];

	if (late <= tol || r->done)
		return false;
	snprintf(note, sizeof(note), "rig late by %.1f ms (tolerance %.1f ms)",
		 (double)late / 1000.0, (double)tol / 1000.0);
	runner_trace_fail(r, e, NULL, note);
	runner_verdict(r, RUN_INCONCLUSIVE, ev,
		       "rig late by %.1f ms at line %d: %s at t=%.6f, due at t=%.6f "
		       "(tolerance %.1f ms); the script was not played as written",
		       (double)late / 1000.0, ev->line, what, us_to_s(at), us_to_s(due),
		       (double)tol / 1000.0);
	return true;
}

void runner_stall(const struct runner *r, const struct case_event *ev)
{
	struct timespec ts;

	if (!r->stall_line || ev->line != r->stall_line)
		return;
	ts.tv_sec = (time_t)(r->stall_us / 1000000);
	ts.tv_nsec = (long)(r->stall_us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int run_stall_parse(const char *v, struct run_stall *st, struct tr_err *err)
{
	unsigned long line, ms, only = 0;
	const char *p;
	char *end;

	*st = (struct run_stall){ 0 };
	if (!v || !*v)
		return 0;
	line = strtoul(v, &end, 10);
	if (end == v || *end != ':')
		goto bad;
	p = end + 1;
	ms = strtoul(p, &end, 10);
	if (end == p)
		goto bad;
	if (*end == ':') {
		p = end + 1;
		only = strtoul(p, &end, 10);
		if (end == p || !only || only > RUN_STALL_TRY_MAX)
			goto bad;
	}
	if (*end || !line || line > 1000000 || ms > 60000)
		goto bad;
	*st = (struct run_stall){ .line = (int)line, .us = (int64_t)ms * 1000,
				  .try_no = (unsigned)only };
	return 0;
bad:
	return err_usage(err, "TCPRIG_STALL=%s: want LINE:MS[:TRY] (MS up to 60000)", v);
}

int runner_stall_setup(struct runner *r, unsigned try_no)
{
	struct run_stall st;

	if (run_stall_parse(getenv("TCPRIG_STALL"), &st, r->err))
		return -1;
	if (st.try_no && st.try_no != try_no)
		return 0;
	r->stall_line = st.line;
	r->stall_us = st.us;
	return 0;
}
