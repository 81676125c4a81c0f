/* casegen_fixture.h - one captured segment for pcap2case's unit tests
 * (test_casegen*.c), as a capture has it: client 10.0.0.1:cport (5000 when
 * 0), server 10.0.0.2:80; seq and ack given relative to the ISNs and made
 * absolute here; window 500; MSS 1460 on a SYN; a TS option (after two
 * NOPs unless bare_ts) when ts is set. Header-only: each test is its own
 * executable, and each fixes what it varies in its own small wrapper.
 */
#ifndef TCPRIG_TESTS_CASEGEN_FIXTURE_H
#define TCPRIG_TESTS_CASEGEN_FIXTURE_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/segment.h"
#include "wire/flow.h"

struct fx_seg {
	unsigned long rec;
	long us;                 /* capture time: 1000 s + us */
	bool fc;                 /* from the client */
	uint8_t flags;
	uint32_t seq, ack, len;  /* seq and ack relative to the ISNs */
	uint32_t cisn, sisn;
	uint16_t cport;
	bool ts, bare_ts;
	uint32_t tsval, tsecr;   /* absolute, as recorded */
};

static inline struct flow_pkt fx_pkt(struct fx_seg s)
{
	struct flow_pkt p = { .rec = s.rec, .from_client = s.fc,
			      .ts = { 1000 + s.us / 1000000, (s.us % 1000000) * 1000 } };
	uint16_t cport = s.cport ? s.cport : 5000;
	struct seg_opt *o;

	segment_init(&p.seg);
	inet_pton(AF_INET, s.fc ? "10.0.0.1" : "10.0.0.2", &p.seg.src.v4);
	inet_pton(AF_INET, s.fc ? "10.0.0.2" : "10.0.0.1", &p.seg.dst.v4);
	p.seg.sport = s.fc ? cport : 80;
	p.seg.dport = s.fc ? 80 : cport;
	p.seg.flags = s.flags;
	p.seg.seq = s.seq + (s.fc ? s.cisn : s.sisn);
	p.seg.ack = s.flags & SEG_ACK ? s.ack + (s.fc ? s.sisn : s.cisn) : 0;
	p.seg.win = 500;
	p.seg.payload_len = s.len;
	if (s.flags & SEG_SYN) {
		o = segment_opt_add(&p.seg, SEG_OPT_MSS);
		o->len = 4;
		o->v.mss = 1460;
	}
	if (s.ts) {
		if (!s.bare_ts) {
			segment_opt_add(&p.seg, SEG_OPT_NOP)->len = 1;
			segment_opt_add(&p.seg, SEG_OPT_NOP)->len = 1;
		}
		o = segment_opt_add(&p.seg, SEG_OPT_TS);
		o->len = 10;
		o->v.ts.val = s.tsval;
		o->v.ts.ecr = s.tsecr;
	}
	return p;
}

#endif
