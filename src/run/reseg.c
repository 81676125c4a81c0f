/* reseg.c - the target's data cut at the rig's window edge (reseg.h). */
#include "run/reseg.h"

void reseg_note_sent(struct rig_window *w, const struct segment *sent)
{
	if (sent->flags & SEG_SYN) {
		const struct seg_opt *ws = segment_opt_find(sent, SEG_OPT_WSCALE);

		/* RFC 7323 2.3: a shift above 14 is taken as 14. */
		w->wscale = ws ? (ws->v.wscale > 14 ? 14 : ws->v.wscale) : 0;
		return;
	}
	if (!(sent->flags & SEG_ACK) || (sent->flags & SEG_RST))
		return;
	w->edge[w->n++ % RESEG_EDGES] = sent->ack + ((uint32_t)sent->win << w->wscale);
}

bool reseg_at_edge(const struct rig_window *w, uint32_t seq)
{
	unsigned k = w->n < RESEG_EDGES ? w->n : RESEG_EDGES;

	for (unsigned i = 0; i < k; i++)
		if (w->edge[i] == seq)
			return true;
	return false;
}

int reseg_decode(const uint8_t *frame, size_t len, uint32_t skip, struct segment *s,
		 struct tr_err *err)
{
	int rc = segment_decode_frame(s, frame, len, err);

	if (rc != 1 || !skip || skip >= s->payload_len)
		return rc;
	s->seq += skip;
	s->payload_len -= skip;
	if (s->payload)
		s->payload += skip;
	return rc;
}
