#include "run/casegen_body.h"

#include <stdio.h>
#include <string.h>

#include "run/casegen_writes.h"

/* Segments read between two looks at the window: a write's look ahead
 * walks the window again each time, so not after every segment. */
#define CG_BATCH 256

/* Bulk data: TCP_NODELAY on fd. Whether Nagle (Minshall's rule) held a
 * short segment back depended on whether the short one before was ACKed
 * yet, so on the ACKs' timing; the recording shows where the short ones
 * went. */
static void cg_nodelay(struct cg *g, const struct cg_shape *sh, int64_t t, int fd)
{
	if (sh->loose_psh) /* an accepted socket inherits it too */
		cg_timed(g, t, 0, "setsockopt(%d, IPPROTO_TCP, TCP_NODELAY, [1], 4) = 0", fd);
}

/* A pure ACK of the target's that acknowledged new data CG_DELACK_MIN or
 * more after the rig's last segment left by its delayed-ACK timer: when
 * that fires is the target's own (40 ms to 200 ms on Linux, in 4 ms ticks,
 * later on a loaded machine), so its line may come until CG_DELACK_MAX
 * after the line before. */
#define CG_DELACK_MIN 30000000LL
#define CG_DELACK_MAX 210000000LL
/* The same for what the target's retransmission timer sent (its SYN sent
 * again, a retransmission kept): until half as long again as recorded,
 * CG_TIMER_SLACK at least; the timer fires on a 4 ms tick, later on a
 * loaded machine. */
#define CG_TIMER_SLACK 10000000LL
/* Both windows open at half the recorded gap (the live timer may fire
 * sooner than a recording made on a loaded machine) when the segment has a
 * TS val: the runner takes the moment it names as the line's, so the TS
 * vals expected after it are not moved. Without one the runner would take
 * the window's start, so the window opens at the recorded moment. */
static int64_t cg_timer_lo(int64_t gap, bool ts)
{
	return ts ? gap / 2 : gap;
}

/* The script's next fd name: 3 for the first socket, then on. */
static int cg_new_fd(struct cg *g)
{
	if (!g->next_fd)
		g->next_fd = 3;
	return g->next_fd++;
}

static void cg_prelude(struct cg *g, const struct cg_shape *sh)
{
	const struct flow_pkt *syn = &sh->syn_pkt, *ans = &sh->answer_pkt;
	int64_t span;
	char d[32];
	int fd;

	if (sh->target_server) {
		if (sh->refused)
			return; /* no listener: the kernel answers alone */
		if (g->lfd) { /* a conversation before made the listener */
			if (sh->sndbuf)
				cg_timed(g, cg_ts_ns(syn), 0,
					 "setsockopt(%d, SOL_SOCKET, SO_SNDBUF, [%llu], 4) = 0", g->lfd,
					 (unsigned long long)sh->sndbuf);
			cg_nodelay(g, sh, cg_ts_ns(syn), g->lfd);
			g->fd = cg_new_fd(g);
			return;
		}
		g->lfd = fd = cg_new_fd(g);
		cg_timed(g, cg_ts_ns(syn), 0, "socket(..., SOCK_STREAM, IPPROTO_TCP) = %d", fd);
		cg_timed(g, cg_ts_ns(syn), 0, "setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
			 fd);
		if (sh->sndbuf) /* the accepted socket inherits it */
			cg_timed(g, cg_ts_ns(syn), 0, "setsockopt(%d, SOL_SOCKET, SO_SNDBUF, [%llu], 4) = 0",
				 fd, (unsigned long long)sh->sndbuf);
		cg_nodelay(g, sh, cg_ts_ns(syn), fd);
		cg_timed(g, cg_ts_ns(syn), 0, "bind(%d, ..., ...) = 0", fd);
		cg_timed(g, cg_ts_ns(syn), 0, "listen(%d, 1) = 0", fd);
		g->fd = cg_new_fd(g);
		return;
	}
	/* A blocking connect, returning when the answer came. */
	g->fd = fd = cg_new_fd(g);
	cg_timed(g, cg_ts_ns(syn), 0, "socket(..., SOCK_STREAM, IPPROTO_TCP) = %d", fd);
	if (sh->sndbuf)
		cg_timed(g, cg_ts_ns(syn), 0, "setsockopt(%d, SOL_SOCKET, SO_SNDBUF, [%llu], 4) = 0", fd,
			 (unsigned long long)sh->sndbuf);
	cg_nodelay(g, sh, cg_ts_ns(syn), fd);
	span = cg_ts_ns(ans) - cg_ts_ns(syn);
	cg_delta(span, d, sizeof(d));
	if (span > g->script_ns)
		g->script_ns = span;
	if (sh->refused)
		cg_add(g, ans->rec, "+0...%s connect(%d, ..., ...) = -1 ECONNREFUSED (Connection refused)",
		       d + 1, fd);
	else
		cg_add(g, ans->rec, "+0...%s connect(%d, ..., ...) = 0", d + 1, fd);
	g->app = !sh->refused;
}

