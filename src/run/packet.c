/* packet.c - packet lines: `<` injected, `>` matched, `> nothing`. */
#include "run/packet.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "run/coalesce.h"
#include "run/fold.h"
#include "run/match.h"
#include "run/line.h"
#include "run/pump.h"
#include "run/record.h"
#include "run/state.h"
#include "run/timeline.h"
#include "run/wire.h"

/* How many times the sniffer is asked for the rig's own frame before the
 * send's return time stands in for its capture stamp. */
#define TX_SEEN_TRIES 4

/* The capture stamp of the frame just sent (r->tx_hash): the tap that sees
 * it runs inside the send, so it is there at once on any idle machine. */
static int runner_tx_time(struct runner *r, int64_t sent, int64_t *wire_t)
{
	r->tx_wait = true;
	r->tx_seen = false;
	for (int i = 0; i < TX_SEEN_TRIES && !r->tx_seen; i++)
		if (runner_drain(r))
			return -1;
	r->tx_wait = false;
	*wire_t = r->tx_seen ? r->tx_t : sent;
	return 0;
}

int runner_send(struct runner *r, const struct case_event *ev, int64_t *wire_t)
{
	int64_t now;

	if (!r->fault) {
		if (craft_send(r->io.cr, &r->out, r->err))
			return -1;
		now = runner_now(r);
		if (runner_tx_time(r, now, wire_t))
			return -1;
	} else {
		/* The fault layer is the wire: the rig's act is handing it over. */
		*wire_t = now = runner_now(r);
	}
	if (r->wire) {
		if (r->wire->nsent == WIRE_LOG)
			r->wire->overflow = true;
		else
			r->wire->sent[r->wire->nsent++] = (struct wire_sent){ev, *wire_t, r->tx_hash};
	}
	if (!r->fault)
		return 0;
	if (fault_on_frame(r->fault, FAULT_TX, now, r->out.bytes, r->out.len) != FAULT_PASS)
		return 0;
	if (craft_send(r->io.cr, &r->out, r->err))
		return -1;
	return runner_fault_release(r, now);
}

int runner_inject(struct runner *r, const struct case_event *ev)
{
	int64_t due = runner_due(r, ev), script = runner_script_at(r, ev), wire_t;
	struct trace_event *e;
	struct map_tuple t;
	struct segment wire;
	struct tr_err merr;
	char seg[512];

	/* The frame is built before its time comes: nothing but the send lies
	 * between the deadline and the wire. */
	runner_tuple(r, ev, NULL, &t);
	if (map_outbound(&r->map, &t, &ev->u.pkt, &wire, &merr) ||
	    run_md5_sign(&r->md5, &wire, &merr) ||
	    craft_build(r->io.cr, &wire, &r->io.l2, &r->out, &merr)) {
		e = runner_trace(r, TRACE_SEND, ev, runner_now(r));
		runner_trace_fail(r, e, NULL, merr.msg);
		runner_verdict(r, RUN_FAIL, ev, "%s\n  %s", ev->text, merr.msg);
		return 0;
	}
	runner_adopt_ports(r, ev, &t);
	r->tx_hash = wire_hash(r->out.bytes, r->out.len);
	if (runner_wait_due(r, due) || r->done)
		return r->done ? 0 : -1;
	runner_stall(r, ev);
	if (runner_send(r, ev, &wire_t))
		return -1;
	reseg_note_sent(&r->win, &wire);
	e = runner_trace(r, TRACE_SEND, ev, wire_t);
	segment_format(&ev->u.pkt.seg, seg, sizeof(seg));
	snprintf(e->actual, sizeof(e->actual), "%u>%u %.300s", t.rig_port, t.target_port, seg);
	e->frame_hash = r->tx_hash;
	if (runner_late(r, ev, e, due, wire_t, "it sent the segment"))
		return 0;
	/* What the target does in answer is timed from when the segment
	 * really went. */
	runner_anchor(r, ev, wire_t, wire_t, due, script);
	return 0;
}

