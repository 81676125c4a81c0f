#include "run/casegen_joint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/casegen_body.h"
#include "run/casegen_shape.h"
#include "run/casegen_text.h"

/* What the header says of one conversation. */
struct cj_part {
	unsigned number;
	unsigned long first_rec, last_rec;
	size_t n, nrtx, nagain;
	unsigned long pre_syn_rec;
	bool target_server, refused, rig_is_client;
	int lfd, fd;
	uint64_t wr_bytes, rd_bytes;
	unsigned wr_chunks, reads;
	char ending[160];
};

/* Whether every part is on one 4-tuple: the runner's own ports then do. */
static bool cj_one_tuple(const struct casegen_part *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (memcmp(&p[i].flow->client, &p[0].flow->client, sizeof(p[0].flow->client)) ||
		    memcmp(&p[i].flow->server, &p[0].flow->server, sizeof(p[0].flow->server)))
			return false;
	return true;
}

/* The lab ports of part k (see casegen_joint.h). */
static void cj_ports(const struct casegen_part *p, size_t k, struct cg *g)
{
	unsigned i = 0;

	if (!p[k].rig_is_client) {
		g->rig_port = 8080;
		g->tgt_port = p[k].flow->client.port;
		return;
	}
	for (size_t j = 0; j < k; j++) /* client endpoints seen before */
		if (p[j].rig_is_client &&
		    memcmp(&p[j].flow->client, &p[k].flow->client, sizeof(p[k].flow->client))) {
			bool first = true;

			for (size_t m = 0; m < j; m++)
				if (!memcmp(&p[m].flow->client, &p[j].flow->client,
					    sizeof(p[j].flow->client)))
					first = false;
			i += first;
		}
	for (size_t j = 0; j < k; j++)
		if (p[j].rig_is_client &&
		    !memcmp(&p[j].flow->client, &p[k].flow->client, sizeof(p[k].flow->client))) {
			/* the same endpoint again: the port it had */
			cj_ports(p, j, g);
			return;
		}
	g->rig_port = (uint16_t)(40000 + i);
	g->tgt_port = 8080;
}

static void cj_header(struct cg *h, const struct casegen_opts *o, const struct cj_part *v,
		      size_t n, const struct casegen_part *parts, size_t nrtx, unsigned mss,
		      bool loose_psh, unsigned ecr_ranges, unsigned delacks, unsigned timers,
		      const struct cg *g)
{
	cg_add(h, 0, "// Made by tcprig pcap2case from %s, flows %u..%u together (--flows):",
	       o->source ? o->source : "?", v[0].number, v[n - 1].number);
	cg_add(h, 0, "// %zu conversations in one lab, played one after another in capture order.", n);
	for (size_t i = 0; i < n; i++) {
		const struct flow *f = parts[i].flow;
		char c[64], s[64], what[400];

		flow_ep_format(f->family, &f->client, c, sizeof(c));
		flow_ep_format(f->family, &f->server, s, sizeof(s));
		if (v[i].refused)
			snprintf(what, sizeof(what), "%s", v[i].target_server ?
				 "no listener (its kernel refused the SYN)" : "a blocking connect, refused");
		else
			snprintf(what, sizeof(what), "%s %d; write of %llu bytes in %u chunk%s; read "
				 "of %llu bytes in %u read%s%s%s", v[i].target_server ?
				 "accept on the listener: fd" : "a blocking connect: fd", v[i].fd,
				 (unsigned long long)v[i].wr_bytes, v[i].wr_chunks,
				 v[i].wr_chunks == 1 ? "" : "s", (unsigned long long)v[i].rd_bytes,
				 v[i].reads, v[i].reads == 1 ? "" : "s", v[i].ending[0] ? "; " : "",
				 v[i].ending);
		cg_add(h, 0, "// flow %u: client %s, server %s; packets #%lu..#%lu (%zu); the rig "
			     "plays the %s; inferred in the target: %s.", v[i].number, c, s,
		       v[i].first_rec, v[i].last_rec, v[i].n, v[i].rig_is_client ? "client" : "server",
		       what);
		if (v[i].nagain || v[i].pre_syn_rec)
			cg_add(h, 0, "// flow %u: %zu SYN%s sent again on purpose, kept (no "
				     "retransmission)%s%.0lu%s.", v[i].number, v[i].nagain,
			       v[i].nagain == 1 ? "" : "s", v[i].pre_syn_rec ?
			       "; the rig answered its SYN from the older incarnation (#" : "",
			       v[i].pre_syn_rec, v[i].pre_syn_rec ? "): absolute seq, its first ISN's" : "");
	}
	cg_add(h, 0, "// `<` lines: the rig's, sent as recorded; `>` lines: what the target must");
	cg_add(h, 0, "// answer (windows not checked). Numbers: seq, ack and SACK relative to each");
	cg_add(h, 0, "// conversation's ISNs; a later SYN of the rig's keeps its distance from the");
	cg_add(h, 0, "// first one's ISN. TS val from %u (rig) and %u (target) at the first", CG_TS_RIG,
	       CG_TS_TARGET);
	cg_add(h, 0, "// conversation, continued across the others as the recorded clocks ran.");
	cg_add(h, 0, "// Times: the capture's.");
	if (o->keep_retransmits)
		cg_add(h, 0, "// Retransmissions: %zu, kept (--keep-retransmits).", nrtx);
	else
		cg_add(h, 0, "// Retransmissions: %zu, dropped (--keep-retransmits keeps them).", nrtx);
	if (loose_psh)
		cg_add(h, 0, "// PSH not checked (--loose_psh): the target's writes left in several segments.");
	if (ecr_ranges)
		cg_add(h, 0, "// TS ecr A~B on %u data segment%s of the target (sent when its window let it).",
		       ecr_ranges, ecr_ranges == 1 ? "" : "s");
	cg_timer_notes(h, timers, delacks);
	cg_knobs_note(h, g);
	if (o->note)
		cg_add(h, 0, "// %s", o->note);
	cg_add(h, 0, "// \"// #N\" after a line: the capture packet it stands for.");
	if (mss && mss != 1460)
		cg_add(h, 0, "--mss=%u", mss);
	if (loose_psh)
		cg_add(h, 0, "--loose_psh");
	if (parts[0].flow->family == AF_INET6)
		cg_add(h, 0, "--ip_version=ipv6");
	for (size_t i = 0; i < o->nsysctls; i++)
		cg_add(h, 0, "--sysctl=%s", o->sysctls[i]);
	cg_add(h, 0, "%s", "");
}