/* Whether the target's segment r starts a write: its size is then needed. */
static bool cg_starts_write(const struct cg *g, const struct cg_rec *r)
{
	return g->app && !g->closed && r->payload_len && !r->rtx && !g->chunk_left;
}

/* The calls the target made before it sent r; c: the write r starts (fin:
 * its last segment carried the FIN). */
static void cg_before_target(struct cg *g, const struct cg_rec *r, const struct cg_shape *sh,
			     uint64_t c, uint32_t fin)
{
	if (!g->app || g->closed)
		return;
	/* Before its connect's answer only its kernel spoke (an RST to an
	 * unacceptable ACK in SYN_SENT): no call of the application's. */
	if (!sh->target_server && r->k < sh->answer)
		return;
	if (cg_starts_write(g, r)) {
		/* The FIN rode on the write's last segment: the program closed
		 * before that segment left, so it is held (TCP_CORK: also when
		 * ACKs come) until the close or shutdown, which sends it with the
		 * FIN. Bulk data: MSG_EOR, or
		 * Linux may hold the write's last segments back for more data
		 * (the TSO deferral) where the recorded program's next write was
		 * already queued: live, the ACK that would release them comes
		 * when the recorded receiver's did. */
		if (fin && c > 0) {
			/* Only that segment is held: the ones before it go now. */
			if (c > fin)
				cg_timed(g, r->t, r->rec, "send(%d, ..., %llu, MSG_EOR) = %llu", g->fd,
					 (unsigned long long)(c - fin), (unsigned long long)(c - fin));
			cg_timed(g, r->t, r->rec, "setsockopt(%d, IPPROTO_TCP, TCP_CORK, [1], 4) = 0",
				 g->fd);
			cg_timed(g, r->t, r->rec, "write(%d, ..., %u) = %u", g->fd, fin, fin);
		} else if (sh->loose_psh && c > sh->full)
			cg_timed(g, r->t, r->rec, "send(%d, ..., %llu, MSG_EOR) = %llu", g->fd,
				 (unsigned long long)c, (unsigned long long)c);
		else
			cg_timed(g, r->t, r->rec, "write(%d, ..., %llu) = %llu", g->fd,
				 (unsigned long long)c, (unsigned long long)c);
		g->chunk_left = c;
		g->wr_bytes += c;
		g->wr_chunks++;
	}
	if (r->payload_len && !r->rtx)
		g->chunk_left -= g->chunk_left < r->payload_len ? g->chunk_left : r->payload_len;
	if ((r->flags & SEG_FIN) && !g->shut) {
		/* Data still to come from the rig: the target only stopped sending. */
		if (sh->last_rig_data != CG_NONE && sh->last_rig_data > r->k) {
			cg_timed(g, r->t, r->rec, "shutdown(%d, SHUT_WR) = 0", g->fd);
			g->shut = true;
			snprintf(g->ending, sizeof(g->ending), "shutdown(SHUT_WR) at its FIN (#%lu)",
				 r->rec);
		} else {
			cg_timed(g, r->t, r->rec, "close(%d) = 0", g->fd);
			g->closed = true;
			snprintf(g->ending, sizeof(g->ending), "close at its FIN (#%lu)", r->rec);
		}
	} else if (r->flags & SEG_RST) {
		cg_timed(g, r->t, r->rec,
			 "setsockopt(%d, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0", g->fd);
		cg_timed(g, r->t, r->rec, "close(%d) = 0", g->fd);
		g->closed = true;
		snprintf(g->ending, sizeof(g->ending), "SO_LINGER 0 and close at its RST (#%lu)",
			 r->rec);
	}
}

