#include "run/casegen.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/casegen_body.h"
#include "run/casegen_shape.h"
#include "run/casegen_text.h"

struct casegen_gen {
	const struct casegen_src *src;
	const struct casegen_opts *o;
	struct cg_shape sh;
	struct cg dry;        /* the dry run's counts, for the header */
};

/* The header: where the script came from and what was inferred. */
static void cg_header(struct cg *h, const struct casegen_opts *o, const struct cg_shape *sh,
		      const struct cg *g)
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
	       sh->first_rec, sh->last_rec, sh->n);
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
		cg_add(h, 0, "// Retransmissions: %zu, kept (--keep-retransmits).", sh->nrtx);
	else
		cg_add(h, 0, "// Retransmissions: %zu, dropped%s (--keep-retransmits keeps them).",
		       sh->nrtx, sh->necho ? ", with the target's segments that only answered them" : "");
	if (sh->nagain)
		cg_add(h, 0, "// Kept: %zu SYN%s sent again after a segment without SYN (an old "
			     "duplicate, a connect", sh->nagain, sh->nagain == 1 ? "" : "s");
	if (sh->nagain)
		cg_add(h, 0, "// trying again after its RST): sent on purpose, not retransmissions.");
	if (sh->pre_syn_rec)
		cg_add(h, 0, "// The rig answered the target's SYN from an older incarnation (#%lu): "
			     "its seq", sh->pre_syn_rec);
	if (sh->pre_syn_rec)
		cg_add(h, 0, "// is absolute until its own SYN, as for a side without a SYN yet.");
	if (sh->nkept)
		cg_add(h, 0, "// Kept all the same, with the target's answer: %zu retransmission%s of a "
			     "FIN or answered with RST.", sh->nkept, sh->nkept == 1 ? "" : "s");
	if (g->dropped_opts)
		cg_add(h, 0, "// Left out: %u TCP option%s of kind %s, which the dialect cannot write.",
		       g->dropped_opts, g->dropped_opts == 1 ? "" : "s", g->dropped_kinds);
	/* What the recording owed to timing is not asked of the target. */
	if (sh->loose_psh) {
		cg_add(h, 0, "// PSH not checked (--loose_psh): the target's writes left in several");
		cg_add(h, 0, "// segments, pushed where the ACKs' timing let Linux push. Its writes");
		cg_add(h, 0, "// go on past where it stopped at the rig's window, and a write of more");
		cg_add(h, 0, "// than a segment is a send with MSG_EOR: Linux sends its tail at once,");
		cg_add(h, 0, "// as it did with the recorded program's next write queued behind.");
		cg_add(h, 0, "// Where the target met the right edge of the rig's window is timing");
		cg_add(h, 0, "// too: its data may be cut elsewhere from there (--loose_segments).");
	}
	if (g->ecr_ranges) {
		cg_add(h, 0, "// TS ecr A~B on %u data segment%s of the target: sent when its window",
		       g->ecr_ranges, g->ecr_ranges == 1 ? "" : "s");
		cg_add(h, 0, "// let it, it may echo the rig's newest TS val or the one before.");
	}
	cg_timer_notes(h, g->timers, g->delacks);
	if (g->folded) {
		cg_add(h, 0, "// ACKs of the target's that covered two or more of the rig's segments: %u.",
		       g->folded);
		cg_add(h, 0, "// Live, its kernel may ACK the first of them at once (quick-ACK mode");
		cg_add(h, 0, "// follows the application's timing): --loose_acks passes such an ACK over.");
	}
	cg_knobs_note(h, g);
	if (o->note)
		cg_add(h, 0, "// %s", o->note);
	cg_add(h, 0, "// \"// #N\" after a line: the capture packet it stands for.");
	if (sh->mss && sh->mss != 1460)
		cg_add(h, 0, "--mss=%u", sh->mss);
	if (sh->loose_psh) {
		cg_add(h, 0, "--loose_psh");
		cg_add(h, 0, "--loose_segments");
	}
	if (g->folded)
		cg_add(h, 0, "--loose_acks");
	/* An IPv6 conversation is replayed over IPv6. */
	if (f && f->family == AF_INET6)
		cg_add(h, 0, "--ip_version=ipv6");
	for (size_t i = 0; i < o->nsysctls; i++)
		cg_add(h, 0, "--sysctl=%s", o->sysctls[i]);
	cg_add(h, 0, "%s", "");
}

struct casegen_gen *casegen_prepare(const struct casegen_src *src, const struct casegen_opts *o,
				    struct tr_err *err)
{
	const char *name = o->source ? o->source : "capture";
	unsigned num = o->flow ? o->flow->number : 0;
	struct casegen_gen *gen = calloc(1, sizeof(*gen));
	struct flow_pkt p;
	int rc;

