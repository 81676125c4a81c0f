/* Unit tests for IPv6 segments, offline: frames libnet builds decode back to
 * the segment they came from (traffic class, flow label and hop limit
 * included), the TCP checksum over the IPv6 pseudo-header matches one worked
 * by hand, and the decoder walks extension headers and skips what is not TCP. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "wire/craft.h"
#include "core/segment.h"
#include "seg_fixture.h"
#include "tap.h"

static struct crafter *cr;
static struct frame frame;
static const struct l2_addrs l2 = {
	{ 0x02, 0, 0, 0, 0, 0x02 }, { 0x02, 0, 0, 0, 0, 0x01 }
};

static void base6(struct segment *s)
{
	fixture_base6_segment(s);
}

static bool same6(const struct segment *a, const struct segment *b)
{
	if (b->family != AF_INET6 || a->sport != b->sport || a->dport != b->dport ||
	    a->seq != b->seq || a->ack != b->ack || a->flags != b->flags || a->win != b->win ||
	    a->urg != b->urg || a->ttl != b->ttl || a->tos != b->tos ||
	    a->flowlabel != b->flowlabel || a->payload_len != b->payload_len ||
	    a->nopts != b->nopts || memcmp(&a->src.v6, &b->src.v6, 16) ||
	    memcmp(&a->dst.v6, &b->dst.v6, 16))
		return false;
	for (unsigned i = 0; i < a->nopts; i++)
		if (a->opts[i].kind != b->opts[i].kind ||
		    memcmp(&a->opts[i].v, &b->opts[i].v, sizeof(a->opts[i].v)))
			return false;
	return true;
}

static bool round_trip(const struct segment *s, struct segment *back)
{
	struct tr_err err;

	return craft_build(cr, s, &l2, &frame, &err) == 0 &&
	       segment_decode_frame(back, frame.bytes, frame.len, &err) == 1 &&
	       !back->bad_csum && same6(s, back);
}

static void test_ipv6_round_trip_every_flag_combination(void)
{
	struct segment s, back;
	int bad = 0;

	for (unsigned f = 0; f < 256; f++) {
		base6(&s);
		s.flags = (uint8_t)f;
		s.ack = 0xdeadbeef;
		s.urg = 7;
		if (!round_trip(&s, &back))
			bad++;
	}
	is_int(bad, 0, "all 256 flag combinations survive build and decode over IPv6");
}

static void test_ipv6_round_trip_options_payload_and_ip_fields(void)
{
	struct segment s, back;
	struct seg_opt *o;
	uint8_t data[300];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	base6(&s);
	s.flags = SEG_PSH | SEG_ACK;
	s.tos = 0xb9;		/* DSCP EF and ECT(1) */
	s.flowlabel = 0xabcde;
	s.ttl = 3;
	o = segment_opt_add(&s, SEG_OPT_MSS);
	o->v.mss = 1440;
	segment_opt_add(&s, SEG_OPT_SACK_PERM);
	o = segment_opt_add(&s, SEG_OPT_TS);
	o->v.ts.val = 4000000000u;
	o->v.ts.ecr = 17;
	segment_opt_add(&s, SEG_OPT_NOP);
	o = segment_opt_add(&s, SEG_OPT_WSCALE);
	o->v.wscale = 7;
	s.payload = data;
	s.payload_len = sizeof(data);
	ok(round_trip(&s, &back), "options, payload, traffic class, flow label, hop limit");
	ok(memcmp(back.payload, data, sizeof(data)) == 0, "payload bytes");
	is_int(frame.bytes[14] >> 4, 6, "IP version 6");
	is_int((frame.bytes[14] & 0x0f) << 4 | frame.bytes[15] >> 4, 0xb9,
	       "traffic class on the wire");
	is_int((frame.bytes[15] & 0x0f) << 16 | frame.bytes[16] << 8 | frame.bytes[17], 0xabcde,
	       "flow label on the wire");
}

/* [2001:db8::2]:40000 -> [2001:db8::1]:8080 SYN seq 1000 win 65535, no
 * options. The TCP checksum worked by hand, 16-bit words:
 *   pseudo: 2001+0db8+0002 (source) + 2001+0db8+0001 (destination)
 *           + 0014 (upper-layer length) + 0006 (next header) = 0x5b8f
 *   header: 9c40+1f90+0000+03e8+0000+0000+5002+ffff+0000 = 0x20fb9
 *   total 0x26b48 -> 0x6b4a -> ~ 0x94b5 */
