#include "run/casegen_win.h"

#include <stdlib.h>
#include <string.h>

#include "run/casegen_text.h"

void cg_win_init(struct cg_win *w, unsigned rig_wscale)
{
	memset(w, 0, sizeof(*w));
	w->rig_wscale = rig_wscale;
}

void cg_win_free(struct cg_win *w)
{
	free(w->v);
	free(w->ord);
	memset(w, 0, sizeof(*w));
}

struct cg_rec *cg_win_at(const struct cg_win *w, size_t k)
{
	return &w->v[(w->head + (k - w->k0)) % w->cap];
}

static size_t *ord_at(const struct cg_win *w, size_t i)
{
	return &w->ord[(w->ohead + i) % w->ocap];
}

/* Doubles a ring, its entries moved to the start. */
static int ring_grow(void **v, size_t size, size_t *cap, size_t *head, size_t len)
{
	size_t ncap = *cap ? 2 * *cap : 256;
	char *nv = malloc(ncap * size);

	if (!nv)
		return -1;
	for (size_t i = 0; i < len; i++)
		memcpy(nv + i * size, (char *)*v + ((*head + i) % *cap) * size, size);
	free(*v);
	*v = nv;
	*cap = ncap;
	*head = 0;
	return 0;
}

/* Whether the target's segment t was sent before the rig's segment r
 * reached it: r occupies sequence space t does not acknowledge. Segments
 * that cross on the wire are captured in either order. */
static bool crossed(const struct cg_rec *t, const struct cg_rec *r)
{
	uint32_t space = r->payload_len + !!(r->flags & SEG_SYN) + !!(r->flags & SEG_FIN);

	return (t->flags & SEG_ACK) && space && (int32_t)(r->seq + space - t->ack) > 0;
}

/* Whether a's ack lands in b's sequence space: a, of the other side,
 * acknowledged b, so b was sent first whatever the capture's order. The
 * ack must land inside b, not anywhere past it: an older incarnation's
 * answer acknowledges numbers of another space. */
static bool acks_into(const struct cg_rec *a, const struct cg_rec *b)
{
	uint32_t space = b->payload_len + !!(b->flags & SEG_SYN) + !!(b->flags & SEG_FIN);
	uint32_t into = a->ack - b->seq;

	return (a->flags & SEG_ACK) && space && into > 0 && into <= space;
}

/* How far past what the rig sent a target segment's ack may be and still be
 * waited for: more is another space's number, not a segment to come. */
#define CG_AHEAD_MAX (1u << 20)

static bool ahead(const struct cg_win *w, const struct cg_rec *t)
{
	uint32_t past = t->ack - w->rig_nxt;

	return w->has_rig_nxt && (t->flags & SEG_ACK) && past > 0 && past <= CG_AHEAD_MAX;
}

static void swap_back(struct cg_win *w, size_t at, struct cg_rec *r, struct cg_rec *prev)
{
	*ord_at(w, at) = prev->k;
	*ord_at(w, at - 1) = r->k;
	r->t = prev->t;
}

/* The rig's segment r in ord: before the target segments that acknowledged
 * it already; those no longer ahead become final. */
static void place_rig(struct cg_win *w, struct cg_rec *r, size_t at)
{
	uint32_t end = r->seq + r->payload_len + !!(r->flags & SEG_SYN) + !!(r->flags & SEG_FIN);

	if (r->rtx) {
		w->final = w->olen;
		w->holding = false;
		return;
	}
	if (!w->has_rig_nxt || (int32_t)(end - w->rig_nxt) > 0)
		w->rig_nxt = end;
	w->has_rig_nxt = true;
	if (!w->holding)
		return;
	while (at > w->final) {
		struct cg_rec *prev = cg_win_at(w, *ord_at(w, at - 1));

		if (prev->side != CG_TARGET || !acks_into(prev, r))
			break;
		swap_back(w, at, r, prev);
		at--;
	}
	/* The first target segment from final on: still ahead, it is held
	 * there (what went before it is settled); else everything up to the
	 * last target segment is, and the rig's after it may still be crossed
	 * by the target's next. */
	for (size_t i = w->final; i < w->olen; i++) {
		const struct cg_rec *t = cg_win_at(w, *ord_at(w, i));

		if (t->side != CG_TARGET)
			continue;
		if (ahead(w, t)) {
			w->final = i;
			return;
		}
		break;
	}
	w->holding = false;
	for (size_t i = w->olen; i > w->final; i--)
		if (cg_win_at(w, *ord_at(w, i - 1))->side == CG_TARGET) {
			w->final = i;
			break;
		}
}