void runner_describe_unexpected(struct runner *r, const struct rx *rx,
				       const struct case_event *ev, const char *why)
{
	struct segment live, view;
	struct trace_event *e;
	struct map_tuple t;
	struct tr_err derr;
	char line[512];

	if (!r->done) {
		r->fail_rx_set = true;
		r->fail_rx_hash = rx->hash;
		r->fail_rx_t = rx->t;
	}
	if (reseg_decode(rx->f.bytes, rx->f.len, rx->skip, &live, &derr) != 1) {
		e = runner_trace(r, TRACE_RECV, ev, rx->t);
		e->frame_hash = rx->hash;
		snprintf(e->actual, sizeof(e->actual), "(%zu bytes, not a TCP segment)", rx->f.len);
		runner_trace_fail(r, e, NULL, why);
		runner_verdict(r, RUN_FAIL, ev, "%s: an undecodable frame of %zu bytes at t=%.6f",
			       why, rx->f.len, us_to_s(rx->t));
		return;
	}
	/* runner_tuple reads ev's ports: only an expect line has them. */
	if (ev && ev->kind == CASE_EV_EXPECT) {
		runner_tuple(r, ev, &live, &t);
	} else {
		t = r->flow;
		t.rig_port = live.dport;
		t.target_port = live.sport;
	}
	map_to_script(&r->map, &t, MAP_FROM_TARGET, &live, NULL, &view);
	segment_format(&view, line, sizeof(line));
	e = runner_trace_rx(r, ev, rx, &live, &view);
	runner_trace_fail(r, e, NULL, why);
	if (ev)
		runner_verdict(r, RUN_FAIL, ev, "%s\n  %s at t=%.6f: > %u>%u %s", ev->text, why,
			       us_to_s(rx->t), live.sport, live.dport, line);
	else
		runner_verdict(r, RUN_FAIL, NULL, "%s: %s at t=%.6f: > %u>%u %s", r->s->path, why,
			       us_to_s(rx->t), live.sport, live.dport, line);
}

/* The verdict on a segment that no member of the group holds: the first
 * `>` member's mismatch, as a lone line's would be. */
static void runner_mismatch(struct runner *r, const struct case_event *head,
			    const struct case_event *first, struct candidate *c,
			    const struct rx *rx)
{
	char where[PATH_MAX + 16];
	struct trace_event *e;
	size_t n, alts = runner_group_size(head) - 1;

	e = runner_trace_rx(r, first, rx, &c->view, &c->view);
	runner_trace_fail(r, e, c->mr.field, c->mr.message);
	snprintf(where, sizeof(where), "%s:%d", r->s->path, first->line);
	r->done = true;
	r->res->verdict = RUN_FAIL;
	r->res->line = first->line;
	r->fail_ev = first;
	r->fail_at = runner_now(r);
	r->fail_rx_set = true;
	r->fail_rx_hash = rx->hash;
	r->fail_rx_t = rx->t;
	match_report(r->res->reason, sizeof(r->res->reason), where, first->text, c->p, &c->view,
		     &c->mr);
	n = strlen(r->res->reason);
	if (alts)
		snprintf(r->res->reason + n, sizeof(r->res->reason) - n,
			 "  no alternative of line %d held either (%zu more)\n", head->line, alts);
}

/* A range line (`+a~+b >`) says the target picks its moment. Its segment's
 * TS val, when one is judged, says which moment that was on the script's
 * clock: r->held_ts_late is how much later than expected the target's clock
 * put it, so that the drift after the line counts from the moment the
 * script's TS val names (for pcap2case, the recorded one), not from the
 * range's start. Without it, a range opened before that moment would move
 * every later TS val by the distance. */
static void runner_ts_moment(struct runner *r, const struct case_event *m,
			     const struct candidate *c, const struct segment *live)
{
	const struct seg_opt *want = segment_opt_find(&c->expected, SEG_OPT_TS);
	const struct seg_opt *got = segment_opt_find(live, SEG_OPT_TS);

	r->held_ts_set = false;
	if (m->time.kind != CASE_TIME_REL || !m->time.range || !want || !got ||
	    r->exp_ts_slack == UINT32_MAX)
		return;
	r->held_ts_set = true;
	r->held_ts_late = (int64_t)(int32_t)(got->v.ts.val - want->v.ts.val) * 1000000 / TS_HZ;
}