static void test_ipv6_checksum_matches_hand_computed(void)
{
	static const uint8_t head[] = { 0x86, 0xdd, 0x60, 0, 0, 0, 0x00, 0x14, 0x06, 0x40 };
	const uint8_t *tcp = frame.bytes + 14 + 40;
	struct segment s, back;
	struct tr_err err;

	base6(&s);
	ok(craft_build(cr, &s, &l2, &frame, &err) == 0, "build");
	is_int(frame.len, 74, "14 + 40 + 20 bytes");
	ok(memcmp(frame.bytes + 12, head, sizeof(head)) == 0,
	   "ethertype 86dd, version 6, payload length 20, next header TCP, hop limit 64");
	is_int(tcp[16] << 8 | tcp[17], 0x94b5, "TCP checksum over the IPv6 pseudo-header");
	is_int(segment_tcp6_csum(&s.src.v6, &s.dst.v6, tcp, 20), 0,
	       "segment_tcp6_csum verifies the frame");

	s.bad_csum = true;
	ok(craft_build(cr, &s, &l2, &frame, &err) == 0 &&
	   (tcp[16] << 8 | tcp[17]) != 0x94b5, "a bad checksum is put on the wire on request");
	ok(segment_decode_frame(&back, frame.bytes, frame.len, &err) == 1 && back.bad_csum,
	   "and the decoder flags it");
}

/* The frame just built, with an 8-byte extension header of kind nh put
 * between the IPv6 header and TCP. */
static size_t with_ext_header(uint8_t *out, uint8_t nh)
{
	size_t tcp_len = frame.len - 54;

	memcpy(out, frame.bytes, 54);
	memset(out + 54, 0, 8);
	out[54] = IPPROTO_TCP;	/* the extension header's next header */
	out[20] = nh;
	out[18] = (uint8_t)((tcp_len + 8) >> 8);
	out[19] = (uint8_t)(tcp_len + 8);
	memcpy(out + 62, frame.bytes + 54, tcp_len);
	return frame.len + 8;
}

static void test_ipv6_decoder_walks_and_skips(void)
{
	static uint8_t buf[FRAME_MAX + 8];
	struct segment s, back;
	struct tr_err err;
	size_t n;

	base6(&s);
	s.flags = SEG_ACK;
	s.ack = 77;
	ok(craft_build(cr, &s, &l2, &frame, &err) == 0, "build");
	n = with_ext_header(buf, 0);
	ok(segment_decode_frame(&back, buf, n, &err) == 1 && same6(&s, &back) &&
	   !back.bad_csum, "a hop-by-hop options header is walked over");
	n = with_ext_header(buf, 60);
	ok(segment_decode_frame(&back, buf, n, &err) == 1 && back.ack == 77,
	   "a destination options header is walked over");
	n = with_ext_header(buf, 44);
	is_int(segment_decode_frame(&back, buf, n, &err), 0, "a fragment is not TCP to the rig");

	memcpy(buf, frame.bytes, frame.len);
	buf[20] = 58;
	is_int(segment_decode_frame(&back, buf, frame.len, &err), 0, "ICMPv6 is not TCP");

	memcpy(buf, frame.bytes, frame.len);
	buf[19] = 200; /* payload length beyond what was captured */
	ok(segment_decode_ip(&back, buf + 14, frame.len - 14, &err) == -1 &&
	   strstr(err.msg, "payload length 200") != NULL, "a short packet is an error: %s",
	   err.msg);
	ok(segment_decode_ip(&back, frame.bytes + 14, frame.len - 14, &err) == 0 &&
	   back.family == AF_INET6 && back.ack == 77,
	   "segment_decode_ip takes IPv6 by its version nibble");
}

static void test_ipv6_lab_usable_addresses(void)
{
	static const struct {
		const char *a;
		bool usable;
	} rows[] = {
		{ "2001:db8::1", true }, { "fd3d:fa7b:d17d::1", true },
		{ "::", false }, { "::1", false }, { "fe80::1", false },
		{ "ff02::1", false }, { "::ffff:192.0.2.1", false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct in6_addr a;

		inet_pton(AF_INET6, rows[i].a, &a);
		is_int(seg_ipv6_lab_usable(&a), rows[i].usable, "%s %s", rows[i].a,
		       rows[i].usable ? "usable" : "refused");
	}
}

int main(void)
{
	struct tr_err err;

	cr = craft_open_offline(&err);
	if (!ok(cr != NULL, "offline crafter opens"))
		return tap_done();
	test_ipv6_round_trip_every_flag_combination();
	test_ipv6_round_trip_options_payload_and_ip_fields();
	test_ipv6_checksum_matches_hand_computed();
	test_ipv6_decoder_walks_and_skips();
	test_ipv6_lab_usable_addresses();
	craft_close(cr);
	return tap_done();
}
