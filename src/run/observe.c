/* observe.c - `> any`: the target's segments in a window, recorded (observe.h). */
#include "run/observe.h"

#include <stdio.h>

#include "run/line.h"
#include "run/packet.h"
#include "run/pump.h"
#include "run/record.h"
#include "run/timeline.h"

/* The segment in the numbers its connection reads in (observe.h). */
static void runner_observe_text(struct runner *r, const struct segment *live, char *buf,
				size_t cap)
{
	struct map_learned l;
	struct map_tuple t = r->flow;
	struct segment view;
	char seg[512];

	t.rig_port = live->dport;
	t.target_port = live->sport;
	if (live->flags & SEG_SYN || !map_reply_view(&r->map, &t, &l))
		map_to_script(&r->map, &t, MAP_FROM_TARGET, live, NULL, &view);
	else
		map_to_script(&r->map, &t, MAP_FROM_TARGET, live, &l, &view);
	segment_format(&view, seg, sizeof(seg));
	snprintf(buf, cap, "%u>%u %.300s", live->sport, live->dport, seg);
}

int runner_observe(struct runner *r, const struct case_event *ev)
{
	const struct case_packet *p = &ev->u.pkt;
	int64_t span_lo, span_hi, lo;
	struct trace_event *e;
	unsigned seen = 0;

	runner_span(r, ev, &span_lo, &span_hi);
	runner_stall(r, ev);
	lo = span_lo - runner_tolerance(r, ev, false);
	if (runner_wait_until(r, span_hi) || runner_drain(r))
		return -1;
	while (r->rx_n && !r->done) {
		const struct rx *rx = &r->rx[r->rx_head];
		struct segment live;
		struct tr_err derr;

		if (rx->t > span_hi)
			break;
		if (rx->t < lo) {
			runner_describe_unexpected(r, rx, ev, "arrived too early");
			break;
		}
		if (reseg_decode(rx->f.bytes, rx->f.len, rx->skip, &live, &derr) != 1) {
			runner_describe_unexpected(r, rx, ev, "not a TCP segment");
			break;
		}
		/* Another connection's segment is not this line's to take. */
		if ((p->given & CASE_PKT_PORTS) &&
		    (live.sport != p->seg.sport || live.dport != p->seg.dport))
			break;
		e = runner_trace(r, TRACE_RECV, ev, rx->t);
		e->frame_hash = rx->hash;
		runner_observe_text(r, &live, e->actual, sizeof(e->actual));
		r->rx_head = (r->rx_head + 1) % RX_RING;
		r->rx_n--;
		seen++;
	}
	if (r->done)
		return 0;
	if (!seen) {
		e = runner_trace(r, TRACE_QUIET, ev, span_lo);
		e->t_end_us = span_hi;
	}
	runner_anchor(r, ev, span_hi, span_hi, span_hi,
		      runner_script_at(r, ev) + (ev->time.until_us - ev->time.at_us));
	return 0;
}
