/* flow.h - the TCP conversations of a capture: fed one segment at a time,
 * it numbers each conversation and keeps what `replay --list` shows and
 * what pcap2case needs to find one again.
 *
 * A conversation is a 4-tuple's life from its first segment to the segment
 * that ends it; a SYN (without ACK) on a 4-tuple whose conversation already
 * ended (both FINs, or an RST) starts a new one, as a reused port does,
 * unless it repeats the ISN of the conversation's own SYN: then it is that
 * SYN again (a retransmission after the RST that ended the attempt, or an
 * old duplicate sent into TIME_WAIT), and what answers it belongs to the
 * same conversation. (A SYN after an RST reopens it: end is open again.)
 * Flows are numbered from 1 in the order their first segment came. The
 * client is the side that sent the first SYN; a conversation whose SYN was
 * not captured takes the sender of its first segment (syn_seen tells).
 * Memory grows with the number of conversations, never with the capture.
 * Pure: no I/O, no clock.
 */
#ifndef TCPRIG_WIRE_FLOW_H
#define TCPRIG_WIRE_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/err.h"
#include "core/segment.h"

enum flow_end {
	FLOW_OPEN, /* neither an RST nor a FIN from both sides */
	FLOW_FIN,  /* both sides sent FIN */
	FLOW_RST,  /* an RST ended it */
};

struct flow_ep {
	union seg_ip addr;
	uint16_t port;
};

struct flow {
	unsigned number;         /* from 1 */
	int family;
	struct flow_ep client, server;
	bool syn_seen;           /* the client's SYN is in the capture */
	uint32_t syn_isn;        /* syn_seen: its seq */
	bool fin_client, fin_server;
	enum flow_end end;
	unsigned long first_rec, last_rec; /* capture record numbers */
	struct timespec first_ts, last_ts;
	unsigned long packets;
	uint64_t bytes;          /* TCP payload, both ways */
};

/* One captured segment of a conversation, as pcap2case reads it back. The
 * payload is not kept (payload NULL, payload_len kept): a replay sends the
 * lengths, not the bytes. */
struct flow_pkt {
	unsigned long rec;       /* capture record number, from 1 */
	struct timespec ts;
	bool from_client;
	struct segment seg;
};

struct flow_table {
	struct flow *v;
	size_t n, cap;
	/* Open addressing over v's indexes + 1 (0: empty), by 4-tuple: the
	 * live flow of a tuple, the newest incarnation. */
	uint32_t *slot;
	size_t nslots;
};

void flow_table_init(struct flow_table *t);
void flow_table_free(struct flow_table *t);

/* Counts s, captured as record rec at ts, into its conversation. Returns
 * the flow's index in t->v, or -1 with err when memory ran out. *from_client
 * (may be NULL) says which side sent it. */
long flow_table_add(struct flow_table *t, const struct segment *s,
		    unsigned long rec, const struct timespec *ts,
		    bool *from_client, struct tr_err *err);

/* "FIN", "RST" or "open". */
const char *flow_end_name(enum flow_end e);

/* "192.0.2.1:8080" */
const char *flow_ep_format(int family, const struct flow_ep *ep, char *buf,
			   size_t cap);

#endif
