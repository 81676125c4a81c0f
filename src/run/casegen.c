#include "run/casegen.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/casegen_num.h"
#include "run/casegen_text.h"
#include "run/casegen_writes.h"
#include "wire/craft.h"

/* What the conversation is, learned before a line is written. */
struct cg_shape {
	enum cg_side *side;
	bool *rtx;            /* a retransmission */
	/* A target segment that only answered the rig's retransmission just
	 * before it (no sequence space, nothing newly acknowledged): dropped
	 * with it, or the script would expect an answer to nothing. */
	bool *echo;
	size_t syn;           /* the client's SYN */
	bool target_server;
	bool refused;         /* the SYN drew an RST */
	size_t answer;        /* the segment that answered the SYN */
	size_t last_rig_data; /* n: none */
	unsigned mss;         /* the target's MSS option, 0: none */
	/* The target wrote data that left in several segments: where Linux
	 * pushed in it depended on the ACKs' timing (--loose_psh). */
	bool loose_psh;
	uint32_t full;        /* loose_psh: its largest data segment, else 0 */
	uint64_t sndbuf;      /* SO_SNDBUF for the merged writes, 0: none */
	size_t rst_kept;      /* retransmissions kept: the target RST them */
	struct casegen_num m;
};

static int cg_shape(const struct flow_pkt *p, size_t n, const struct casegen_opts *o,
		    struct cg_shape *sh, struct tr_err *err)
{
	const char *src = o->source ? o->source : "capture";
	unsigned num = o->flow ? o->flow->number : 0;
	const struct segment **segs = calloc(n ? n : 1, sizeof(*segs));
	struct casegen_num *m = &sh->m;

