/* wire_trace.c - the target-side capture's view on the ladder: each
 * segment of the trace says whether the target got it (a `<` segment) or
 * really sent it and the rig got it (a `>` one), and the target's segments
 * that never reached the rig become events of their own. */
#include "run/wire_trace.h"

#include <stdio.h>
#include <string.h>

#include "run/line.h"
#include "run/record.h"
#include "run/review.h"

static enum trace_wire wire_trace_fate(enum wire_fate f)
{
	switch (f) {
	case WIRE_OK:
		return TRACE_WIRE_OK;
	case WIRE_LOST:
		return TRACE_WIRE_LOST;
	case WIRE_LATE:
	case WIRE_REORDERED:
		return TRACE_WIRE_LATE;
	}
	return TRACE_WIRE_NONE;
}

/* The trace's first unclaimed segment event of that kind and frame. */
static struct trace_event *wire_trace_find(struct trace *t, bool *claimed, enum trace_kind kind,
					   uint64_t hash, int64_t at)
{
	for (size_t i = 0; i < t->n; i++) {
		struct trace_event *e = &t->ev[i];

		if (claimed[i] || e->kind != kind || e->frame_hash != hash)
			continue;
		if (at != INT64_MIN && e->t_us != at)
			continue;
		claimed[i] = true;
		return e;
	}
	return NULL;
}

void runner_wire_trace(struct runner *r)
{
	struct wire_review v;
	struct trace *t = &r->res->trace;
	const struct wire *w = r->wire;
	bool claimed[TRACE_MAX] = { false };

	memset(&v, 0, sizeof(v));
	wire_pair(r, &v);
	for (unsigned i = 0; i < w->nsent; i++) {
		struct trace_event *e = wire_trace_find(t, claimed, TRACE_SEND, w->sent[i].hash,
							INT64_MIN);

		if (!e)
			continue;
		e->wire = wire_trace_fate(v.tx[i]);
		if (v.tx[i] != WIRE_LOST)
			e->wire_t_us = v.tx_at[i];
	}
	for (unsigned j = 0; j < w->nseen; j++) {
		const struct wire_seen *s = &w->seen[j];
		struct trace_event *e = NULL;
		char seg[512];

		if (!s->from_target)
			continue;
		if (v.rx_got[j] >= 0)
			e = wire_trace_find(t, claimed, TRACE_RECV, s->hash,
					    w->got[v.rx_got[j]].t);
		if (e) {
			e->wire = wire_trace_fate(v.rx[j]);
			e->wire_t_us = s->t;
			continue;
		}
		if (v.rx[j] != WIRE_LOST || !s->decoded)
			continue;
		/* The rig never had it: no line saw it, the ladder shows it. */
		e = runner_trace(r, TRACE_RECV, NULL, s->t);
		e->wire = TRACE_WIRE_LOST;
		e->frame_hash = s->hash;
		runner_segment_text(r, &s->seg, seg, sizeof(seg));
		snprintf(e->actual, sizeof(e->actual), "%.300s", seg);
	}
}
