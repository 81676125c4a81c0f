#include "wire/flow.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void flow_table_init(struct flow_table *t)
{
	memset(t, 0, sizeof(*t));
}

void flow_table_free(struct flow_table *t)
{
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

const char *flow_end_name(enum flow_end e)
{
	switch (e) {
	case FLOW_OPEN:
		return "open";
	case FLOW_FIN:
		return "FIN";
	case FLOW_RST:
		return "RST";
	}
	return "?";
}

const char *flow_ep_format(int family, const struct flow_ep *ep, char *buf,
			   size_t cap)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(family, &ep->addr, a, sizeof(a));
	snprintf(buf, cap, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, ep->port);
	return buf;
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? sizeof(struct in6_addr) : sizeof(struct in_addr);
}

static bool ep_is(int family, const struct flow_ep *ep, const union seg_ip *a,
		  uint16_t port)
{
	return ep->port == port && !memcmp(&ep->addr, a, addr_len(family));
}

/* The same for both directions of a conversation. */
static uint32_t tuple_hash(const struct segment *s)
{
	uint32_t h1 = 2166136261u, h2 = 2166136261u;
	const uint8_t *a = (const uint8_t *)&s->src, *b = (const uint8_t *)&s->dst;

	for (size_t i = 0; i < addr_len(s->family); i++) {
		h1 = (h1 ^ a[i]) * 16777619u;
		h2 = (h2 ^ b[i]) * 16777619u;
	}
	h1 = (h1 ^ s->sport) * 16777619u;
	h2 = (h2 ^ s->dport) * 16777619u;
	return h1 ^ h2;
}

static bool flow_has(const struct flow *f, const struct segment *s, bool *from_client)
{
	if (f->family != s->family)
		return false;
	if (ep_is(f->family, &f->client, &s->src, s->sport) &&
	    ep_is(f->family, &f->server, &s->dst, s->dport)) {
		*from_client = true;
		return true;
	}
	if (ep_is(f->family, &f->server, &s->src, s->sport) &&
	    ep_is(f->family, &f->client, &s->dst, s->dport)) {
		*from_client = false;
		return true;
	}
	return false;
}

/* The slot of s's tuple: its live flow, or the empty slot it would take. */
static size_t slot_find(const struct flow_table *t, const struct segment *s, bool *from_client)
{
	size_t i = tuple_hash(s) & (t->nslots - 1);

	while (t->slot[i] && !flow_has(&t->v[t->slot[i] - 1], s, from_client))
		i = (i + 1) & (t->nslots - 1);
	return i;
}

static int grow(struct flow_table *t, struct tr_err *err)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct flow *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return err_sys(err, "flows");
		t->v = v;
		t->cap = cap;
	}
	/* At most half full, so that a probe always ends. */
	if (2 * (t->n + 1) > t->nslots) {
		size_t n = t->nslots ? 2 * t->nslots : 128;
		uint32_t *slot = calloc(n, sizeof(*slot)), *old = t->slot;
		size_t oldn = t->nslots;

		if (!slot)
			return err_sys(err, "flows");
		t->slot = slot;
		t->nslots = n;
		for (size_t i = 0; i < oldn; i++) {
			struct segment k;
			const struct flow *f;
			bool dummy;

			if (!old[i])
				continue;
			f = &t->v[old[i] - 1];
			k.family = f->family;
			k.src = f->client.addr;
			k.sport = f->client.port;
			k.dst = f->server.addr;
			k.dport = f->server.port;
			slot[slot_find(t, &k, &dummy)] = old[i];
		}
		free(old);
	}
	return 0;
}

static bool flow_ended(const struct flow *f)
{
	return f->end != FLOW_OPEN;
}

/* A client's SYN with the ISN of the conversation's SYN is no new
 * incarnation: a kernel picks a new ISN for a new connection, so this is
 * the same SYN again, retransmitted or an old duplicate. */
static bool syn_again(const struct flow *f, const struct segment *s, bool from_client)
{
	return from_client && f->syn_seen && s->seq == f->syn_isn;
}

long flow_table_add(struct flow_table *t, const struct segment *s,
		    unsigned long rec, const struct timespec *ts,
		    bool *from_client, struct tr_err *err)
{
	bool fc = true, bare_syn = (s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN;
	struct flow *f;
	size_t i;

	if (grow(t, err))
		return -1;
	i = slot_find(t, s, &fc);
	if (t->slot[i] && bare_syn && flow_ended(&t->v[t->slot[i] - 1])) {
		f = &t->v[t->slot[i] - 1];
		if (!syn_again(f, s, fc))
			t->slot[i] = 0; /* a new incarnation on the same ports */
		else if (f->end == FLOW_RST) {
			/* The RST ended an attempt that the SYN makes again. */
			f->end = FLOW_OPEN;
			f->fin_client = f->fin_server = false;
		}
	}
	if (!t->slot[i]) {
		f = &t->v[t->n];
		memset(f, 0, sizeof(*f));
		f->number = (unsigned)++t->n;
		f->family = s->family;
		/* A SYN-ACK first: its receiver is the client. */
		fc = !((s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK));
		f->client = (struct flow_ep){ fc ? s->src : s->dst, fc ? s->sport : s->dport };
		f->server = (struct flow_ep){ fc ? s->dst : s->src, fc ? s->dport : s->sport };
		f->first_rec = rec;
		f->first_ts = *ts;
		t->slot[i] = (uint32_t)t->n;
	}
	f = &t->v[t->slot[i] - 1];
	if (bare_syn && fc && !f->syn_seen) {
		f->syn_seen = true;
		f->syn_isn = s->seq;
	}
	if (s->flags & SEG_FIN) {
		if (fc)
			f->fin_client = true;
		else
			f->fin_server = true;
	}
	if (s->flags & SEG_RST)
		f->end = FLOW_RST;
	else if (f->end == FLOW_OPEN && f->fin_client && f->fin_server)
		f->end = FLOW_FIN;
	f->packets++;
	f->bytes += s->payload_len;
	f->last_rec = rec;
	f->last_ts = *ts;
	if (from_client)
		*from_client = fc;
	return (long)(f - t->v);
}
