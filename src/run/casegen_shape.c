#include "run/casegen_shape.h"

#include <string.h>

#include "wire/craft.h"

struct cg_judge cg_judge_next(struct cg_judging *j, bool rig_is_client, const struct flow_pkt *p)
{
	const struct segment *s = &p->seg;
	struct cg_judge r = { .side = p->from_client == rig_is_client ? CG_RIG : CG_TARGET };

	r.rtx = casegen_num_retransmit(&j->rt, r.side, s);
	if ((s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN && j->past_syn[r.side]) {
		r.rtx = false;
		r.again = true;
	}
	if (!(s->flags & SEG_SYN))
		j->past_syn[r.side] = true;
	/* A target segment that only answered the rig's retransmission just
	 * before it (no sequence space, nothing newly acknowledged): dropped
	 * with it, or the script would expect an answer to nothing. */
	if (r.side == CG_TARGET && j->n > 0) {
		r.echo = j->last_rig_rtx && j->has_prev_tgt && !s->payload_len &&
			 !(s->flags & (SEG_SYN | SEG_FIN | SEG_RST)) && s->ack == j->prev_tgt_ack;
		j->has_prev_tgt = true;
		j->prev_tgt_ack = s->ack;
		/* What answers a retransmitted FIN is what TIME_WAIT (or its
		 * absence) says: the case's point, kept with it. */
		if (j->last_rig_rtx && ((s->flags & SEG_RST) || j->last_rig_rtx_fin)) {
			r.keeps_rec = j->last_rig_rtx_rec;
			r.echo = false;
		}
	}
	j->last_rig_rtx = r.side == CG_RIG && r.rtx;
	j->last_rig_rtx_fin = j->last_rig_rtx && (s->flags & SEG_FIN);
	j->last_rig_rtx_rec = p->rec;
	j->n++;
	return r;
}

void cg_shape_init(struct cg_shape *sh, bool rig_is_client)
{
	memset(sh, 0, sizeof(*sh));
	sh->syn = sh->answer = sh->last_rig_data = sh->rig_syn = CG_NONE;
	sh->target_server = rig_is_client;
}

bool cg_shape_keeps(const struct cg_shape *sh, unsigned long rec)
{
	for (size_t i = 0; i < sh->nkept; i++)
		if (sh->kept_rec[i] == rec)
			return true;
	return false;
}

void cg_shape_add(struct cg_shape *sh, bool rig_is_client, const struct flow_pkt *p)
{
	const struct segment *s = &p->seg;
	struct cg_judge jd = cg_judge_next(&sh->j, rig_is_client, p);
	size_t i = sh->n++;
	uint8_t opts[SEG_OPT_SPACE];
	size_t olen = SEG_OPT_SPACE;
	struct tr_err e;

	if (!i)
		sh->first_rec = p->rec;
	sh->last_rec = p->rec;
	if (sh->syn == CG_NONE && p->from_client && (s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN) {
		sh->syn = i;
		sh->syn_pkt = *p;
	} else if (sh->syn != CG_NONE && sh->answer == CG_NONE && !p->from_client &&
		   (s->flags & (SEG_SYN | SEG_RST))) {
		sh->answer = i;
		sh->answer_pkt = *p;
	}
	if ((s->flags & SEG_SYN) && jd.side == CG_RIG && sh->rig_syn == CG_NONE)
		sh->rig_syn = i;
	else if (jd.side == CG_RIG && sh->rig_syn == CG_NONE && !sh->pre_syn_rec)
		sh->pre_syn_rec = p->rec;
	sh->nagain += jd.again;
	if ((s->flags & SEG_SYN) && !sh->syn_seen[jd.side]) {
		const struct seg_opt *ws = segment_opt_find(s, SEG_OPT_WSCALE);

		sh->syn_seen[jd.side] = true;
		sh->wscale[jd.side] = ws ? ws->v.wscale : -1;
	}
	if (jd.side == CG_TARGET && (s->flags & SEG_SYN) && !sh->mss) {
		const struct seg_opt *mss = segment_opt_find(s, SEG_OPT_MSS);

		sh->mss = mss ? mss->v.mss : 0;
	}
	casegen_num_observe(&sh->m, jd.side, s);
	sh->nrtx += jd.rtx;
	if (jd.keeps_rec && sh->nkept < CG_KEPT_MAX) {
		sh->kept_rec[sh->nkept++] = jd.keeps_rec;
		sh->nrtx--;
	}
	sh->necho += jd.echo;
	if (jd.side == CG_RIG && s->payload_len && !jd.rtx)
		sh->last_rig_data = i;
	if (jd.side == CG_TARGET && s->payload_len && !jd.rtx && !(s->flags & (SEG_PSH | SEG_FIN)))
		sh->loose_psh = true;
	if (jd.side == CG_TARGET && s->payload_len > sh->largest)
		sh->largest = s->payload_len;
	segment_opts_encode(s, opts, &olen, &e);
	if (!sh->big_rec && 14 + 20 + 20 + olen + s->payload_len > FRAME_MAX) {
		sh->big_rec = p->rec;
		sh->big_len = s->payload_len;
	}
}

int cg_shape_finish(struct cg_shape *sh, const char *src, unsigned num, struct tr_err *err)
{
	casegen_num_finish(&sh->m);
	if (sh->rig_syn == CG_NONE)
		sh->pre_syn_rec = 0; /* no SYN of the rig's to be before */
	sh->full = sh->loose_psh ? sh->largest : 0;
	sh->rig_wscale = sh->syn_seen[CG_RIG] && sh->syn_seen[CG_TARGET] &&
				 sh->wscale[CG_RIG] >= 0 && sh->wscale[CG_TARGET] >= 0 ?
			 (unsigned)sh->wscale[CG_RIG] : 0;
	/* RFC 7323 2.3: a shift above 14 is taken as 14. */
	if (sh->rig_wscale > 14)
		sh->rig_wscale = 14;
	if (sh->big_rec)
		return err_usage(err,
				 "%s: flow %u: packet #%lu carries %u bytes: the rig's frames "
				 "hold %d bytes with headers (capture over an MTU of 16000 or "
				 "less, not loopback's 65536)",
				 src, num, sh->big_rec, sh->big_len, FRAME_MAX);
	if (sh->syn == CG_NONE)
		return err_usage(err,
				 "%s: flow %u: the client's SYN is not in the capture (the "
				 "connection began before it): pcap2case needs the handshake",
				 src, num);
	if (sh->answer == CG_NONE)
		return err_usage(err, "%s: flow %u: nothing answered the client's SYN (packet #%lu)",
				 src, num, sh->syn_pkt.rec);
	sh->refused = (sh->answer_pkt.seg.flags & SEG_RST) != 0;
	return 0;
}