int casegen_joint_collect(const struct casegen_part *parts, size_t n,
			  const struct casegen_opts *o, struct casegen_script *out,
			  struct tr_err *err)
{
	struct cg g = { .keep = true }, h = { .keep = true };
	struct cj_part *v = calloc(n ? n : 1, sizeof(*v));
	uint32_t ts0[2] = { 0 }, isn0 = 0;
	bool has_ts0[2] = { false }, loose_psh = false;
	unsigned mss = 0, ecr_ranges = 0, delacks = 0, timers = 0;
	size_t nrtx = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!v)
		return err_sys(err, "pcap2case");
	g.ports = !cj_one_tuple(parts, n);
	for (size_t k = 0; k < n; k++) {
		struct casegen_opts ok = *o;
		struct casegen_gen *gen;
		struct cg_shape *sh;
		int rc;

		ok.flow = parts[k].flow;
		ok.rig_is_client = parts[k].rig_is_client;
		gen = casegen_prepare(&parts[k].src, &ok, err);
		if (!gen)
			goto done;
		sh = casegen_gen_shape(gen);
		if (k && g.timed && cg_ts_ns(&sh->syn_pkt) < g.last_ns) {
			err_usage(err, "%s: flow %u began (#%lu) before flow %u ended: --flows plays "
				       "conversations one after another, not side by side",
				  o->source ? o->source : "capture", parts[k].flow->number,
				  sh->syn_pkt.rec, parts[k - 1].flow->number);
			casegen_gen_free(gen);
			goto done;
		}
		/* One TS clock for each side, the first conversation's. */
		for (int w = 0; w < 2; w++) {
			if (sh->m.has_ts[w] && !has_ts0[w]) {
				ts0[w] = sh->m.ts0[w];
				has_ts0[w] = true;
			}
			if (has_ts0[w])
				sh->m.ts0[w] = ts0[w];
		}
		if (!k)
			isn0 = sh->m.isn[CG_RIG];
		sh->m.syn_seq[CG_RIG] = sh->m.isn[CG_RIG] - isn0;
		if (g.ports)
			cj_ports(parts, k, &g);
		g.app = g.closed = g.shut = false;
		g.rig_seen = g.tgt_acked = g.tgt_syn = false;
		g.rcv = 0;
		g.chunk_left = 0;
		rc = casegen_body(gen, &g, err);
		v[k] = (struct cj_part){
			.number = parts[k].flow->number, .first_rec = sh->first_rec,
			.last_rec = sh->last_rec, .n = sh->n, .nrtx = sh->nrtx,
			.nagain = sh->nagain, .pre_syn_rec = sh->pre_syn_rec,
			.target_server = sh->target_server, .refused = sh->refused,
			.rig_is_client = parts[k].rig_is_client, .fd = g.fd,
			.wr_bytes = casegen_gen_dry(gen)->wr_bytes,
			.rd_bytes = casegen_gen_dry(gen)->rd_bytes,
			.wr_chunks = casegen_gen_dry(gen)->wr_chunks,
			.reads = casegen_gen_dry(gen)->reads,
		};
		memcpy(v[k].ending, casegen_gen_dry(gen)->ending, sizeof(v[k].ending));
		nrtx += sh->nrtx;
		if (!mss && sh->mss)
			mss = sh->mss;
		loose_psh |= sh->loose_psh;
		ecr_ranges += casegen_gen_dry(gen)->ecr_ranges;
		delacks += casegen_gen_dry(gen)->delacks;
		timers += casegen_gen_dry(gen)->timers;
		casegen_gen_free(gen);
		if (rc)
			goto done;
	}
	cj_header(&h, o, v, n, parts, nrtx, mss, loose_psh, ecr_ranges, delacks, timers, &g);
	if (g.oom || h.oom || casegen_script_join(&h, &g, out)) {
		err_sys(err, "pcap2case");
		casegen_script_free(out);
		goto done;
	}
	out->retransmits = nrtx;
	out->kept = o->keep_retransmits;
	ret = 0;
done:
	free(v);
	cg_free(&g);
	cg_free(&h);
	return ret;
}
