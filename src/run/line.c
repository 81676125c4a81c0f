/* line.c - a packet line against a live segment: the connection it means,
 * its numbers mapped both ways, the match. Learns nothing: what a line
 * commits is the caller's. */
#include "run/line.h"

#include <stdio.h>
#include <string.h>

/* A SYN injected after a listen() under --packetdrill: packetdrill gives
 * the connection it opens a new remote port, so an older connection on the
 * same ports (still open, or in TIME_WAIT) is not what the SYN meets. */
static bool runner_opens_passive(const struct runner *r, const struct case_event *ev)
{
	return r->packetdrill && r->listened && ev->kind == CASE_EV_INJECT &&
	       (ev->u.pkt.seg.flags & (SEG_SYN | SEG_ACK)) == SEG_SYN;
}

/* The connection a packet line means: its own ports, else the default. */
void runner_tuple(struct runner *r, const struct case_event *ev,
			 const struct segment *live, struct map_tuple *t)
{
	const struct case_packet *p = &ev->u.pkt;

	*t = r->flow;
	if (p->given & CASE_PKT_PORTS) {
		t->rig_port = ev->kind == CASE_EV_INJECT ? p->seg.sport : p->seg.dport;
		t->target_port = ev->kind == CASE_EV_INJECT ? p->seg.dport : p->seg.sport;
		return;
	}
	if (live) {
		/* A connection the target opened: its ports come from its SYN.
		 * Under --packetdrill every SYN the target opens with is a new
		 * socket's, on a port of its own, as packetdrill takes it. */
		bool opens = r->packetdrill && ev->kind == CASE_EV_EXPECT &&
			     (p->seg.flags & (SEG_SYN | SEG_ACK)) == SEG_SYN &&
			     (live->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN;

		if (!r->target_port_set || opens)
			t->target_port = live->sport;
		if (!r->rig_port_set || opens)
			t->rig_port = live->dport;
		return;
	}
	if (!r->rig_port_set)
		t->rig_port = RUN_RIG_PORT;
	else if (runner_opens_passive(r, ev))
		t->rig_port = r->flow.rig_port == UINT16_MAX ? RUN_RIG_PORT : r->flow.rig_port + 1;
	if (!r->target_port_set)
		t->target_port = RUN_TARGET_PORT;
}

void runner_adopt_ports(struct runner *r, const struct case_event *ev,
			       const struct map_tuple *t)
{
	if (ev->u.pkt.given & CASE_PKT_PORTS)
		return;
	if (runner_opens_passive(r, ev))
		r->listened = false;
	r->flow.rig_port = t->rig_port;
	r->flow.target_port = t->target_port;
	r->rig_port_set = r->target_port_set = true;
}

void runner_segment_text(struct runner *r, const struct segment *live, char *buf, size_t cap)
{
	struct map_tuple t = r->flow;
	struct segment view;
	char line[512];

	t.rig_port = live->dport;
	t.target_port = live->sport;
	map_to_script(&r->map, &t, MAP_FROM_TARGET, live, NULL, &view);
	segment_format(&view, line, sizeof(line));
	snprintf(buf, cap, "%u>%u %s", live->sport, live->dport, line);
}

/* 1 if live holds line ev, 0 if not (c->mr says why), -1 if the line cannot
 * be mapped (merr). Learns nothing. */
int runner_candidate(struct runner *r, const struct case_event *ev,
			    const struct segment *live, struct candidate *c, struct tr_err *merr)
{
	struct match_args args;

	c->shifted = ev->u.pkt;
	c->p = &ev->u.pkt;
	runner_tuple(r, ev, live, &c->t);
	/* The target's TS clock ran on while the live timeline drifted from
	 * the script's: a TS val written for a relative line moves with it. */
	if (ev->time.kind == CASE_TIME_REL && r->exp_drift) {
		c->p = &c->shifted;
		for (unsigned i = 0; i < c->shifted.seg.nopts; i++)
			if (c->shifted.seg.opts[i].kind == SEG_OPT_TS)
				c->shifted.seg.opts[i].v.ts.val +=
					(uint32_t)(r->exp_drift * TS_HZ / 1000000);
	}
	if (map_expected(&r->map, &c->t, c->p, live, &c->expected, &c->learned, merr) ||
	    run_md5_expect(&r->md5, live, &c->expected, merr))
		return -1;
	/* A later `<` ecr names the TS val as the script wrote it. */
	if (c->learned.ts_seen && c->p != &ev->u.pkt) {
		const struct seg_opt *ts = segment_opt_find(&ev->u.pkt.seg, SEG_OPT_TS);

		if (ts)
			c->learned.ts.script = ts->v.ts.val;
	}
	/* The digest live must carry is shown as the line's own. */
	if (c->p->seg.md5_sign) {
		run_md5_copy(&c->expected, &c->shifted.seg);
		c->p = &c->shifted;
	}
	map_to_script(&r->map, &c->t, MAP_FROM_TARGET, live, &c->learned, &c->view);
	args = (struct match_args){
		.given = c->p->given,
		.exp_wire = &c->expected,
		.act_wire = live,
		.exp_script = &c->p->seg,
		.act_script = &c->view,
		.ts_tolerance = r->exp_ts_slack,
		.ecr_hi = c->p->ecr_hi,
		.loose_psh = r->s->opt.loose_psh,
	};
	return match_segment(&args, &c->mr) ? 1 : 0;
}

bool runner_line_matches(struct runner *r, const struct case_event *ev,
			 const struct segment *live, char *text, size_t cap)
{
	struct candidate c;
	struct tr_err merr;
	char line[512];

	if (runner_candidate(r, ev, live, &c, &merr) != 1)
		return false;
	segment_format(&c.view, line, sizeof(line));
	snprintf(text, cap, "%u>%u %s", live->sport, live->dport, line);
	return true;
}