	if (!gen) {
		err_sys(err, "pcap2case");
		return NULL;
	}
	gen->src = src;
	gen->o = o;
	cg_shape_init(&gen->sh, o->rig_is_client);
	if (src->rewind(src->ctx, err))
		goto fail;
	while ((rc = src->next(src->ctx, &p, err)) == 1)
		cg_shape_add(&gen->sh, o->rig_is_client, &p);
	if (rc < 0 || cg_shape_finish(&gen->sh, name, num, err))
		goto fail;
	cg_knobs_use(&gen->dry, o);
	if (cg_body_pass(src, o, &gen->sh, &gen->dry, true, err))
		goto fail;
	if (gen->dry.script_ns > (int64_t)CASEGEN_MAX_SECONDS * 1000000000) {
		err_usage(err, "%s: flow %u: its script would last %.0f s, longer than a replay may "
			       "(%d s: it plays in real time)",
			  name, num, (double)gen->dry.script_ns / 1e9, CASEGEN_MAX_SECONDS);
		goto fail;
	}
	return gen;
fail:
	casegen_gen_free(gen);
	return NULL;
}

size_t casegen_packets(const struct casegen_gen *gen)
{
	return gen->sh.n;
}

int casegen_write(struct casegen_gen *gen, FILE *f, struct tr_err *err)
{
	struct cg h = { .out = f }, g = { .out = f };
	int rc;

	cg_header(&h, gen->o, &gen->sh, &gen->dry);
	if (h.oom)
		return err_sys(err, "writing the script");
	cg_knobs_use(&g, gen->o);
	rc = cg_body_pass(gen->src, gen->o, &gen->sh, &g, false, err);
	cg_free(&g);
	return rc;
}

int casegen_collect(struct casegen_gen *gen, struct casegen_script *out, struct tr_err *err)
{
	struct cg g = { .keep = true }, h = { .keep = true };
	int ret = -1;

	memset(out, 0, sizeof(*out));
	cg_knobs_use(&g, gen->o);
	if (cg_body_pass(gen->src, gen->o, &gen->sh, &g, false, err))
		goto done;
	cg_header(&h, gen->o, &gen->sh, &gen->dry);
	if (h.oom)
		goto oom;
	if (casegen_script_join(&h, &g, out))
		goto oom;
	out->retransmits = gen->sh.nrtx;
	out->kept = gen->o->keep_retransmits;
	ret = 0;
	goto done;
oom:
	err_sys(err, "pcap2case");
	casegen_script_free(out);
done:
	cg_free(&g);
	cg_free(&h);
	return ret;
}

int casegen_script_join(const struct cg *h, const struct cg *g, struct casegen_script *out)
{
	size_t len = 0, k = 0;

	for (size_t i = 0; i < h->n; i++)
		len += strlen(h->v[i].text) + 1;
	for (size_t i = 0; i < g->n; i++)
		len += strlen(g->v[i].text) + 1;
	out->text = malloc(len + 1);
	out->line_rec = calloc(h->n + g->n + 1, sizeof(*out->line_rec));
	if (!out->text || !out->line_rec)
		return -1;
	for (size_t i = 0; i < h->n + g->n; i++) {
		const struct cg_line *l = i < h->n ? &h->v[i] : &g->v[i - h->n];
		size_t m = strlen(l->text);

		memcpy(out->text + k, l->text, m);
		out->text[k + m] = '\n';
		k += m + 1;
		out->line_rec[i] = l->rec;
	}
	out->text[k] = '\0';
	out->nlines = h->n + g->n;
	return 0;
}

struct cg_shape *casegen_gen_shape(struct casegen_gen *gen)
{
	return &gen->sh;
}

const struct cg *casegen_gen_dry(const struct casegen_gen *gen)
{
	return &gen->dry;
}

int casegen_body(struct casegen_gen *gen, struct cg *g, struct tr_err *err)
{
	cg_knobs_use(g, gen->o);
	return cg_body_pass(gen->src, gen->o, &gen->sh, g, false, err);
}

void casegen_gen_free(struct casegen_gen *gen)
{
	if (!gen)
		return;
	cg_free(&gen->dry);
	free(gen);
}

static int cg_array_rewind(void *ctx, struct tr_err *err)
{
	(void)err;
	((struct casegen_array *)ctx)->i = 0;
	return 0;
}

static int cg_array_next(void *ctx, struct flow_pkt *p, struct tr_err *err)
{
	struct casegen_array *a = ctx;

	(void)err;
	if (a->i == a->n)
		return 0;
	*p = a->p[a->i++];
	return 1;
}

struct casegen_src casegen_array_src(struct casegen_array *a)
{
	return (struct casegen_src){ cg_array_rewind, cg_array_next, a };
}

int casegen_make(const struct flow_pkt *p, size_t n, const struct casegen_opts *o,
		 struct casegen_script *out, struct tr_err *err)
{
	struct casegen_array a = { .p = p, .n = n };
	struct casegen_src src = casegen_array_src(&a);
	struct casegen_gen *gen;
	int rc;

	memset(out, 0, sizeof(*out));
	gen = casegen_prepare(&src, o, err);
	if (!gen)
		return -1;
	rc = casegen_collect(gen, out, err);
	casegen_gen_free(gen);
	return rc;
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
