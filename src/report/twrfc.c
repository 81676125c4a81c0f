/* twrfc.c - the RFC statements the TIME_WAIT matrix is judged against, as
 * data (twrfc.h).
 *
 * Sources, read for this table: RFC 9293 section 3.10.7.4 (segment arrival
 * in the synchronized states, TIME-WAIT included; RFC 793's section 3.9),
 * RFC 5961 sections 3.2 (RST), 4.2 (SYN) and 7 (ACK throttling), RFC 7323
 * section 5 (PAWS), RFC 1337 section 3 ("Fixes for TWA Hazards": fix F1,
 * "Ignore RST segments in TIME-WAIT state", which its section 4 calls the
 * best short-term solution). The window is the TIME-WAIT socket's receive
 * window: rcv_nxt-1 and "beyond" lie outside it, rcv_nxt .. edge inside.
 * Not covered: RFC 5961 section 5.2 (ACK value acceptability): every
 * probe acks exactly SND.NXT.
 */
#include "report/twrfc.h"

#define B TWRFC_BIT
#define OUTSIDE (B(TW_BELOW) | B(TW_BEYOND))
#define INWIN_NOT_AT (B(TW_ABOVE) | B(TW_INSIDE) | B(TW_EDGE))
#define RSTS (B(TW_RST) | B(TW_RSTACK))
#define PLAIN (B(TW_ACK) | B(TW_FIN) | B(TW_FINACK) | B(TW_DATA))
#define ACKS (B(TW_DUPACK) | B(TW_CHALLENGE))
#define BOTH_TS (B(TW_FRESH) | B(TW_STALE))
#define BOTH_1337 (B(0) | B(1))

static const struct twrfc_rule rules[] = {
	{ "RFC 9293", "3.10.7.4",
	  "a segment that is not acceptable (outside the window) and carries no RST is "
	  "answered <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and dropped",
	  PLAIN, OUTSIDE, BOTH_TS, BOTH_1337, ACKS, B(TW_KEPT) },
	{ "RFC 5961", "3.2",
	  "an RST outside the receive window is dropped silently",
	  RSTS, OUTSIDE, BOTH_TS, BOTH_1337, B(TW_SILENT), B(TW_KEPT) },
	{ "RFC 5961", "3.2",
	  "an RST in the window but not exactly at RCV.NXT draws a challenge ACK and "
	  "does not reset",
	  RSTS, INWIN_NOT_AT, B(TW_FRESH), BOTH_1337, B(TW_CHALLENGE), B(TW_KEPT) },
	{ "RFC 9293", "3.10.7.4",
	  "TIME-WAIT: an acceptable RST (at RCV.NXT) enters CLOSED and deletes the TCB",
	  RSTS, B(TW_AT), B(TW_FRESH), B(0), B(TW_SILENT), B(TW_GONE) },
	{ "RFC 1337", "3",
	  "fix (F1) for the TIME-WAIT assassination hazards, the one section 4 recommends "
	  "(what tcp_rfc1337=1 asks for): RST segments are ignored in TIME-WAIT state",
	  RSTS, TWRFC_ALL, BOTH_TS, B(1), TWRFC_ALL, B(TW_KEPT) },
	{ "RFC 9293", "3.10.7.4",
	  "TIME-WAIT: a retransmission of the remote FIN is acknowledged and TIME-WAIT "
	  "stays (its 2 MSL timeout restarted)",
	  B(TW_FIN) | B(TW_FINACK), B(TW_BELOW), BOTH_TS, BOTH_1337, ACKS, B(TW_KEPT) },
	{ "RFC 5961", "4.2",
	  "a SYN in a synchronized state draws a challenge ACK whatever its sequence "
	  "number; RFC 9293 3.10.7.4 lets TIME-WAIT accept it as a new connection "
	  "instead when its timestamp is newer (RFC 6191)",
	  B(TW_SYN), TWRFC_ALL, B(TW_FRESH), BOTH_1337,
	  B(TW_CHALLENGE) | B(TW_SYNACKREPLY), B(TW_KEPT) | B(TW_NEW) },
	{ "RFC 5961", "4.2",
	  "a SYN with an old timestamp may not open a new connection over TIME-WAIT: "
	  "it draws a challenge ACK",
	  B(TW_SYN), TWRFC_ALL, B(TW_STALE), BOTH_1337, B(TW_CHALLENGE), B(TW_KEPT) },
	{ "RFC 5961", "4.2",
	  "a segment with SYN set that is no new connection attempt (SYN-ACK, SYN+FIN) "
	  "draws a challenge ACK whatever its sequence number",
	  B(TW_SYNACK) | B(TW_SYNFIN), TWRFC_ALL, BOTH_TS, BOTH_1337, B(TW_CHALLENGE),
	  B(TW_KEPT) },
	{ "RFC 7323", "5",
	  "PAWS: a segment whose TSval is older than TS.Recent is not acceptable: it is "
	  "acknowledged and dropped",
	  PLAIN, TWRFC_ALL, B(TW_STALE), BOTH_1337, ACKS, B(TW_KEPT) },
};

const struct twrfc_rule *twrfc_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

static bool twrfc_covers(const struct twrfc_rule *r, const struct tw_params *p)
{
	return (r->kinds & B(p->kind)) && (r->positions & B(p->pos)) && (r->tss & B(p->ts)) &&
	       (r->rfc1337s & B(p->rfc1337));
}

size_t twrfc_check(const struct tw_cell *c, const struct twrfc_rule **out, size_t max)
{
	size_t n = 0;

	if (!c->observed)
		return 0;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]) && n < max; i++) {
		const struct twrfc_rule *r = &rules[i];

		if (!twrfc_covers(r, &c->p))
			continue;
		if (!(r->replies & B(c->reply)) || !(r->states & B(c->state)))
			out[n++] = r;
	}
	return n;
}

const char *twrfc_ratelimit(const struct tw_cell *c)
{
	if (c->observed && (c->reply == TW_DUPACK || c->reply == TW_CHALLENGE))
		return "net.ipv4.tcp_invalid_ratelimit";
	return NULL;
}
