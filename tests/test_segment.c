/* Unit tests for the segment model: flags, options, notation, checksums. */
#include <arpa/inet.h>
#include <string.h>

#include "core/segment.h"
#include "tap.h"

static void test_flags_round_trip_every_combination(void)
{
	int bad = 0;

	for (unsigned f = 0; f < 256; f++) {
		char buf[9];
		uint8_t back = 0;
		size_t pos;

		segment_flags_format((uint8_t)f, buf);
		if (segment_flags_parse(buf, strlen(buf), &back, &pos) || back != f)
			bad++;
	}
	is_int(bad, 0, "flags: all 256 combinations format and parse back");
}

static void test_flags_in_packetdrill_order(void)
{
	char buf[9];

	is_str(segment_flags_format(SEG_SYN | SEG_ACK, buf), "S.", "SYN-ACK is 'S.'");
	is_str(segment_flags_format(SEG_FIN | SEG_ACK | SEG_PSH, buf), "FP.",
	       "FIN+PSH+ACK is 'FP.'");
	is_str(segment_flags_format(SEG_RST | SEG_ACK, buf), "R.", "RST-ACK is 'R.'");
	is_str(segment_flags_format(0, buf), "-", "no flags is '-'");
	is_str(segment_flags_format(0xff, buf), "SFRP.UEW", "all flags");
}

static void test_flags_parse_names_bad_letter(void)
{
	uint8_t f;
	size_t bad = 99;

	ok(segment_flags_parse("S.X", 3, &f, &bad) == -1, "unknown flag letter rejected");
	is_int(bad, 2, "offset of the unknown letter");
}

static void add_all_options(struct segment *s)
{
	struct seg_opt *o;

	o = segment_opt_add(s, SEG_OPT_MSS);
	o->v.mss = 1460;
	segment_opt_add(s, SEG_OPT_SACK_PERM);
	o = segment_opt_add(s, SEG_OPT_TS);
	o->v.ts.val = 0x01020304;
	o->v.ts.ecr = 0xa0b0c0d0;
	segment_opt_add(s, SEG_OPT_NOP);
	o = segment_opt_add(s, SEG_OPT_WSCALE);
	o->v.wscale = 7;
}

static void test_options_encode_exact_bytes(void)
{
	static const uint8_t want[] = {
		2, 4, 0x05, 0xb4,              /* mss 1460 */
		4, 2,                          /* sackOK */
		8, 10, 1, 2, 3, 4, 0xa0, 0xb0, 0xc0, 0xd0, /* TS */
		1,                             /* nop */
		3, 3, 7,                       /* wscale 7 */
	};
	struct segment s;
	uint8_t out[SEG_OPT_SPACE];
	size_t len = 0;
	struct tr_err err;

	segment_init(&s);
	add_all_options(&s);
	ok(segment_opts_encode(&s, out, &len, &err) == 0, "options encode");
	is_int(len, sizeof(want), "20 bytes, already aligned");
	ok(memcmp(out, want, sizeof(want)) == 0, "bytes in the order given");
}

static void test_options_padded_with_eol_to_four(void)
{
	struct segment s;
	uint8_t out[SEG_OPT_SPACE];
	size_t len = 0;
	struct tr_err err;
	struct seg_opt *o;

	segment_init(&s);
	o = segment_opt_add(&s, SEG_OPT_MSS);
	o->v.mss = 1000;
	segment_opt_add(&s, SEG_OPT_NOP);
	ok(segment_opts_encode(&s, out, &len, &err) == 0, "mss,nop encodes");
	is_int(len, 8, "5 bytes padded to 8");
	ok(out[5] == 0 && out[6] == 0 && out[7] == 0, "padding is EOL (0)");
}

static void test_options_over_40_bytes_is_an_error(void)
{
	struct segment s;
	uint8_t out[SEG_OPT_SPACE];
	size_t len = 0;
	struct tr_err err = { 0 };
	struct seg_opt *o;

	segment_init(&s);
	o = segment_opt_add(&s, SEG_OPT_SACK);
	o->v.sack.n = 4;
	o->len = 34;
	o = segment_opt_add(&s, SEG_OPT_TS);
	ok(segment_opts_encode(&s, out, &len, &err) == -1, "44 bytes rejected");
	is_int(err.status, TR_USAGE, "as bad input");
	ok(strstr(err.msg, "44 bytes") != NULL, "message names the size: %s", err.msg);

	segment_init(&s);
	for (int i = 0; i < 40; i++)
		segment_opt_add(&s, SEG_OPT_NOP);
	ok(segment_opts_encode(&s, out, &len, &err) == 0 && len == 40,
	   "exactly 40 bytes fit");
	s.nopts = 37;
	o = segment_opt_add(&s, SEG_OPT_MSS);
	ok(segment_opts_encode(&s, out, &len, &err) == -1, "41 bytes do not");
}