/* Holds the oldest waiting segment up against the group's `>` members in
 * order: 1 and *held when one holds (learned from), 0 when none does (the
 * verdict is reached), 2 when it was passed over (fold.h), -1 on error. */
static int runner_match(struct runner *r, const struct case_event *head, const struct rx *rx,
			size_t *used, uint32_t *tail, const struct case_event **held)
{
	struct candidate c, first_c;
	const struct case_event *first = NULL;
	struct trace_event *e;
	struct segment live;
	struct tr_err merr;

	*used = 1;
	*tail = 0;
	if (reseg_decode(rx->f.bytes, rx->f.len, rx->skip, &live, &merr) != 1) {
		runner_describe_unexpected(r, rx, head, "not a TCP segment");
		return 0;
	}
	/* Pieces of one larger segment are held up against the first `>`
	 * member as one. */
	for (size_t i = 0; i < runner_group_size(head); i++) {
		const struct case_event *m = runner_group_member(head, i);

		if (m->kind != CASE_EV_EXPECT)
			continue;
		if (runner_coalesce(r, &m->u.pkt, r->exp_hi, &live, used, tail))
			return -1;
		break;
	}
	if (r->done)
		return 0;
	for (size_t i = 0; i < runner_group_size(head); i++) {
		const struct case_event *m = runner_group_member(head, i);
		int rc;

		if (m->kind != CASE_EV_EXPECT)
			continue;
		rc = runner_candidate(r, m, &live, &c, &merr);
		if (rc < 0) {
			e = runner_trace(r, TRACE_RECV, m, rx->t);
			runner_trace_fail(r, e, NULL, merr.msg);
			runner_verdict(r, RUN_FAIL, m, "%s\n  %s", m->text, merr.msg);
			return 0;
		}
		if (rc == 1) {
			runner_ts_moment(r, m, &c, &live);
			if (map_commit(&r->map, &c.learned, r->err))
				return -1;
			runner_adopt_ports(r, m, &c.t);
			if ((m->u.pkt.seg.flags & (SEG_SYN | SEG_ACK)) == SEG_SYN)
				r->new_socket = false;
			runner_trace_rx(r, m, rx, &live, &c.view);
			runner_fold_held(r, &live);
			*held = m;
			return 1;
		}
		if (!first) {
			first = m;
			first_c = c;
			/* p may point into the candidate's own copy of the line. */
			if (c.p == &c.shifted)
				first_c.p = &first_c.shifted;
		}
	}
	if (!first) /* a group of `> nothing` alone: the parser allows none */
		runner_describe_unexpected(r, rx, head, "expected nothing, got a segment");
	else if (*used == 1 && runner_fold_pass(r, first, &first_c, &live, rx))
		return 2;
	else
		runner_mismatch(r, head, first, &first_c, rx);
	return 0;
}

/* The group's `> nothing` member, if it has one. */
static const struct case_event *runner_group_quiet(const struct case_event *head)
{
	for (size_t i = 0; i < runner_group_size(head); i++)
		if (runner_group_member(head, i)->kind == CASE_EV_QUIET)
			return runner_group_member(head, i);
	return NULL;
}

/* Under --packetdrill, what older connections still send is not looked at:
 * packetdrill sees only the socket under test's. While a `>` line waits
 * for the SYN of a connection the target opens (a new socket's), that is
 * anything but a SYN, and, once a new socket was made, a SYN the map has
 * seen already (an older socket still in SYN-SENT retransmitting it); else
 * anything on other ports than the connection's. */
