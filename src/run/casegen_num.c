#include "run/casegen_num.h"

#include <string.h>

static const uint32_t ts_base[2] = { CG_TS_RIG, CG_TS_TARGET };

static uint32_t seg_space(const struct segment *s)
{
	return s->payload_len + !!(s->flags & SEG_SYN) + !!(s->flags & SEG_FIN);
}

void casegen_num_observe(struct casegen_num *m, enum cg_side side, const struct segment *s)
{
	const struct seg_opt *ts = segment_opt_find(s, SEG_OPT_TS);
	int w = side;

	if (!m->has_first[w]) {
		m->first_seq[w] = s->seq;
		m->has_first[w] = true;
	}
	/* A SYN names the ISN even after a first segment without one. */
	if ((s->flags & SEG_SYN) && !m->syn[w]) {
		m->isn[w] = s->seq;
		m->has_isn[w] = m->syn[w] = true;
	} else if (!m->has_isn[w] && !(s->flags & SEG_RST)) {
		m->isn[w] = s->seq;
		m->has_isn[w] = true;
	}
	if (ts && !m->has_ts[w]) {
		m->ts0[w] = ts->v.ts.val;
		m->has_ts[w] = true;
	}
}

void casegen_num_finish(struct casegen_num *m)
{
	/* An RST alone (a refused SYN) numbers from its own seq. */
	for (int w = 0; w < 2; w++)
		if (!m->has_isn[w] && m->has_first[w]) {
			m->isn[w] = m->first_seq[w];
			m->has_isn[w] = true;
		}
}

void casegen_num_init(struct casegen_num *m, const struct segment *const *seg,
		      const enum cg_side *side, size_t n)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++)
		casegen_num_observe(m, side[i], seg[i]);
	casegen_num_finish(m);
}

bool casegen_num_retransmit(struct casegen_num *m, enum cg_side side,
			    const struct segment *s)
{
	uint32_t len = seg_space(s), start = s->seq - m->isn[side], end = start + len;

	if (!len)
		return false;
	if (m->has_nxt[side] && (int32_t)(end - m->nxt[side]) <= 0)
		return true;
	m->nxt[side] = end;
	m->has_nxt[side] = true;
	return false;
}

void casegen_num_rewrite(const struct casegen_num *m, enum cg_side side,
			 struct segment *s)
{
	enum cg_side peer = side == CG_RIG ? CG_TARGET : CG_RIG;

	s->seq -= m->isn[side];
	if (s->flags & SEG_SYN)
		s->seq += m->syn_seq[side];
	if (s->flags & SEG_ACK)
		s->ack -= m->isn[peer];
	else if (s->flags & SEG_RST)
		s->ack = 0;
	for (unsigned i = 0; i < s->nopts; i++) {
		struct seg_opt *o = &s->opts[i];

		if (o->kind == SEG_OPT_TS) {
			o->v.ts.val = o->v.ts.val - m->ts0[side] + ts_base[side];
			if (o->v.ts.ecr)
				o->v.ts.ecr = o->v.ts.ecr - m->ts0[peer] + ts_base[peer];
		} else if (o->kind == SEG_OPT_SACK) {
			for (unsigned k = 0; k < o->v.sack.n; k++) {
				o->v.sack.b[k].left -= m->isn[peer];
				o->v.sack.b[k].right -= m->isn[peer];
			}
		}
	}
}

uint32_t casegen_echo_hi(struct casegen_echo *e, struct segment *s, bool out)
{
	struct seg_opt *ts = NULL;
	uint32_t ecr, hi;

	for (unsigned i = 0; i < s->nopts && !ts; i++)
		if (s->opts[i].kind == SEG_OPT_TS)
			ts = &s->opts[i];
	if (!ts)
		return 0;
	if (!out) {
		if (!e->rig || (int32_t)(ts->v.ts.val - e->rig_ts) > 0)
			e->rig_ts = ts->v.ts.val;
		e->rig = true;
		return 0;
	}
	ecr = hi = ts->v.ts.ecr;
	if (s->payload_len && ecr && !(s->flags & (SEG_SYN | SEG_RST))) {
		if (e->tgt && (int32_t)(e->tgt_ecr - ts->v.ts.ecr) < 0)
			ts->v.ts.ecr = e->tgt_ecr;
		if (e->rig && (int32_t)(e->rig_ts - hi) > 0)
			hi = e->rig_ts;
	}
	/* A range is written A~B with A <= B: an ecr past the rig's newest TS
	 * val only in serial numbers (a damaged capture: the script's clocks
	 * start near 0 and never wrap) is written as it is. */
	if (hi < ts->v.ts.ecr)
		hi = ts->v.ts.ecr;
	/* Live, the segment before may itself have echoed its range's start:
	 * a run of data segments keeps the lowest. */
	e->tgt = true;
	e->tgt_ecr = s->payload_len ? ts->v.ts.ecr : ecr;
	return hi;
}
