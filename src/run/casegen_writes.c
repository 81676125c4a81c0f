#include "run/casegen_writes.h"

/* The next data segment after record j: 1 and *k, the target's or CG_NONE
 * when the rig sent data first (or nothing came); 0: not read yet. */
static int cg_next_data(const struct cg_win *w, size_t j, size_t *k)
{
	for (size_t x = j + 1; x < w->k0 + w->len; x++) {
		const struct cg_rec *r = cg_win_at(w, x);

		if (r->rtx || !r->payload_len)
			continue;
		*k = r->side == CG_TARGET ? x : CG_NONE;
		return 1;
	}
	*k = CG_NONE;
	return cg_win_settled(w);
}

int casegen_chunk(const struct cg_win *w, uint32_t merge, size_t i, uint64_t *c, uint32_t *fin)
{
	*c = 0;
	if (fin)
		*fin = 0;
	for (size_t j = i; j < w->k0 + w->len; j++) {
		const struct cg_rec *r = cg_win_at(w, j), *nx;
		size_t k = CG_NONE;
		bool full;

		if (r->side != CG_TARGET || r->rtx || !r->payload_len)
			continue;
		*c += r->payload_len;
		if (!(r->flags & (SEG_PSH | SEG_FIN)))
			continue;
		if (fin)
			*fin = (r->flags & SEG_FIN) ? r->payload_len : 0;
		if (!merge || (r->flags & SEG_FIN))
			return 1;
		full = r->payload_len == merge;
		if ((full || r->edge) && !cg_next_data(w, j, &k))
			return 0;
		nx = k == CG_NONE ? NULL : cg_win_at(w, k);
		if (!nx || *c + nx->payload_len > CASEGEN_WRITE_MAX)
			return 1;
		/* Past the window's edge the data waited for the rig's ACK, so
		 * the gap says nothing about where the program's write ended. */
		if (!r->edge && nx->ns - r->ns >= CASEGEN_MERGE_NS)
			return 1;
	}
	return cg_win_settled(w);
}
