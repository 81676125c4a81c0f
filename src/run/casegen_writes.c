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

uint64_t casegen_chunk(const struct flow_pkt *p, size_t n, const enum cg_side *side,
		       const bool *rtx, uint32_t merge, size_t i)
{
	uint64_t c = 0;

	for (size_t j = i; j < n; j++) {
		size_t k;

		if (side[j] != CG_TARGET || rtx[j] || !p[j].seg.payload_len)
			continue;
		c += p[j].seg.payload_len;
		if (!(p[j].seg.flags & (SEG_PSH | SEG_FIN)))
			continue;
		k = p[j].seg.payload_len == merge && !(p[j].seg.flags & SEG_FIN) ?
			    cg_next_data(p, n, side, rtx, j) : n;
		if (k == n || cg_ts_ns(&p[k]) - cg_ts_ns(&p[j]) >= CASEGEN_MERGE_NS ||
		    c + p[k].seg.payload_len > CASEGEN_WRITE_MAX)
			break;
	}
	return c;
}