static bool runner_residue(const struct runner *r, const struct case_event *ev,
			   const struct rx *rx)
{
	struct segment live;
	struct tr_err derr;

	if (!r->packetdrill || ev->kind != CASE_EV_EXPECT ||
	    reseg_decode(rx->f.bytes, rx->f.len, rx->skip, &live, &derr) != 1)
		return false;
	if ((ev->u.pkt.seg.flags & (SEG_SYN | SEG_ACK)) == SEG_SYN) {
		struct map_tuple t = { .family = live.family, .rig = live.dst,
				       .target = live.src, .rig_port = live.dport,
				       .target_port = live.sport };

		return !(live.flags & SEG_SYN) ||
		       (r->new_socket && map_syn_seen(&r->map, &t, &live));
	}
	return !(ev->u.pkt.given & CASE_PKT_PORTS) && r->rig_port_set && r->target_port_set &&
	       (live.sport != r->flow.target_port || live.dport != r->flow.rig_port);
}

/* Where `>` line ev's segment may come, tolerance included, and how its
 * TS vals are judged: r->exp_*. */
static void runner_expect_window(struct runner *r, const struct case_event *ev)
{
	int64_t lo, hi, tol_hi = runner_tolerance(r, ev, true);

	runner_span(r, ev, &lo, &hi);
	r->exp_drift = ev->time.kind == CASE_TIME_REL ? runner_drift(r) : 0;
	/* TS ticks: the span and the tolerance, plus one for the tick in
	 * progress (a `*` line has no span: its tolerance only). */
	r->exp_ts_slack = (uint32_t)(((ev->time.kind == CASE_TIME_ANY ? 0 : hi - lo) + tol_hi) *
				     TS_HZ / 1000000 + 1);
	/* packetdrill checks TS vals only when told the TS clock's tick. */
	if (r->packetdrill && !r->s->opt.ts_tick_usecs)
		r->exp_ts_slack = UINT32_MAX;
	r->exp_lo = lo == INT64_MIN ? lo : lo - runner_tolerance(r, ev, false);
	r->exp_hi = ev->time.kind == CASE_TIME_ANY ? hi : hi + tol_hi;
}

/* Where the script's own clock stands at the end of ev's span. */
static int64_t runner_script_until(const struct runner *r, const struct case_event *ev)
{
	return runner_script_at(r, ev) + (ev->time.until_us - ev->time.at_us);
}

/* Where on the script's clock the segment that held line ev came at live
 * time t: the line's moment, or for a range, the one its TS val names
 * (runner_ts_moment), kept inside the range. */
static int64_t runner_held_at(const struct runner *r, const struct case_event *ev, int64_t t)
{
	int64_t at = runner_script_at(r, ev), named;

	if (!r->held_ts_set || ev->time.kind != CASE_TIME_REL || !ev->time.range)
		return at;
	named = t - r->exp_drift - r->held_ts_late;
	if (named < at)
		return at;
	return named > at + (ev->time.range_us - ev->time.us) ?
		       at + (ev->time.range_us - ev->time.us) : named;
}

/* A `>` line, or a group of alternatives (`|` lines, one maybe `> nothing`):
 * the first segment in the window is held up against each `>` member in
 * order; when none comes, the `> nothing` member holds if there is one.
 * Arrivals are judged by their capture stamps, and "none came" only once
 * the sniffer has handed over everything captured by the window's end. */