	sh->side = calloc(n ? n : 1, sizeof(*sh->side));
	sh->rtx = calloc(n ? n : 1, sizeof(*sh->rtx));
	sh->echo = calloc(n ? n : 1, sizeof(*sh->echo));
	if (!segs || !sh->side || !sh->rtx || !sh->echo) {
		free(segs);
		return err_sys(err, "pcap2case");
	}
	sh->syn = sh->answer = sh->last_rig_data = n;
	sh->target_server = o->rig_is_client;
	for (size_t i = 0; i < n; i++) {
		const struct segment *s = &p[i].seg;

		segs[i] = s;
		sh->side[i] = p[i].from_client == o->rig_is_client ? CG_RIG : CG_TARGET;
		if (sh->syn == n && p[i].from_client && (s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN)
			sh->syn = i;
		else if (sh->syn < n && sh->answer == n && !p[i].from_client &&
			 (s->flags & (SEG_SYN | SEG_RST)))
			sh->answer = i;
		if (sh->side[i] == CG_TARGET && (s->flags & SEG_SYN) && !sh->mss) {
			const struct seg_opt *mss = segment_opt_find(s, SEG_OPT_MSS);

			sh->mss = mss ? mss->v.mss : 0;
		}
	}
	casegen_num_init(m, segs, sh->side, n);
	for (size_t i = 0; i < n; i++) {
		sh->rtx[i] = casegen_num_retransmit(m, sh->side[i], &p[i].seg);
		if (sh->side[i] == CG_RIG && p[i].seg.payload_len && !sh->rtx[i])
			sh->last_rig_data = i;
		if (sh->side[i] == CG_TARGET && p[i].seg.payload_len && !sh->rtx[i] &&
		    !(p[i].seg.flags & (SEG_PSH | SEG_FIN)))
			sh->loose_psh = true;
	}
	for (size_t i = 0; sh->loose_psh && i < n; i++)
		if (sh->side[i] == CG_TARGET && p[i].seg.payload_len > sh->full)
			sh->full = p[i].seg.payload_len;
	/* The merged writes' largest, with room for the kernel's overhead. */
	for (size_t i = 0, left = 0; sh->loose_psh && i < n; i++) {
		uint64_t c;

		if (sh->side[i] != CG_TARGET || sh->rtx[i] || !p[i].seg.payload_len)
			continue;
		if (left) {
			left -= left < p[i].seg.payload_len ? left : p[i].seg.payload_len;
			continue;
		}
		c = casegen_chunk(p, n, sh->side, sh->rtx, sh->full, i);
		left = c - p[i].seg.payload_len;
		if (4 * c > sh->sndbuf)
			sh->sndbuf = 4 * c;
	}
	for (size_t i = 1, prev = n; i < n; i++) {
		const struct segment *s = &p[i].seg;

		if (sh->side[i] != CG_TARGET)
			continue;
		sh->echo[i] = sh->side[i - 1] == CG_RIG && sh->rtx[i - 1] && prev < n &&
			      !s->payload_len && !(s->flags & (SEG_SYN | SEG_FIN | SEG_RST)) &&
			      s->ack == p[prev].seg.ack;
		prev = i;
		/* An RST answering a retransmission (no socket left: no
		 * TIME_WAIT) is the story: the retransmission stays, or the
		 * script would expect that RST out of nothing. */
		if ((s->flags & SEG_RST) && sh->side[i - 1] == CG_RIG && sh->rtx[i - 1]) {
			sh->rtx[i - 1] = false;
			sh->rst_kept++;
		}
	}
	free(segs);
	for (size_t i = 0; i < n; i++) {
		uint8_t opts[SEG_OPT_SPACE];
		size_t olen = SEG_OPT_SPACE;
		struct tr_err e;

		segment_opts_encode(&p[i].seg, opts, &olen, &e);
		if (14 + 20 + 20 + olen + p[i].seg.payload_len > FRAME_MAX)
			return err_usage(err,
					 "%s: flow %u: packet #%lu carries %u bytes: the rig's frames "
					 "hold %d bytes with headers (capture over an MTU of 16000 or "
					 "less, not loopback's 65536)",
					 src, num, p[i].rec, p[i].seg.payload_len, FRAME_MAX);
	}
	if (sh->syn == n)
		return err_usage(err,
				 "%s: flow %u: the client's SYN is not in the capture (the "
				 "connection began before it): pcap2case needs the handshake",
				 src, num);
	if (sh->answer == n)
		return err_usage(err, "%s: flow %u: nothing answered the client's SYN (packet #%lu)",
				 src, num, p[sh->syn].rec);
	sh->refused = (p[sh->answer].seg.flags & SEG_RST) != 0;
	return 0;
}

static void cg_prelude(struct cg *g, const struct flow_pkt *p, const struct cg_shape *sh)
{
	const struct flow_pkt *syn = &p[sh->syn], *ans = &p[sh->answer];
	char d[32];

	if (sh->target_server) {
		if (sh->refused)
			return; /* no listener: the kernel answers alone */
		cg_timed(g, cg_ts_ns(syn), 0, "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
		cg_timed(g, cg_ts_ns(syn), 0, "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
		if (sh->sndbuf) /* the accepted socket inherits it */
			cg_timed(g, cg_ts_ns(syn), 0, "setsockopt(3, SOL_SOCKET, SO_SNDBUF, [%llu], 4) = 0",
				 (unsigned long long)sh->sndbuf);
		cg_timed(g, cg_ts_ns(syn), 0, "bind(3, ..., ...) = 0");
		cg_timed(g, cg_ts_ns(syn), 0, "listen(3, 1) = 0");
		g->fd = 4;
		return;
	}
	/* A blocking connect, returning when the answer came. */
	cg_timed(g, cg_ts_ns(syn), 0, "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
	if (sh->sndbuf)
		cg_timed(g, cg_ts_ns(syn), 0, "setsockopt(3, SOL_SOCKET, SO_SNDBUF, [%llu], 4) = 0",
			 (unsigned long long)sh->sndbuf);
	cg_delta(cg_ts_ns(ans) - cg_ts_ns(syn), d, sizeof(d));
	if (cg_ts_ns(ans) - cg_ts_ns(syn) > g->script_ns)
		g->script_ns = cg_ts_ns(ans) - cg_ts_ns(syn);
	if (sh->refused)
		cg_add(g, ans->rec, "+0...%s connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)",
		       d + 1);
	else
		cg_add(g, ans->rec, "+0...%s connect(3, ..., ...) = 0", d + 1);
	g->fd = 3;
	g->app = !sh->refused;
}

/* The calls the target made before it sent p[i]. */
static void cg_before_target(struct cg *g, const struct flow_pkt *p, size_t n, size_t i,
			     const struct cg_shape *sh, int64_t t)
{
	const struct segment *s = &p[i].seg;

	if (!g->app || g->closed)
		return;
	if (s->payload_len && !sh->rtx[i] && !g->chunk_left) {
		uint64_t c = casegen_chunk(p, n, sh->side, sh->rtx, sh->full, i);

		cg_timed(g, t, p[i].rec, "write(%d, ..., %llu) = %llu", g->fd,
			 (unsigned long long)c, (unsigned long long)c);
		g->chunk_left = c;
		g->wr_bytes += c;
		g->wr_chunks++;
	}
	if (s->payload_len && !sh->rtx[i])
		g->chunk_left -= g->chunk_left < s->payload_len ? g->chunk_left : s->payload_len;
	if ((s->flags & SEG_FIN) && !g->shut) {
		/* Data still to come from the rig: the target only stopped sending. */
		if (sh->last_rig_data < n && sh->last_rig_data > i) {
			cg_timed(g, t, p[i].rec, "shutdown(%d, SHUT_WR) = 0", g->fd);
			g->shut = true;
			snprintf(g->ending, sizeof(g->ending), "shutdown(SHUT_WR) at its FIN (#%lu)",
				 p[i].rec);
		} else {
			cg_timed(g, t, p[i].rec, "close(%d) = 0", g->fd);
			g->closed = true;
			snprintf(g->ending, sizeof(g->ending), "close at its FIN (#%lu)", p[i].rec);
		}
	} else if (s->flags & SEG_RST) {
		cg_timed(g, t, p[i].rec,
			 "setsockopt(%d, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0", g->fd);
		cg_timed(g, t, p[i].rec, "close(%d) = 0", g->fd);
		g->closed = true;
		snprintf(g->ending, sizeof(g->ending), "SO_LINGER 0 and close at its RST (#%lu)",
			 p[i].rec);
	}
}

/* The calls the target made after the rig's p[i] reached it. */
static void cg_after_rig(struct cg *g, const struct flow_pkt *p, size_t i,
			 const struct cg_shape *sh, const struct segment *rel)
{
	if (sh->target_server && !sh->refused && !g->app && !g->closed &&
	    (rel->flags & (SEG_ACK | SEG_SYN | SEG_RST)) == SEG_ACK) {
		cg_add(g, p[i].rec, "+0        accept(3, ..., ...) = 4");
		g->app = true;
		g->rcv = 1;
	}
	if (!sh->target_server && !g->rcv)
		g->rcv = 1;
	if (g->app && !g->closed && rel->payload_len && !sh->rtx[i] && rel->seq == g->rcv) {
		cg_add(g, p[i].rec, "+0        read(%d, ..., %u) = %u", g->fd, rel->payload_len,
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

/* Whether the target's segment t was sent before the rig's segment r
 * reached it: r occupies sequence space t does not acknowledge. Segments
 * that cross on the wire are captured in either order. */
static bool cg_crossed(const struct segment *t, const struct segment *r)
{
	uint32_t space = r->payload_len + !!(r->flags & SEG_SYN) + !!(r->flags & SEG_FIN);

	return (t->flags & SEG_ACK) && space && (int32_t)(r->seq + space - t->ack) > 0;
}

/* The order to write the segments in: capture order, except that a target
 * segment comes before the rig's segments it had not seen when it left
 * (a simultaneous close: both FINs crossed), at the earliest one's time. */
static void cg_order(const struct flow_pkt *p, size_t n, const struct cg_shape *sh,
		     size_t *order, int64_t *t)
{
	size_t k = 0;

	for (size_t i = sh->syn; i < n; i++) {
		size_t at = k++;

		t[i] = cg_ts_ns(&p[i]);
		order[at] = i;
		if (sh->side[i] != CG_TARGET)
			continue;
		while (at > 0 && sh->side[order[at - 1]] == CG_RIG && !sh->rtx[order[at - 1]] &&
		       cg_crossed(&p[i].seg, &p[order[at - 1]].seg)) {
			order[at] = order[at - 1];
			order[at - 1] = i;
			t[i] = t[order[at]];
			at--;
		}
	}
}

static int cg_body(struct cg *g, const struct flow_pkt *p, size_t n, const struct casegen_opts *o,
		   const struct cg_shape *sh)
{
	struct casegen_echo echo = { 0 };
	size_t *order = calloc(n ? n : 1, sizeof(*order));
	int64_t *t = calloc(n ? n : 1, sizeof(*t));
	char line[600];

	if (!order || !t) {
		free(order);
		free(t);
		return -1;
	}
	cg_order(p, n, sh, order, t);
	cg_prelude(g, p, sh);
	for (size_t k = 0; k < n - sh->syn; k++) {
		size_t i = order[k];
		struct segment s = p[i].seg;
		bool out = sh->side[i] == CG_TARGET;
		uint32_t hi;

		if ((sh->rtx[i] || sh->echo[i]) && !o->keep_retransmits)
			continue;
		casegen_num_rewrite(&sh->m, sh->side[i], &s);
		cg_known_opts(g, &s);
		if (out)
			cg_before_target(g, p, n, i, sh, t[i]);
		hi = casegen_echo_hi(&echo, &s, out);
		if (out && segment_opt_find(&s, SEG_OPT_TS) &&
		    hi != segment_opt_find(&s, SEG_OPT_TS)->v.ts.ecr)
			g->ecr_ranges++;
		cg_segment(&s, out, out ? hi : 0, line, sizeof(line));
		cg_timed(g, t[i], p[i].rec, "%c %s  // #%lu%s", out ? '>' : '<', line,
			 p[i].rec, sh->rtx[i] ? " retransmission" : sh->echo[i] ? " answers it" : "");
		if (!out)
			cg_after_rig(g, p, i, sh, &s);
	}
	free(order);
	free(t);
	return g->oom ? -1 : 0;
}

/* The header: where the script came from and what was inferred. */
static void cg_header(struct cg *h, const struct flow_pkt *p, size_t n,
		      const struct casegen_opts *o, const struct cg_shape *sh, const struct cg *g,
		      size_t nrtx, size_t necho)
{
	const struct flow *f = o->flow;
	char c[64] = "?", s[64] = "?";
	const char *rig = o->rig_is_client ? "client" : "server";
	const char *tgt = o->rig_is_client ? "server" : "client";

	if (f) {
		flow_ep_format(f->family, &f->client, c, sizeof(c));
		flow_ep_format(f->family, &f->server, s, sizeof(s));
	}
	cg_add(h, 0, "// Made by tcprig pcap2case from %s, flow %u:", o->source ? o->source : "?",
	       f ? f->number : 0);
	cg_add(h, 0, "// client %s, server %s; capture packets #%lu..#%lu (%zu).", c, s,
	       n ? p[0].rec : 0, n ? p[n - 1].rec : 0, n);
	cg_add(h, 0, "// The rig plays the %s (`<` lines, sent as recorded); the target, the %s,",
	       rig, tgt);
	cg_add(h, 0, "// must answer as the recorded %s did (`>` lines; windows not checked).", tgt);
	if (sh->refused)
		cg_add(h, 0, "// Inferred in the target: %s.",
		       sh->target_server ? "no listener (its kernel refused the SYN)" :
					   "a blocking connect, refused");
	else
		cg_add(h, 0, "// Inferred in the target: %s; write of %llu bytes in %u chunk%s; "
			     "read of %llu bytes in %u read%s%s%s.",
		       sh->target_server ? "listen, accept" : "a blocking connect",
		       (unsigned long long)g->wr_bytes, g->wr_chunks, g->wr_chunks == 1 ? "" : "s",
		       (unsigned long long)g->rd_bytes, g->reads, g->reads == 1 ? "" : "s",
		       g->ending[0] ? "; " : "", g->ending);
	cg_add(h, 0, "// Numbers: seq, ack and SACK relative to each side's ISN; TS val from %u "
		     "(rig)", CG_TS_RIG);
	cg_add(h, 0, "// and %u (target), TS ecr echoing them. Times: the capture's.", CG_TS_TARGET);
	if (o->keep_retransmits)
		cg_add(h, 0, "// Retransmissions: %zu, kept (--keep-retransmits).", nrtx);
	else
		cg_add(h, 0, "// Retransmissions: %zu, dropped%s (--keep-retransmits keeps them).", nrtx,
		       necho ? ", with the target's segments that only answered them" : "");
	if (sh->rst_kept)
		cg_add(h, 0, "// Kept all the same: %zu retransmission%s the target answered with RST.",
		       sh->rst_kept, sh->rst_kept == 1 ? "" : "s");
	if (g->dropped_opts)
		cg_add(h, 0, "// Left out: %u TCP option%s of kind %s, which the dialect cannot write.",
		       g->dropped_opts, g->dropped_opts == 1 ? "" : "s", g->dropped_kinds);
	/* What the recording owed to timing is not asked of the target. */
	if (sh->loose_psh) {
		cg_add(h, 0, "// PSH not checked (--loose_psh): the target's writes left in several");
		cg_add(h, 0, "// segments, pushed where the ACKs' timing let Linux push.");
	}
	if (g->ecr_ranges) {
		cg_add(h, 0, "// TS ecr A~B on %u data segment%s of the target: sent when its window",
		       g->ecr_ranges, g->ecr_ranges == 1 ? "" : "s");
		cg_add(h, 0, "// let it, it may echo the rig's newest TS val or the one before.");
	}
	if (o->note)
		cg_add(h, 0, "// %s", o->note);
	cg_add(h, 0, "// \"// #N\" after a line: the capture packet it stands for.");
	if (sh->mss && sh->mss != 1460)
		cg_add(h, 0, "--mss=%u", sh->mss);
	if (sh->loose_psh)
		cg_add(h, 0, "--loose_psh");
	/* An IPv6 conversation is replayed over IPv6. */
	if (f && f->family == AF_INET6)
		cg_add(h, 0, "--ip_version=ipv6");
	for (size_t i = 0; i < o->nsysctls; i++)
		cg_add(h, 0, "--sysctl=%s", o->sysctls[i]);
	cg_add(h, 0, "%s", "");
}


int casegen_make(const struct flow_pkt *p, size_t n, const struct casegen_opts *o,
		 struct casegen_script *out, struct tr_err *err)
{
	struct cg_shape sh = { 0 };
	struct cg g = { 0 }, h = { 0 };
	size_t nrtx = 0, necho = 0, len = 0, k = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (cg_shape(p, n, o, &sh, err))
		goto done;
	for (size_t i = 0; i < n; i++)
		nrtx += sh.rtx[i], necho += sh.echo[i];
	if (cg_body(&g, p, n, o, &sh))
		goto oom;
	if (g.script_ns > (int64_t)CASEGEN_MAX_SECONDS * 1000000000) {
		err_usage(err, "%s: flow %u: its script would last %.0f s, longer than a replay may "
			       "(%d s: it plays in real time)",
			  o->source ? o->source : "capture", o->flow ? o->flow->number : 0,
			  (double)g.script_ns / 1e9, CASEGEN_MAX_SECONDS);
		goto done;
	}
	cg_header(&h, p, n, o, &sh, &g, nrtx, necho);
	if (h.oom)
		goto oom;
	for (size_t i = 0; i < h.n; i++)
		len += strlen(h.v[i].text) + 1;
	for (size_t i = 0; i < g.n; i++)
		len += strlen(g.v[i].text) + 1;
	out->text = malloc(len + 1);
	out->line_rec = calloc(h.n + g.n + 1, sizeof(*out->line_rec));
	if (!out->text || !out->line_rec)
		goto oom;
	for (size_t i = 0; i < h.n + g.n; i++) {
		const struct cg_line *l = i < h.n ? &h.v[i] : &g.v[i - h.n];
		size_t m = strlen(l->text);

		memcpy(out->text + k, l->text, m);
		out->text[k + m] = '\n';
		k += m + 1;
		out->line_rec[i] = l->rec;
	}
	out->text[k] = '\0';
	out->nlines = h.n + g.n;
	out->retransmits = nrtx;
	out->kept = o->keep_retransmits;
	ret = 0;
	goto done;
oom:
	err_sys(err, "pcap2case");
	casegen_script_free(out);
done:
	cg_free(&g);
	cg_free(&h);
	free(sh.side);
	free(sh.rtx);
	free(sh.echo);
	return ret;
}

unsigned long casegen_line_rec(const struct casegen_script *s, int line)
{
	if (line < 1 || (size_t)line > s->nlines)
		return 0;
	return s->line_rec[line - 1];
}

void casegen_script_free(struct casegen_script *s)
{
	free(s->text);
	free(s->line_rec);
	memset(s, 0, sizeof(*s));
}
