/* fold.c - passing over an ACK a recording folded into a later one. */
#include "run/fold.h"

#include <stdio.h>
#include <string.h>

#include "run/record.h"
#include "run/reseg.h"

/* Acknowledges live more than the target did before on its connection? */
static bool fold_advances(const struct runner *r, const struct segment *live)
{
	if (!r->fold_ack_set || r->fold_sport != live->sport || r->fold_dport != live->dport)
		return true;
	return (int32_t)(live->ack - r->fold_ack) > 0;
}

int runner_fold_pass(struct runner *r, const struct case_event *m, const struct candidate *c,
		     const struct segment *live, const struct rx *rx)
{
	const struct segment *want = &m->u.pkt.seg;
	struct trace_event *e;

	/* Ports, flags, seq and length held (the ack is compared after
	 * them): live is a pure ACK on the line's connection too. */
	if (!r->s->opt.loose_acks || m->kind != CASE_EV_EXPECT || strcmp(c->mr.field, "tcp ack") ||
	    (want->flags & ~SEG_PSH) != SEG_ACK || want->payload_len ||
	    (int32_t)(c->expected.ack - live->ack) <= 0 || !fold_advances(r, live))
		return 0;
	e = runner_trace_rx(r, m, rx, live, &c->view);
	snprintf(e->note, sizeof(e->note),
		 "an ACK of less than line %d's, which the recording folded into it: passed "
		 "over (--loose_acks)", m->line);
	runner_fold_held(r, live);
	return 1;
}

int runner_fold_early(struct runner *r, const struct case_event *head, const struct rx *rx)
{
	struct candidate c;
	struct segment live;
	struct tr_err merr;
	int rc;

	if (!r->s->opt.loose_acks ||
	    reseg_decode(rx->f.bytes, rx->f.len, rx->skip, &live, &merr) != 1)
		return 0;
	for (size_t i = 0; i < runner_group_size(head); i++) {
		const struct case_event *m = runner_group_member(head, i);

		if (m->kind != CASE_EV_EXPECT)
			continue;
		rc = runner_candidate(r, m, &live, &c, &merr);
		return rc == 0 ? runner_fold_pass(r, m, &c, &live, rx) : 0;
	}
	return 0;
}

void runner_fold_held(struct runner *r, const struct segment *live)
{
	if (!(live->flags & SEG_ACK))
		return;
	r->fold_ack_set = true;
	r->fold_ack = live->ack;
	r->fold_sport = live->sport;
	r->fold_dport = live->dport;
}
