/* Unit tests for the crafter, offline: frames built by libnet decode back to
 * the segment they came from, with checksums computed by hand. */
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

static bool same_segment(const struct segment *a, const struct segment *b)
{
	if (a->sport != b->sport || a->dport != b->dport || a->seq != b->seq ||
	    a->ack != b->ack || a->flags != b->flags || a->win != b->win ||
	    a->urg != b->urg || a->ttl != b->ttl || a->tos != b->tos ||
	    a->ip_id != b->ip_id || a->payload_len != b->payload_len ||
	    memcmp(&a->src.v4, &b->src.v4, 4) || memcmp(&a->dst.v4, &b->dst.v4, 4))
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
	       !back->bad_csum && same_segment(s, back);
}

static void test_round_trip_every_flag_combination(void)
{
	struct segment s, back;
	int bad = 0;

	for (unsigned f = 0; f < 256; f++) {
		fixture_base_segment(&s);
		s.flags = (uint8_t)f;
		s.ack = 0xdeadbeef;
		s.urg = 7;
		if (!round_trip(&s, &back))
			bad++;
	}
	is_int(bad, 0, "all 256 flag combinations survive build and decode");
}

static void test_round_trip_every_option(void)
{
	static const uint8_t kinds[] = { SEG_OPT_MSS, SEG_OPT_SACK_PERM, SEG_OPT_TS,
					 SEG_OPT_WSCALE, SEG_OPT_NOP, SEG_OPT_SACK,
					 SEG_OPT_EOL };
	struct segment s, back;

	for (size_t i = 0; i < sizeof(kinds); i++) {
		struct seg_opt *o;

		fixture_base_segment(&s);
		o = segment_opt_add(&s, kinds[i]);
		if (kinds[i] == SEG_OPT_MSS) {
			o->v.mss = 1234;
		} else if (kinds[i] == SEG_OPT_TS) {
			o->v.ts.val = 4000000000u;
			o->v.ts.ecr = 17;
		} else if (kinds[i] == SEG_OPT_WSCALE) {
			o->v.wscale = 14;
		} else if (kinds[i] == SEG_OPT_SACK) {
			o->v.sack.n = 3;
			o->v.sack.b[2] = (struct seg_sack_block){ 5, 9 };
		}
		ok(round_trip(&s, &back), "option kind %u round trip", kinds[i]);
	}
}

static void test_round_trip_ip_fields_and_payload(void)
{
	struct segment s, back;
	uint8_t data[100];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	fixture_base_segment(&s);
	s.flags = SEG_PSH | SEG_ACK;
	s.ttl = 3;
	s.tos = 0x10;
	s.ip_id = 4242;
	s.payload = data;
	s.payload_len = sizeof(data);
	ok(round_trip(&s, &back), "TTL, TOS, IP ID, payload length");
	ok(memcmp(back.payload, data, sizeof(data)) == 0, "payload bytes");

	s.payload = NULL;
	ok(round_trip(&s, &back) && back.payload[0] == 0 && back.payload[99] == 0,
	   "a payload given by length only is zeros");
}

/* 192.0.2.2:40000 -> 192.0.2.1:8080 SYN seq 1000 win 65535, TTL 64, DF, ID 0.
 * Sums worked by hand, 16-bit words:
 *   IP:  4500+0028+0000+4000+4006+c000+0202+c000+0201 = 0x24931 -> 0x4933 -> ~ 0xb6cc
 *   TCP: pseudo c000+0202+c000+0201+0006+0014 = 0x1841d,
 *        header 9c40+1f90+0000+03e8+0000+0000+5002+ffff+0000 = 0x20fb9,
 *        total 0x393d6 -> 0x93d9 -> ~ 0x6c26 */
static void test_checksums_match_hand_computed(void)
{
	struct segment s;
	struct tr_err err;
	const uint8_t *ip = frame.bytes + 14, *tcp = frame.bytes + 34;

	fixture_base_segment(&s);
	ok(craft_build(cr, &s, &l2, &frame, &err) == 0, "build");
	is_int(frame.len, 54, "14 + 20 + 20 bytes");
	is_int(ip[10] << 8 | ip[11], 0xb6cc, "IPv4 header checksum");
	is_int(tcp[16] << 8 | tcp[17], 0x6c26, "TCP checksum");
	ok(memcmp(frame.bytes, l2.dst, 6) == 0 && memcmp(frame.bytes + 6, l2.src, 6) == 0,
	   "Ethernet addresses");

	s.bad_csum = true;
	ok(craft_build(cr, &s, &l2, &frame, &err) == 0, "build with a bad checksum");
	ok((tcp[16] << 8 | tcp[17]) != 0x6c26, "the TCP checksum differs");
	is_int(ip[10] << 8 | ip[11], 0xb6cc, "the IP checksum is still right");
}

static void test_bad_checksum_is_seen_by_the_decoder(void)
{
	struct segment s, back;
	struct tr_err err;

	fixture_base_segment(&s);
	s.bad_csum = true;
	segment_opt_add(&s, SEG_OPT_SACK_PERM);
	ok(craft_build(cr, &s, &l2, &frame, &err) == 0 &&
	   segment_decode_frame(&back, frame.bytes, frame.len, &err) == 1 &&
	   back.bad_csum, "decoder flags the checksum");
}

static void test_option_overflow_refused(void)
{
	struct segment s;
	struct tr_err err = { 0 };

	fixture_base_segment(&s);
	for (int i = 0; i < 5; i++)
		segment_opt_add(&s, SEG_OPT_TS);
	ok(craft_build(cr, &s, &l2, &frame, &err) == -1, "50 bytes of options refused");
	is_int(err.status, TR_USAGE, "as bad input");
	ok(strstr(err.msg, "50 bytes") != NULL, "names the size: %s", err.msg);
}

static void test_rebuild_leaves_no_state_behind(void)
{
	struct segment a, b, back;

	/* The crafter reuses one libnet context; a bigger segment built before
	 * must not leak options into the next. */
	fixture_base_segment(&a);
	for (int i = 0; i < 4; i++)
		segment_opt_add(&a, SEG_OPT_TS);
	fixture_base_segment(&b);
	ok(round_trip(&a, &back) && round_trip(&b, &back) && back.nopts == 0 &&
	   frame.len == 54, "second build carries no option of the first");
}

int main(void)
{
	struct tr_err err;

	cr = craft_open_offline(&err);
	if (!ok(cr != NULL, "offline crafter opens"))
		return tap_done();
	test_round_trip_every_flag_combination();
	test_round_trip_every_option();
	test_round_trip_ip_fields_and_payload();
	test_checksums_match_hand_computed();
	test_bad_checksum_is_seen_by_the_decoder();
	test_option_overflow_refused();
	test_rebuild_leaves_no_state_behind();
	craft_close(cr);
	return tap_done();
}
