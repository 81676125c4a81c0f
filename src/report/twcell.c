/* twcell.c - the TIME_WAIT matrix's cells and what they observed (twcell.h). */
#include "report/twcell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/segment.h"

/* The TIME_WAIT socket's numbers in the generated cases: the rig's ISN and
 * the target's are both 0 in the script, so the old connection's snd_nxt
 * and rcv_nxt are 2 (SYN and FIN each take one). */
#define TW_SND_NXT 2u
#define TW_RCV_NXT 2u

static const char *const family_names[TW_FAMILIES] = { "ipv4", "ipv6" };
static const char *const kind_names[TW_KINDS] = {
	[TW_SYN] = "SYN",	  [TW_SYNACK] = "SYN-ACK", [TW_ACK] = "ACK",
	[TW_FIN] = "FIN",	  [TW_FINACK] = "FIN-ACK", [TW_RST] = "RST",
	[TW_RSTACK] = "RST-ACK", [TW_DATA] = "data",	   [TW_SYNFIN] = "SYN-FIN",
};
static const char *const pos_names[TW_POSITIONS] = {
	[TW_BELOW] = "rcv_nxt-1", [TW_AT] = "rcv_nxt",	 [TW_ABOVE] = "rcv_nxt+1",
	[TW_INSIDE] = "inside",	  [TW_EDGE] = "edge",	 [TW_BEYOND] = "beyond",
};
static const char *const ts_names[TW_TSS] = { "fresh", "stale" };
static const char *const reply_names[TW_REPLIES] = {
	[TW_SILENT] = "silent",	     [TW_DUPACK] = "dup-ack",	[TW_CHALLENGE] = "chal-ack",
	[TW_ACKOTHER] = "ack-other", [TW_RSTREPLY] = "rst",	[TW_SYNACKREPLY] = "syn-ack",
	[TW_OTHER] = "other",
};
static const char *const state_names[TW_STATES] = {
	[TW_KEPT] = "kept", [TW_GONE] = "gone", [TW_NEW] = "new", [TW_STATE_UNKNOWN] = "?",
};

const char *tw_family_name(enum tw_family f)
{
	return f < TW_FAMILIES ? family_names[f] : "?";
}

const char *tw_kind_name(enum tw_kind k)
{
	return k < TW_KINDS ? kind_names[k] : "?";
}

const char *tw_pos_name(enum tw_pos p)
{
	return p < TW_POSITIONS ? pos_names[p] : "?";
}

const char *tw_ts_name(enum tw_ts t)
{
	return t < TW_TSS ? ts_names[t] : "?";
}

const char *tw_reply_name(enum tw_reply r)
{
	return r < TW_REPLIES ? reply_names[r] : "?";
}

const char *tw_state_name(enum tw_state s)
{
	return s < TW_STATES ? state_names[s] : "?";
}

int tw_kind_parse(const char *name)
{
	for (int k = 0; k < TW_KINDS; k++)
		if (!strcasecmp(name, kind_names[k]))
			return k;
	return -1;
}

int tw_family_parse(const char *name)
{
	for (int f = 0; f < TW_FAMILIES; f++)
		if (!strcmp(name, family_names[f]))
			return f;
	return -1;
}

void tw_params_of(size_t i, struct tw_params *p)
{
	p->rfc1337 = (int)(i % TW_RFC1337S);
	i /= TW_RFC1337S;
	p->ts = (enum tw_ts)(i % TW_TSS);
	i /= TW_TSS;
	p->pos = (enum tw_pos)(i % TW_POSITIONS);
	i /= TW_POSITIONS;
	p->kind = (enum tw_kind)(i % TW_KINDS);
	i /= TW_KINDS;
	p->family = (enum tw_family)i;
}

size_t tw_index(const struct tw_params *p)
{
	return (((((size_t)p->family * TW_KINDS + p->kind) * TW_POSITIONS + p->pos) * TW_TSS +
		 p->ts) *
		    TW_RFC1337S +
		(size_t)p->rfc1337);
}

int64_t tw_pos_offset(enum tw_pos pos, uint32_t win)
{
	switch (pos) {
	case TW_BELOW:
		return -1;
	case TW_AT:
		return 0;
	case TW_ABOVE:
		return 1;
	case TW_INSIDE:
		return win / 2;
	case TW_EDGE:
		return (int64_t)win - 1;
	case TW_BEYOND:
	case TW_POSITIONS:
		break;
	}
	return win;
}

