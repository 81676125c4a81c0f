#include "run/casegen_writes.h"

#include "run/casegen_text.h"

/* The next target data segment after j, or n when the rig sent data first. */
static size_t cg_next_data(const struct flow_pkt *p, size_t n, const enum cg_side *side,
			   const bool *rtx, size_t j)
{
	for (size_t k = j + 1; k < n; k++) {
		if (rtx[k] || !p[k].seg.payload_len)
			continue;
		return side[k] == CG_TARGET ? k : n;
	}
	return n;
}

unsigned casegen_rig_wscale(const struct flow_pkt *p, size_t n, const enum cg_side *side)
{
	int ws[2] = { -1, -1 }; /* by side: the rig's, the target's; -1: none */
	bool seen[2] = { false, false };

	for (size_t i = 0; i < n; i++) {
		const struct seg_opt *w;
		int t = side[i] == CG_TARGET;

		if (!(p[i].seg.flags & SEG_SYN) || seen[t])
			continue;
		w = segment_opt_find(&p[i].seg, SEG_OPT_WSCALE);
		seen[t] = true;
		ws[t] = w ? w->v.wscale : -1;
	}
	return ws[0] >= 0 && ws[1] >= 0 ? (unsigned)ws[0] : 0;
}

/* Does target segment j end at the right edge of the window the rig
 * advertised last before it? */
static bool cg_at_window_edge(const struct flow_pkt *p, const enum cg_side *side,
			      unsigned rig_wscale, size_t j)
{
	const struct segment *s = &p[j].seg;

	for (size_t k = j; k-- > 0;) {
		const struct segment *r = &p[k].seg;

		if (side[k] != CG_RIG || !(r->flags & SEG_ACK))
			continue;
		if (r->flags & SEG_SYN) /* a SYN's window is never scaled */
			return (uint32_t)(s->seq + s->payload_len) == (uint32_t)(r->ack + r->win);
		return (uint32_t)(s->seq + s->payload_len) ==
		       (uint32_t)(r->ack + ((uint32_t)r->win << rig_wscale));
	}
	return false;
}

uint64_t casegen_chunk(const struct flow_pkt *p, size_t n, const enum cg_side *side,
		       const bool *rtx, uint32_t merge, unsigned rig_wscale, size_t i)
{
	uint64_t c = 0;

	for (size_t j = i; j < n; j++) {
		bool full, edge;
		size_t k;

		if (side[j] != CG_TARGET || rtx[j] || !p[j].seg.payload_len)
			continue;
		c += p[j].seg.payload_len;
		if (!(p[j].seg.flags & (SEG_PSH | SEG_FIN)))
			continue;
		if (!merge || (p[j].seg.flags & SEG_FIN))
			break;
		full = p[j].seg.payload_len == merge;
		edge = cg_at_window_edge(p, side, rig_wscale, j);
		k = full || edge ? cg_next_data(p, n, side, rtx, j) : n;
		if (k == n || c + p[k].seg.payload_len > CASEGEN_WRITE_MAX)
			break;
		/* Past the window's edge the data waited for the rig's ACK, so
		 * the gap says nothing about where the program's write ended. */
		if (!edge && cg_ts_ns(&p[k]) - cg_ts_ns(&p[j]) >= CASEGEN_MERGE_NS)
			break;
	}
	return c;
}