int runner_expect(struct runner *r, const struct case_event *ev)
{
	const struct case_event *quiet = runner_group_quiet(ev), *held = NULL;
	int64_t span_lo, span_hi, lo, hi, last_t;
	struct trace_event *e;
	struct rx *rx = NULL;
	size_t used;
	uint32_t tail;
	int rc;

	runner_expect_window(r, ev);
	runner_span(r, ev, &span_lo, &span_hi);
	runner_stall(r, ev);
	lo = r->exp_lo;
	hi = r->exp_hi;
	while (!r->done) {
		if (r->rx_n) {
			rx = &r->rx[r->rx_head];
			if (runner_residue(r, ev, rx)) {
				r->rx_head = (r->rx_head + 1) % RX_RING;
				r->rx_n--;
				continue;
			}
			if (rx->t > hi)
				break;
			if (rx->t < lo) {
				if (runner_fold_early(r, ev, rx)) {
					r->rx_head = (r->rx_head + 1) % RX_RING;
					r->rx_n--;
					continue;
				}
				runner_describe_unexpected(r, rx, ev, "arrived too early");
				return 0;
			}
			rc = runner_match(r, ev, rx, &used, &tail, &held);
			if (rc <= 0)
				return rc;
			if (rc == 2) {
				r->rx_head = (r->rx_head + 1) % RX_RING;
				r->rx_n--;
				continue;
			}
			/* The next relative line counts from this arrival (the
			 * last piece's, when pieces were joined). */
			last_t = r->rx[(r->rx_head + used - 1) % RX_RING].t;
			runner_anchor(r, held, last_t, last_t, last_t, runner_held_at(r, ev, last_t));
			/* A piece the line took part of stays for the next. */
			if (tail) {
				r->rx[(r->rx_head + used - 1) % RX_RING].skip += tail;
				used--;
			}
			r->rx_head = (r->rx_head + used) % RX_RING;
			r->rx_n -= (unsigned)used;
			runner_outcome(r, held);
			return 0;
		}
		rx = NULL;
		if (runner_now(r) > hi) {
			if (runner_drain(r))
				return -1;
			if (!r->rx_n)
				break;
			continue;
		}
		if (runner_pump(r, hi + 1))
			return -1;
	}
	if (r->done)
		return 0;
	if (quiet) {
		/* As a lone `> nothing` line: later relative times count from
		 * the window's end (the rig could not know before then). */
		e = runner_trace(r, TRACE_QUIET, quiet, span_lo);
		e->t_end_us = span_hi;
		runner_anchor(r, quiet, span_hi, hi, hi, runner_script_until(r, ev));
		runner_outcome(r, quiet);
		return 0;
	}
	if (rx) {
		runner_describe_unexpected(r, rx, ev, "came after its window");
		return 0;
	}
	e = runner_trace(r, TRACE_MISSING, ev, span_lo == INT64_MIN ? r->anc.hi : span_lo);
	e->t_end_us = hi;
	runner_trace_fail(r, e, NULL, "nothing arrived in its window");
	runner_verdict(r, RUN_FAIL, ev, "%s\n  expected at t=%.6f; nothing arrived by t=%.6f",
		       ev->text, us_to_s(span_lo == INT64_MIN ? r->anc.hi : span_lo), us_to_s(hi));
	return 0;
}

/* `a~b > nothing`: no segment of that connection (or of any, without ports)
 * may come from the target in the window. */
int runner_quiet(struct runner *r, const struct case_event *ev)
{
	const struct case_packet *p = &ev->u.pkt;
	int64_t span_lo, span_hi, lo;

	runner_span(r, ev, &span_lo, &span_hi);
	runner_stall(r, ev);
	lo = span_lo - runner_tolerance(r, ev, false);
	if (runner_wait_until(r, span_hi) || runner_drain(r))
		return -1;
	for (unsigned i = 0; i < r->rx_n && !r->done; i++) {
		const struct rx *rx = &r->rx[(r->rx_head + i) % RX_RING];
		struct segment live;
		struct tr_err derr;

		if (rx->t < lo || rx->t > span_hi)
			continue;
		if ((p->given & CASE_PKT_PORTS) &&
		    (reseg_decode(rx->f.bytes, rx->f.len, rx->skip, &live, &derr) != 1 ||
		     live.sport != p->seg.sport || live.dport != p->seg.dport))
			continue;
		runner_describe_unexpected(r, rx, ev, "expected nothing, got a segment");
	}
	if (!r->done) {
		struct trace_event *e = runner_trace(r, TRACE_QUIET, ev, span_lo);

		e->t_end_us = span_hi;
		runner_outcome(r, ev);
	}
	runner_anchor(r, ev, span_hi, span_hi, span_hi, runner_script_until(r, ev));
	return 0;
}