/* The calls the target made after the rig's r reached it. */
static void cg_after_rig(struct cg *g, const struct cg_rec *r, const struct cg_shape *sh,
			 const struct segment *rel, bool dropped)
{
	if (sh->target_server && !sh->refused && !g->app && !g->closed &&
	    (rel->flags & (SEG_ACK | SEG_SYN | SEG_RST)) == SEG_ACK) {
		cg_add(g, r->rec, "+0        accept(%d, ..., ...) = %d", g->lfd, g->fd);
		g->app = true;
		g->rcv = 1;
	}
	if (!sh->target_server && !g->rcv)
		g->rcv = 1;
	/* A segment the target dropped was never there to read. */
	if (g->app && !g->closed && rel->payload_len && !r->rtx && !dropped && rel->seq == g->rcv) {
		cg_add(g, r->rec, "+0        read(%d, ..., %u) = %u", g->fd, rel->payload_len,
		       rel->payload_len);
		g->rcv += rel->payload_len;
		g->rd_bytes += rel->payload_len;
		g->reads++;
	}
}

/* Leaves out the options the dialect has no words for (TFO cookies, MPTCP,
 * MD5 ..., a SACK without blocks), counting them for the header: a line
 * with them would not parse. */
static void cg_known_opts(struct cg *g, struct segment *s)
{
	unsigned k = 0;

	for (unsigned i = 0; i < s->nopts; i++) {
		char kind[8];

		switch (s->opts[i].kind) {
		case SEG_OPT_EOL:
		case SEG_OPT_NOP:
		case SEG_OPT_MSS:
		case SEG_OPT_WSCALE:
		case SEG_OPT_SACK_PERM:
		case SEG_OPT_TS:
			s->opts[k++] = s->opts[i];
			continue;
		case SEG_OPT_SACK:
			if (s->opts[i].v.sack.n) { /* "sack" with no block has no words */
				s->opts[k++] = s->opts[i];
				continue;
			}
			break;
		}
		g->dropped_opts++;
		snprintf(kind, sizeof(kind), "%u", s->opts[i].kind);
		if (!strstr(g->dropped_kinds, kind) &&
		    strlen(g->dropped_kinds) + strlen(kind) + 3 < sizeof(g->dropped_kinds))
			snprintf(g->dropped_kinds + strlen(g->dropped_kinds),
				 sizeof(g->dropped_kinds) - strlen(g->dropped_kinds), "%s%s",
				 g->dropped_kinds[0] ? ", " : "", kind);
	}
	s->nopts = (uint8_t)k;
}


void cg_timer_notes(struct cg *h, unsigned timers, unsigned delacks)
{
	if (timers)
		cg_add(h, 0, "// Sent by the target's retransmission timer: %u, each from half its "
			     "recorded gap until half as long again (10 ms at least).", timers);
	if (delacks)
		cg_add(h, 0, "// Delayed ACKs: %u, each from the line before until 0.21 s (its "
			     "delayed-ACK timer is the target's own, and its application's read may "
			     "send the ACK sooner).", delacks);
	if (timers || delacks)
		cg_add(h, 0, "// (So when the segment has a TS val, which names its moment; else "
			     "from its recorded moment.)");
}

