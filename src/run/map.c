#include "run/map.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void map_init(struct map *m)
{
	memset(m, 0, sizeof(*m));
}

void map_free(struct map *m)
{
	for (size_t i = 0; i < m->nflows; i++)
		free(m->flows[i].inc);
	free(m->flows);
	memset(m, 0, sizeof(*m));
}

static bool map_addr_eq(int family, const union seg_ip *a, const union seg_ip *b)
{
	/* Only the bytes of the family count: the rest may be stale. */
	if (family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return memcmp(&a->v6, &b->v6, sizeof(a->v6)) == 0;
}

static bool map_tuple_eq(const struct map_tuple *a, const struct map_tuple *b)
{
	return a->family == b->family && a->rig_port == b->rig_port &&
	       a->target_port == b->target_port && map_addr_eq(a->family, &a->rig, &b->rig) &&
	       map_addr_eq(a->family, &a->target, &b->target);
}

/* The flow's index, or m->nflows when the map has not seen it. */
static size_t map_flow_index(const struct map *m, const struct map_tuple *t)
{
	size_t i;

	for (i = 0; i < m->nflows; i++)
		if (map_tuple_eq(&m->flows[i].t, t))
			break;
	return i;
}

static const struct map_flow *map_flow_find(const struct map *m, const struct map_tuple *t)
{
	size_t i = map_flow_index(m, t);

	return i < m->nflows ? &m->flows[i] : NULL;
}

bool map_syn_seen(const struct map *m, const struct map_tuple *t, const struct segment *live)
{
	const struct map_flow *f = map_flow_find(m, t);

	if (!f || !(live->flags & SEG_SYN))
		return false;
	for (size_t i = 0; i < f->ninc; i++)
		if (f->inc[i].tgt_known && f->inc[i].tgt_isn == live->seq)
			return true;
	return false;
}

/* The current incarnation as it is, or as learned would leave it. */
static struct map_inc map_state(const struct map *m, const struct map_tuple *t,
				const struct map_learned *learned)
{
	const struct map_flow *f;
	struct map_inc none = {0};

	if (learned && map_tuple_eq(&learned->t, t))
		return learned->inc;
	f = map_flow_find(m, t);
	return f && f->ninc ? f->inc[f->ninc - 1] : none;
}

static uint32_t map_rig_base(const struct map_inc *s)
{
	return s->rig_known ? s->rig_isn : 0;
}

static uint32_t map_tgt_base(const struct map_inc *s)
{
	return s->tgt_known ? s->tgt_isn : 0;
}

/* What the target's numbers in a SYN line add to its name for its ISN. */
static uint32_t map_tgt_syn_base(const struct map_inc *s)
{
	return s->tgt_known ? s->tgt_isn - s->tgt_named : 0;
}

/* The ack of a segment carrying SYN, script to wire: relative to the
 * peer's ISN, or (syn_acks_absolute) absolute in the rig's space and
 * named in the target's. */
static uint32_t map_syn_ack_base(const struct map *m, const struct map_inc *s, bool of_target)
{
	if (!m->syn_acks_absolute)
		return of_target ? map_tgt_base(s) : map_rig_base(s);
	return of_target ? map_tgt_syn_base(s) : 0;
}

static void map_addresses(const struct map_tuple *t, enum map_dir dir, struct segment *s)
{
	s->family = t->family;
	switch (dir) {
	case MAP_TO_TARGET:
		s->src = t->rig;
		s->dst = t->target;
		s->sport = t->rig_port;
		s->dport = t->target_port;
		break;
	case MAP_FROM_TARGET:
		s->src = t->target;
		s->dst = t->rig;
		s->sport = t->target_port;
		s->dport = t->rig_port;
		break;
	}
}

/* A target TS val the flow has seen, by its script value; newest first so
 * that a value reused by a later incarnation means the later segment. */
static bool map_ring_find(const struct map_flow *f, bool by_script, uint32_t v, uint32_t *out)
{
	for (unsigned k = 1; f && k <= f->ring_n; k++) {
		const struct map_ts_pair *p =
		    &f->ring[(f->ring_next + MAP_TS_RING - k) % MAP_TS_RING];

		if ((by_script ? p->script : p->live) == v) {
			*out = by_script ? p->live : p->script;
			return true;
		}
	}
	return false;
}

/* Numbers relative to the target on a `<` line need its ISN once a
 * handshake the rig started is under way; see map.h. */
static int map_need_tgt_isn(const struct map_inc *s, const char *what, uint32_t v,
			    struct tr_err *err)
{
	if (s->tgt_known || !s->rig_opened)
		return 0;
	return err_usage(err,
			 "%s %u is relative to the target's ISN, which is not known yet: "
			 "no SYN-ACK from the target since the rig's SYN",
			 what, v);
}

int map_commit(struct map *m, const struct map_learned *l, struct tr_err *err)
{
	size_t i = map_flow_index(m, &l->t);
	struct map_flow *f;

	if (i == m->nflows) {
		struct map_flow *nf = realloc(m->flows, (m->nflows + 1) * sizeof(*nf));

		if (!nf)
			return err_env(err, "out of memory");
		m->flows = nf;
		memset(&m->flows[i], 0, sizeof(m->flows[i]));
		m->flows[i].t = l->t;
		m->nflows++;
	}
	f = &m->flows[i];
	if (l->new_inc || !f->ninc) {
		struct map_inc *ni = realloc(f->inc, (f->ninc + 1) * sizeof(*ni));

		if (!ni)
			return err_env(err, "out of memory");
		f->inc = ni;
		f->ninc++;
	}
	f->inc[f->ninc - 1] = l->inc;
	if (l->ts_seen) {
		f->ring[f->ring_next] = l->ts;
		f->ring_next = (f->ring_next + 1) % MAP_TS_RING;
		if (f->ring_n < MAP_TS_RING)
			f->ring_n++;
	}
	return 0;
}

static int map_outbound_opts(const struct map_flow *f, const struct map_inc *s,
			     struct segment *wire, struct tr_err *err)
{
	for (unsigned i = 0; i < wire->nopts; i++) {
		struct seg_opt *o = &wire->opts[i];
		uint32_t live;

		if (o->kind == SEG_OPT_SACK) {
			for (unsigned k = 0; k < o->v.sack.n; k++) {
				if (map_need_tgt_isn(s, "sack block", o->v.sack.b[k].left, err))
					return -1;
				o->v.sack.b[k].left += map_tgt_base(s);
				o->v.sack.b[k].right += map_tgt_base(s);
			}
		} else if (o->kind == SEG_OPT_TS && o->v.ts.ecr) {
			/* The exact value the target sent, so that an echo
			 * the kernel bounds-checks (a SYN-ACK's) passes. */
			if (map_ring_find(f, true, o->v.ts.ecr, &live))
				o->v.ts.ecr = live;
			else if (s->ts_known)
				o->v.ts.ecr += s->ts_off;
		}
	}
	return 0;
}

int map_outbound(struct map *m, const struct map_tuple *t, const struct case_packet *script,
		 struct segment *wire, struct tr_err *err)
{
	struct map_learned l = {.t = *t};
	const struct segment *s = &script->seg;

	l.inc = map_state(m, t, NULL);
	*wire = *s;
	map_addresses(t, MAP_TO_TARGET, wire);
	if (s->flags & SEG_SYN) {
		if (!(s->flags & SEG_ACK)) {
			if (l.inc.rig_known && l.inc.rig_isn != s->seq) {
				l.new_inc = true;
				memset(&l.inc, 0, sizeof(l.inc));
			}
			l.inc.rig_opened = true;
		}
		if (!l.inc.rig_known) {
			l.inc.rig_known = true;
			l.inc.rig_isn = s->seq;
		}
	} else {
		wire->seq = s->seq + map_rig_base(&l.inc);
	}
	if ((s->flags & SEG_ACK) && (script->given & CASE_PKT_ACK)) {
		if (map_need_tgt_isn(&l.inc, "ack", s->ack, err))
			return -1;
		wire->ack = s->ack + ((s->flags & SEG_SYN) ? map_syn_ack_base(m, &l.inc, true)
							   : map_tgt_base(&l.inc));
	}
	if (map_outbound_opts(map_flow_find(m, t), &l.inc, wire, err))
		return -1;
	return map_commit(m, &l, err);
}

/* Fills the TS val expectation, learning the offset from the candidate when
 * the incarnation has none, and what the ring would remember. */
static void map_expected_ts(const struct segment *script, const struct segment *live,
			    struct segment *expected, struct map_learned *l)
{
	const struct seg_opt *lts = segment_opt_find(live, SEG_OPT_TS);
	const struct seg_opt *sts = segment_opt_find(script, SEG_OPT_TS);

	for (unsigned i = 0; i < expected->nopts; i++) {
		struct seg_opt *o = &expected->opts[i];

		if (o->kind != SEG_OPT_TS)
			continue;
		if (!l->inc.ts_known && lts) {
			l->inc.ts_known = true;
			l->inc.ts_off = lts->v.ts.val - o->v.ts.val;
		}
		if (l->inc.ts_known)
			o->v.ts.val += l->inc.ts_off;
	}
	if (!lts)
		return;
	if (sts) {
		l->ts_seen = true;
		l->ts.script = sts->v.ts.val;
	} else if (l->inc.ts_known) {
		l->ts_seen = true;
		l->ts.script = lts->v.ts.val - l->inc.ts_off;
	}
	l->ts.live = lts->v.ts.val;
}

int map_expected(const struct map *m, const struct map_tuple *t, const struct case_packet *script,
		 const struct segment *live, struct segment *expected, struct map_learned *learned,
		 struct tr_err *err)
{
	const struct segment *s = &script->seg;
	struct map_learned l = {.t = *t};

	(void)err; /* since a SYN line may name the ISN, no line fails to map */
	l.inc = map_state(m, t, NULL);
	*expected = *s;
	map_addresses(t, MAP_FROM_TARGET, expected);
	if (s->flags & SEG_SYN) {
		if (!(s->flags & SEG_ACK) && l.inc.tgt_known && l.inc.tgt_isn != live->seq) {
			l.new_inc = true;
			memset(&l.inc, 0, sizeof(l.inc));
		}
		if (!l.inc.tgt_known) {
			l.inc.tgt_known = true;
			l.inc.tgt_isn = live->seq;
			l.inc.tgt_named = s->seq;
		}
	}
	expected->seq = s->seq + ((s->flags & SEG_SYN) ? map_tgt_syn_base(&l.inc)
							: map_tgt_base(&l.inc));
	if ((s->flags & SEG_ACK) && (script->given & CASE_PKT_ACK))
		expected->ack = s->ack + ((s->flags & SEG_SYN) ? map_syn_ack_base(m, &l.inc, false)
							       : map_rig_base(&l.inc));
	for (unsigned i = 0; i < expected->nopts; i++) {
		struct seg_opt *o = &expected->opts[i];

		for (unsigned k = 0; o->kind == SEG_OPT_SACK && k < o->v.sack.n; k++) {
			o->v.sack.b[k].left += map_rig_base(&l.inc);
			o->v.sack.b[k].right += map_rig_base(&l.inc);
		}
	}
	map_expected_ts(s, live, expected, &l);
	*learned = l;
	return 0;
}

static void map_view_opts(const struct map_flow *f, const struct map_inc *s, enum map_dir dir,
			  struct segment *v)
{
	/* SACK blocks are in the receiver's numbers. */
	uint32_t sack_base = dir == MAP_TO_TARGET ? map_tgt_base(s) : map_rig_base(s);

	for (unsigned i = 0; i < v->nopts; i++) {
		struct seg_opt *o = &v->opts[i];
		uint32_t script;

		for (unsigned k = 0; o->kind == SEG_OPT_SACK && k < o->v.sack.n; k++) {
			o->v.sack.b[k].left -= sack_base;
			o->v.sack.b[k].right -= sack_base;
		}
		if (o->kind != SEG_OPT_TS)
			continue;
		switch (dir) {
		case MAP_TO_TARGET:
			if (!o->v.ts.ecr)
				break;
			if (map_ring_find(f, false, o->v.ts.ecr, &script))
				o->v.ts.ecr = script;
			else if (s->ts_known)
				o->v.ts.ecr -= s->ts_off;
			break;
		case MAP_FROM_TARGET:
			if (s->ts_known)
				o->v.ts.val -= s->ts_off;
			break;
		}
	}
}

void map_to_script(const struct map *m, const struct map_tuple *t, enum map_dir dir,
		   const struct segment *wire, const struct map_learned *learned,
		   struct segment *script_view)
{
	struct map_inc s = map_state(m, t, learned);
	struct segment *v = script_view;

	*v = *wire;
	switch (dir) {
	case MAP_TO_TARGET:
		if (!(v->flags & SEG_SYN))
			v->seq -= map_rig_base(&s);
		if (v->flags & SEG_ACK)
			v->ack -= (v->flags & SEG_SYN) ? map_syn_ack_base(m, &s, true) : map_tgt_base(&s);
		break;
	case MAP_FROM_TARGET:
		v->seq -= (v->flags & SEG_SYN) ? map_tgt_syn_base(&s) : map_tgt_base(&s);
		if (v->flags & SEG_ACK)
			v->ack -= (v->flags & SEG_SYN) ? map_syn_ack_base(m, &s, false)
						       : map_rig_base(&s);
		break;
	}
	map_view_opts(map_flow_find(m, t), &s, dir, v);
}

size_t map_incarnations(const struct map *m, const struct map_tuple *t)
{
	const struct map_flow *f = map_flow_find(m, t);

	return f ? f->ninc : 0;
}

const struct map_inc *map_current(const struct map *m, const struct map_tuple *t)
{
	const struct map_flow *f = map_flow_find(m, t);

	return f && f->ninc ? &f->inc[f->ninc - 1] : NULL;
}

bool map_reply_view(const struct map *m, const struct map_tuple *t, struct map_learned *l)
{
	const struct map_flow *f = map_flow_find(m, t);

	if (!f || !f->ninc)
		return false;
	memset(l, 0, sizeof(*l));
	l->t = *t;
	l->inc = f->inc[f->ninc - 1];
	for (size_t k = f->ninc; k-- > 0;)
		if (f->inc[k].tgt_known) {
			l->inc = f->inc[k];
			break;
		}
	return true;
}