void tw_cell_name(const struct tw_params *p, char *buf, size_t cap)
{
	char kind[16];
	size_t i;

	for (i = 0; kind_names[p->kind][i] && i + 1 < sizeof(kind); i++)
		kind[i] = (char)(kind_names[p->kind][i] | 0x20); /* lower case */
	kind[i] = '\0';
	snprintf(buf, cap, "%s-%s-%s-%s-rfc1337_%d", tw_family_name(p->family), kind,
		 tw_pos_name(p->pos), tw_ts_name(p->ts), p->rfc1337);
}

/* "8080>40000 S. 123:123(0) ack 3 win ..." -> flags, seq and ack. */
static bool tw_parse_reply(const char *text, uint8_t *flags, uint32_t *seq, uint32_t *ack,
			   bool *has_ack)
{
	const char *sp = strchr(text, ' ');
	const char *f, *a;
	size_t bad;

	if (!sp)
		return false;
	f = sp + 1;
	sp = strchr(f, ' ');
	if (!sp || segment_flags_parse(f, (size_t)(sp - f), flags, &bad))
		return false;
	*seq = (uint32_t)strtoul(sp + 1, NULL, 10);
	a = strstr(sp, " ack ");
	*has_ack = a != NULL;
	*ack = a ? (uint32_t)strtoul(a + 5, NULL, 10) : 0;
	return true;
}

enum tw_reply tw_reply_classify(enum tw_kind k, const char *text)
{
	bool has_ack, challenge = k == TW_SYN || k == TW_SYNACK || k == TW_SYNFIN ||
				  k == TW_RST || k == TW_RSTACK;
	uint32_t seq, ack;
	uint8_t flags;

	if (!text || !*text)
		return TW_SILENT;
	if (!tw_parse_reply(text, &flags, &seq, &ack, &has_ack))
		return TW_OTHER;
	if (flags & SEG_RST)
		return TW_RSTREPLY;
	if ((flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK))
		return TW_SYNACKREPLY;
	if ((flags & (SEG_SYN | SEG_FIN | SEG_ACK)) != SEG_ACK || !has_ack)
		return TW_OTHER;
	if (seq == TW_SND_NXT && ack == TW_RCV_NXT)
		return challenge ? TW_CHALLENGE : TW_DUPACK;
	return TW_ACKOTHER;
}

static enum tw_state tw_state_of(const char *outcome)
{
	if (!strcmp(outcome, "kept"))
		return TW_KEPT;
	if (!strcmp(outcome, "gone"))
		return TW_GONE;
	if (!strncmp(outcome, "new", 3))
		return TW_NEW;
	return TW_STATE_UNKNOWN;
}

void tw_cell_observe(struct tw_cell *c)
{
	const struct trace *t = &c->res.trace;

	c->observed = false;
	c->nreplies = 0;
	c->reply_text[0] = '\0';
	if (c->ret) {
		snprintf(c->text, sizeof(c->text), "error");
		return;
	}
	switch (c->res.verdict) {
	case RUN_PASS:
		break;
	case RUN_FAIL:
		snprintf(c->text, sizeof(c->text), "FAIL l.%d", c->res.line);
		return;
	case RUN_SKIP:
		snprintf(c->text, sizeof(c->text), "skip");
		return;
	case RUN_INCONCLUSIVE:
		snprintf(c->text, sizeof(c->text), "inconclusive");
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct trace_event *e = &t->ev[i];

		if (e->line != c->observe_line || e->kind != TRACE_RECV)
			continue;
		if (!c->nreplies++)
			snprintf(c->reply_text, sizeof(c->reply_text), "%.150s", e->actual);
	}
	c->reply = tw_reply_classify(c->p.kind, c->reply_text);
	/* The sock_state group's label is the run's last outcome word. */
	{
		const char *o = strrchr(c->res.outcome, ' ');

		c->state = tw_state_of(o ? o + 1 : c->res.outcome);
	}
	c->observed = true;
	snprintf(c->text, sizeof(c->text), "%s %s", tw_reply_name(c->reply),
		 tw_state_name(c->state));
}