static void test_options_decode_round_trip(void)
{
	struct segment s, d;
	uint8_t out[SEG_OPT_SPACE];
	size_t len;
	struct tr_err err;
	struct seg_opt *o;

	segment_init(&s);
	add_all_options(&s);
	o = segment_opt_add(&s, SEG_OPT_SACK);
	o->v.sack.n = 2;
	o->len = 18;
	o->v.sack.b[0] = (struct seg_sack_block){ 100, 200 };
	o->v.sack.b[1] = (struct seg_sack_block){ 300, 0xffffffff };
	ok(segment_opts_encode(&s, out, &len, &err) == 0, "encode");
	segment_init(&d);
	ok(segment_opts_decode(&d, out, len, &err) == 0, "decode");
	/* The encoder padded 38 bytes to 40 with two EOLs, which decode too. */
	is_int(d.nopts, s.nopts + 2, "every option back, plus padding");
	for (unsigned i = 0; i < s.nopts; i++)
		ok(d.opts[i].kind == s.opts[i].kind && d.opts[i].len == s.opts[i].len,
		   "option %u kind %u len %u", i, s.opts[i].kind, s.opts[i].len);
	ok(segment_opt_find(&d, SEG_OPT_TS)->v.ts.ecr == 0xa0b0c0d0, "TS ecr");
	ok(segment_opt_find(&d, SEG_OPT_MSS)->v.mss == 1460, "mss");
	ok(segment_opt_find(&d, SEG_OPT_WSCALE)->v.wscale == 7, "wscale");
	ok(segment_opt_find(&d, SEG_OPT_SACK)->v.sack.b[1].right == 0xffffffff,
	   "sack block");
}

static void test_options_decode_rejects_bad_lengths(void)
{
	static const uint8_t truncated_ts[] = { 8, 10, 1, 2 };
	static const uint8_t mss_len_3[] = { 2, 3, 5, 0 };
	static const uint8_t no_len_byte[] = { 1, 1, 1, 2 };
	struct segment s;
	struct tr_err err;

	ok(segment_opts_decode(&s, truncated_ts, 4, &err) == -1, "TS running past the header");
	ok(segment_opts_decode(&s, mss_len_3, 4, &err) == -1, "mss with length 3");
	ok(segment_opts_decode(&s, no_len_byte, 4, &err) == -1, "kind without length byte");
}

static void test_notation_printer(void)
{
	struct segment s;
	char buf[256];
	struct seg_opt *o;

	segment_init(&s);
	s.flags = SEG_SYN | SEG_ACK;
	s.ack = 1001;
	s.win = 65160;
	o = segment_opt_add(&s, SEG_OPT_MSS);
	o->v.mss = 1460;
	segment_opt_add(&s, SEG_OPT_SACK_PERM);
	o = segment_opt_add(&s, SEG_OPT_TS);
	o->v.ts.val = 2817;
	o->v.ts.ecr = 100;
	segment_opt_add(&s, SEG_OPT_NOP);
	o = segment_opt_add(&s, SEG_OPT_WSCALE);
	o->v.wscale = 7;
	segment_format(&s, buf, sizeof(buf));
	is_str(buf, "S. 0:0(0) ack 1001 win 65160 <mss 1460,sackOK,TS val 2817 ecr 100,nop,wscale 7>",
	       "SYN-ACK in script notation");

	segment_init(&s);
	s.flags = SEG_PSH | SEG_ACK;
	s.seq = 1;
	s.payload_len = 1000;
	s.ack = 1;
	s.win = 257;
	segment_format(&s, buf, sizeof(buf));
	is_str(buf, "P. 1:1001(1000) ack 1 win 257", "data segment, no options");

	segment_init(&s);
	s.flags = SEG_RST;
	s.seq = 5;
	segment_format(&s, buf, sizeof(buf));
	is_str(buf, "R 5:5(0) win 0", "bare RST prints no ack");

	segment_init(&s);
	o = segment_opt_add(&s, SEG_OPT_SACK);
	o->v.sack.n = 2;
	o->v.sack.b[0] = (struct seg_sack_block){ 1, 2 };
	o->v.sack.b[1] = (struct seg_sack_block){ 3, 4 };
	segment_opt_add(&s, SEG_OPT_EOL);
	segment_opts_format(&s, buf, sizeof(buf));
	is_str(buf, "<sack 1:2 3:4,eol>", "sack blocks and eol");

	ok(segment_format(&s, buf, 4) > 4 && strlen(buf) == 3,
	   "a short buffer is truncated, the full length reported");
}

static void test_checksum_rfc1071_example(void)
{
	/* RFC 1071 section 3's worked example: the folded sum is 0xddf2. */
	static const uint8_t bytes[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	is_int(inet_csum_fold(inet_csum_add(0, bytes, sizeof(bytes))),
	       (uint16_t)~0xddf2, "RFC 1071 example");
	is_int(inet_csum_fold(inet_csum_add(0, bytes, 3)),
	       (uint16_t)~(0x0001 + 0xf200), "odd length pads with a zero byte");
}

int main(void)
{
	test_flags_round_trip_every_combination();
	test_flags_in_packetdrill_order();
	test_flags_parse_names_bad_letter();
	test_options_encode_exact_bytes();
	test_options_padded_with_eol_to_four();
	test_options_over_40_bytes_is_an_error();
	test_options_decode_round_trip();
	test_options_decode_rejects_bad_lengths();
	test_notation_printer();
	test_checksum_rfc1071_example();
	return tap_done();
}