static void cg_delack(struct cg *g, const struct cg_rec *r, bool ts)
{
	if (r->side == CG_RIG) {
		g->rig_ns = r->t;
		g->rig_seen = true;
		if (r->payload_len || (r->flags & SEG_FIN))
			g->rig_unacked++;
		return;
	}
	/* A range counts from the line before: none for the first line, or
	 * one that went before it in the script but not in time. */
	if ((((r->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN && g->tgt_syn) || r->rtx) && g->timed &&
	    r->t >= g->last_ns) {
		int64_t gap = r->t - g->last_ns;

		g->range_ns = gap + (gap / 2 > CG_TIMER_SLACK ? gap / 2 : CG_TIMER_SLACK);
		g->range_lo_ns = cg_timer_lo(gap, ts);
		g->timers++;
	}
	if ((r->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN)
		g->tgt_syn = true;
	if (!(r->flags & SEG_ACK))
		return;
	if (r->flags == SEG_ACK && !r->payload_len && g->rig_seen && g->tgt_acked && g->timed &&
	    r->t >= g->last_ns && (int32_t)(r->ack - g->tgt_ack) > 0 &&
	    r->t - g->rig_ns >= CG_DELACK_MIN) {
		int64_t gap = r->t - g->last_ns;

		g->range_ns = gap > CG_DELACK_MAX ? gap + CG_DELACK_MAX / 10 : CG_DELACK_MAX;
		/* Live, a read by the application opening the window sends it
		 * at once (tcp_cleanup_rbuf): when is the agent's, not the
		 * recording's. */
		g->range_lo_ns = ts ? 0 : gap;
		g->delacks++;
	}
	if (!g->tgt_acked || (int32_t)(r->ack - g->tgt_ack) > 0) {
		if (r->flags == SEG_ACK && !r->payload_len && g->rig_unacked >= 2)
			g->folded++;
		g->rig_unacked = 0;
	}
	g->tgt_ack = r->ack;
	g->tgt_acked = true;
}

/* r's line, with the calls around it; c: the write it starts, if it does
 * (fin: its last segment carried the FIN). */
static void cg_line(struct cg *g, const struct cg_rec *r, const struct cg_shape *sh,
		    struct casegen_echo *echo, uint64_t c, uint32_t fin, bool dropped)
{
	bool out = r->side == CG_TARGET;
	struct segment s;
	char line[600];
	uint32_t hi;

	cg_win_segment(r, &s);
	casegen_num_rewrite(&sh->m, r->side, &s);
	/* The rig answered before its own SYN, from an older incarnation: the
	 * runner reads it as absolute, in the rig's space (its first ISN's). */
	if (!out && sh->rig_syn != CG_NONE && r->k < sh->rig_syn)
		s.seq += sh->m.syn_seq[CG_RIG];
	cg_known_opts(g, &s);
	if (out)
		cg_before_target(g, r, sh, c, fin);
	hi = casegen_echo_hi(echo, &s, out);
	if (out && segment_opt_find(&s, SEG_OPT_TS) &&
	    hi != segment_opt_find(&s, SEG_OPT_TS)->v.ts.ecr)
		g->ecr_ranges++;
	cg_segment(&s, out, out ? hi : 0, line, sizeof(line));
	cg_delack(g, r, segment_opt_find(&s, SEG_OPT_TS) != NULL);
	if (g->ports)
		cg_timed(g, r->t, r->rec, "%c %u>%u %s  // #%lu%s", out ? '>' : '<',
			 out ? g->tgt_port : g->rig_port, out ? g->rig_port : g->tgt_port, line,
			 r->rec, r->rtx ? " retransmission" : r->echo ? " answers it" : "");
	else
		cg_timed(g, r->t, r->rec, "%c %s  // #%lu%s", out ? '>' : '<', line, r->rec,
			 r->rtx ? " retransmission" : r->echo ? " answers it" : "");
	if (!out)
		cg_after_rig(g, r, sh, &s, dropped);
}

/* Writes the lines whose place is settled, until one needs a write's size
 * the window cannot tell yet. */
static void cg_emit(struct cg *g, struct cg_win *w, const struct casegen_opts *o,
		    const struct cg_shape *sh, struct casegen_echo *echo)
{
	struct cg_rec *r;

	while ((r = cg_win_ord_first(w))) {
		uint64_t c = 0;
		uint32_t fin = 0;

		if (!((r->rtx || r->echo) && !o->keep_retransmits)) {
			if (r->side == CG_TARGET && cg_starts_write(g, r) &&
			    !casegen_chunk(w, sh->full, r->k, &c, &fin))
				return;
			cg_line(g, r, sh, echo, c, fin, cg_win_dropped(w, r));
		}
		r->done = true;
		cg_win_ord_pop(w);
	}
}

/* The send buffer the merged writes need: 4 times the largest, walked over
 * every write of the target's (from u on); returns where it stopped. */
static size_t cg_sndbuf_walk(const struct cg_win *w, const struct cg_shape *sh, size_t u,
			     uint64_t *left, uint64_t *sndbuf)
{
	for (; u != CG_NONE && u < w->k0 + w->len; u++) {
		const struct cg_rec *r = cg_win_at(w, u);
		uint64_t c;

		if (r->side != CG_TARGET || r->rtx || !r->payload_len)
			continue;
		if (*left) {
			*left -= *left < r->payload_len ? *left : r->payload_len;
			continue;
		}
		if (!casegen_chunk(w, sh->full, u, &c, NULL))
			break;
		*left = c - r->payload_len;
		if (4 * c > *sndbuf)
			*sndbuf = 4 * c;
	}
	return u;
}

int cg_body_pass(const struct casegen_src *src, const struct casegen_opts *o,
		 struct cg_shape *sh, struct cg *g, bool learn, struct tr_err *err)
{
	const char *name = o->source ? o->source : "capture";
	struct cg_judging j = { 0 };
	struct casegen_echo echo = { 0 };
	/* Walked in both passes, so that the window fills alike in both. */
	size_t u = sh->loose_psh ? 0 : CG_NONE, k = 0;
	uint64_t left = 0, sndbuf = 0;
	struct flow_pkt p;
	struct cg_win w;
	int rc = 0;

	if (src->rewind(src->ctx, err))
		return -1;
	cg_win_init(&w, sh->rig_wscale);
	cg_prelude(g, sh);
	for (;;) {
		for (size_t b = 0; !w.eof && w.len < CASEGEN_WINDOW && b < CG_BATCH; b++) {
			struct cg_judge jd;

			rc = src->next(src->ctx, &p, err);
			if (rc < 0)
				goto out;
			if (!rc) {
				w.eof = true;
				break;
			}
			jd = cg_judge_next(&j, o->rig_is_client, &p);
			if (jd.rtx && cg_shape_keeps(sh, p.rec))
				jd.rtx = false;
			if (cg_win_push(&w, &p, jd.side, jd.rtx, jd.echo, k >= sh->syn)) {
				rc = err_sys(err, "pcap2case");
				goto out;
			}
			k++;
		}
		if (cg_win_settled(&w))
			cg_win_settle(&w);
		u = cg_sndbuf_walk(&w, sh, u, &left, &sndbuf);
		cg_emit(g, &w, o, sh, &echo);
		cg_win_evict(&w, u);
		if (w.eof && !w.olen && (u == CG_NONE || u >= w.k0 + w.len))
			break;
		if (w.len >= CASEGEN_WINDOW) {
			/* Settled, every line could go out: nothing may stay. */
			rc = err_usage(err, "%s: pcap2case's window did not move (its fault)", name);
			goto out;
		}
	}
	if (k != sh->n)
		rc = err_usage(err, "%s: flow %u: %zu packets now, %zu before: the capture changed "
				    "while it was read", name, o->flow ? o->flow->number : 0, k, sh->n);
	if (learn)
		sh->sndbuf = sndbuf;
out:
	cg_win_free(&w);
	if (!rc && g->oom)
		rc = g->out ? err_sys(err, "writing the script") : err_sys(err, "pcap2case");
	return rc < 0 ? -1 : 0;
}