static void place(struct cg_win *w, struct cg_rec *r)
{
	size_t at = w->olen++;

	*ord_at(w, at) = r->k;
	if (r->side == CG_RIG) {
		place_rig(w, r, at);
		return;
	}
	while (at > w->final) {
		struct cg_rec *prev = cg_win_at(w, *ord_at(w, at - 1));

		if (prev->side != CG_RIG || prev->rtx || r->dup_ack ||
		    (!crossed(r, prev) && (r->rtx || !acks_into(prev, r))))
			break;
		swap_back(w, at, r, prev);
		at--;
	}
	if (w->holding)
		return;
	if (ahead(w, r)) {
		w->holding = true;
		w->final = at;
		return;
	}
	w->final = at + 1;
}

int cg_win_push(struct cg_win *w, const struct flow_pkt *p, enum cg_side side, bool rtx,
		bool echo, bool in_script)
{
	struct cg_rec *r;
	size_t olen = SEG_OPT_SPACE;
	struct tr_err e;

	if (w->len == w->cap && ring_grow((void **)&w->v, sizeof(*w->v), &w->cap, &w->head, w->len))
		return -1;
	if (w->olen == w->ocap &&
	    ring_grow((void **)&w->ord, sizeof(*w->ord), &w->ocap, &w->ohead, w->olen))
		return -1;
	r = &w->v[(w->head + w->len) % w->cap];
	*r = (struct cg_rec){ .k = w->k0 + w->len, .rec = p->rec, .ns = cg_ts_ns(p),
			      .seq = p->seg.seq, .ack = p->seg.ack,
			      .payload_len = p->seg.payload_len, .win = p->seg.win,
			      .urg = p->seg.urg, .flags = p->seg.flags, .side = side, .rtx = rtx,
			      .echo = echo, .done = !in_script };
	r->t = r->ns;
	if (side == CG_TARGET) {
		r->edge = w->has_rig_ack && (uint32_t)(r->seq + r->payload_len) == w->rig_edge;
		r->dup_ack = w->has_tgt_ack && (r->flags & SEG_ACK) && r->ack == w->tgt_ack &&
			     r->win == w->tgt_win && !r->payload_len &&
			     !(r->flags & (SEG_SYN | SEG_FIN | SEG_RST));
		if (r->flags & SEG_ACK) {
			w->tgt_ack = r->ack;
			w->tgt_win = r->win;
			w->has_tgt_ack = true;
		}
	} else if (r->flags & SEG_ACK) {
		/* A SYN's window is never scaled. */
		w->rig_edge = r->ack + ((r->flags & SEG_SYN) ? (uint32_t)r->win :
					(uint32_t)r->win << w->rig_wscale);
		w->has_rig_ack = true;
	}
	/* Options that decoded from at most 40 bytes encode back into them;
	 * the padding encoding adds is cut off again by nopts. */
	if (segment_opts_encode(&p->seg, r->opts, &olen, &e))
		olen = 0;
	r->olen = (uint8_t)olen;
	r->nopts = p->seg.nopts;
	w->len++;
	if (in_script)
		place(w, r);
	return 0;
}

bool cg_win_settled(const struct cg_win *w)
{
	return w->eof || w->len >= CASEGEN_WINDOW;
}

void cg_win_settle(struct cg_win *w)
{
	w->final = w->olen;
	w->holding = false;
}

struct cg_rec *cg_win_ord_first(const struct cg_win *w)
{
	return w->final ? cg_win_at(w, *ord_at(w, 0)) : NULL;
}

void cg_win_ord_pop(struct cg_win *w)
{
	w->ohead = (w->ohead + 1) % w->ocap;
	w->olen--;
	w->final--;
}

void cg_win_evict(struct cg_win *w, size_t keep)
{
	while (w->len && w->k0 < keep && w->v[w->head].done) {
		w->head = (w->head + 1) % w->cap;
		w->len--;
		w->k0++;
	}
}

bool cg_win_dropped(const struct cg_win *w, const struct cg_rec *r)
{
	if (r->side != CG_RIG || !r->payload_len)
		return false;
	for (size_t k = r->k + 1; k < w->k0 + w->len; k++) {
		const struct cg_rec *t = cg_win_at(w, k);

		if (t->side != CG_TARGET || !(t->flags & SEG_ACK))
			continue;
		if ((int32_t)(t->ack - r->seq) > 0)
			return false;
		if (t->dup_ack)
			return true;
		/* any other segment not covering r left before r arrived */
	}
	return false;
}

void cg_win_segment(const struct cg_rec *r, struct segment *s)
{
	struct tr_err e;

	memset(s, 0, sizeof(*s));
	s->seq = r->seq;
	s->ack = r->ack;
	s->payload_len = r->payload_len;
	s->win = r->win;
	s->urg = r->urg;
	s->flags = r->flags;
	if (!segment_opts_decode(s, r->opts, r->olen, &e) && s->nopts > r->nopts)
		s->nopts = r->nopts;
}
