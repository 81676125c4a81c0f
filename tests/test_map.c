/* test_map.c - script numbers <-> wire numbers: ISNs, incarnations, TS val
 * and ecr, learning only from a candidate that matches. */
#include "run/map.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "case/case.h"
#include "run/match.h"
#include "seg_fixture.h"
#include "tap.h"

#define TOL 5 /* TS units */

/* A live segment from the target, written in script notation. */
static struct segment live(const char *text)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "> %s", text);
	return fixture_packet(buf).seg;
}

static struct map_tuple tuple(uint16_t rig_port, uint16_t target_port)
{
	struct map_tuple t = {.family = AF_INET, .rig_port = rig_port, .target_port = target_port};

	inet_pton(AF_INET, "192.0.2.1", &t.rig.v4);
	inet_pton(AF_INET, "192.0.2.2", &t.target.v4);
	return t;
}

/* Sends a `<` line; returns the wire segment. */
static struct segment inject(struct map *m, const struct map_tuple *t, const char *text)
{
	struct case_packet p = fixture_packet(text);
	struct segment w;
	struct tr_err err;

	if (map_outbound(m, t, &p, &w, &err)) {
		printf("# map_outbound '%s': %s\n", text, err.msg);
		memset(&w, 0xff, sizeof(w));
	}
	return w;
}

/* What the runner does with a candidate for a `>` line: map, match, and
 * commit only on a match. */
static bool expect(struct map *m, const struct map_tuple *t, const char *text,
		   const struct segment *seg, struct match_result *r)
{
	struct case_packet p = fixture_packet(text);
	struct segment wire = *seg, exp, view;
	struct map_learned l;
	struct tr_err err;

	wire.family = t->family;
	wire.src = t->target;
	wire.dst = t->rig;
	wire.sport = t->target_port;
	wire.dport = t->rig_port;
	if (map_expected(m, t, &p, &wire, &exp, &l, &err)) {
		printf("# map_expected '%s': %s\n", text, err.msg);
		return false;
	}
	map_to_script(m, t, MAP_FROM_TARGET, &wire, &l, &view);
	if (!match_segment(&(struct match_args){.given = p.given,
						.exp_wire = &exp,
						.act_wire = &wire,
						.exp_script = &p.seg,
						.act_script = &view,
						.ts_tolerance = TOL},
			   r))
		return false;
	return map_commit(m, &l, &err) == 0;
}

static const struct seg_opt *ts(const struct segment *s)
{
	static const struct seg_opt none;
	const struct seg_opt *o = segment_opt_find(s, SEG_OPT_TS);

	return o ? o : &none;
}

/* The handshake of DESIGN.md's example: rig ISN 0, target ISN 3e9, target
 * TS clock 5000 ahead of the script. */
static void passive_open(struct map *m, const struct map_tuple *t)
{
	struct match_result r;
	struct segment sa = live("S. 3000000000:3000000000(0) ack 1 win 65160 "
				 "<mss 1460,sackOK,TS val 5700 ecr 100,nop,wscale 7>");

	inject(m, t, "< S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>");
	if (!expect(m, t, "> S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>",
		    &sa, &r))
		printf("# handshake did not match: %s\n", r.message);
}

static void test_isn_learned_from_syn_ack_then_relative(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, seg;

	map_init(&m);
	passive_open(&m, &t);
	ok(map_current(&m, &t) && map_current(&m, &t)->tgt_known, "target ISN learned");
	is_int(map_current(&m, &t)->tgt_isn, 3000000000u, "from the SYN-ACK's seq");

	w = inject(&m, &t, "< . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 700>");
	is_int(w.seq, 1, "rig seq relative to its ISN 0");
	is_int(w.ack, 3000000001u, "rig ack relative to the target's ISN");
	is_int(w.sport, 40000, "source port is the rig's");
	is_int(w.dport, 8080, "destination port is the target's");
	ok(w.src.v4.s_addr == t.rig.v4.s_addr && w.dst.v4.s_addr == t.target.v4.s_addr,
	   "addresses from the tuple");

	seg = live("P. 3000000001:3000000101(100) ack 1 win 502 <nop,nop,TS val 5710 ecr 110>");
	ok(expect(&m, &t, "> P. 1:101(100) ack 1 <nop,nop,TS val 710 ecr 110>", &seg, &r),
	   "target data at relative seq 1 matches");
	seg.seq++;
	ok(!expect(&m, &t, "> P. 1:101(100) ack 1 <nop,nop,TS val 710 ecr 110>", &seg, &r),
	   "one byte off does not");
	is_str(r.message, "tcp seq: expected 1, actual 2", "named in relative numbers");
	map_free(&m);
}

static void test_rig_isn_is_what_its_syn_line_writes(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, sa = live("S. 77:77(0) ack 1001 win 100");

	map_init(&m);
	w = inject(&m, &t, "< S 1000:1000(0) win 100");
	is_int(w.seq, 1000, "a SYN's seq goes on the wire as written");
	ok(expect(&m, &t, "> S. 0:0(0) ack 1", &sa, &r), "target acks ISN+1 = 'ack 1'");
	w = inject(&m, &t, "< . 1:11(10) ack 1 win 100");
	is_int(w.seq, 1001, "later rig seqs are relative to 1000");
	is_int(w.ack, 78, "and acks relative to the target's ISN 77");
	map_free(&m);
}

static void test_second_syn_starts_new_incarnation(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, sa;

	map_init(&m);
	passive_open(&m, &t);
	inject(&m, &t, "< S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>");
	is_int(map_incarnations(&m, &t), 1, "a retransmitted SYN (same ISN) is no new incarnation");

	w = inject(&m, &t, "< S 500000:500000(0) win 100 <TS val 50 ecr 0>");
	is_int(map_incarnations(&m, &t), 2, "a SYN with a new ISN starts incarnation 2");
	is_int(w.seq, 500000, "its ISN as written");
	is_int(ts(&w)->v.ts.val, 50, "an old rig TS val goes on the wire as written (PAWS)");
	ok(!map_current(&m, &t)->tgt_known, "the target's ISN is not carried over");
	ok(!map_current(&m, &t)->ts_known, "nor the TS offset");

	sa = live("S. 123:123(0) ack 500001 win 100 <TS val 9000 ecr 50>");
	ok(expect(&m, &t, "> S. 0:0(0) ack 1 <TS val 900 ecr 50>", &sa, &r),
	   "the new SYN-ACK matches: ack relative to the new rig ISN");
	is_int(map_current(&m, &t)->tgt_isn, 123, "new target ISN");
	is_int(map_current(&m, &t)->ts_off, 8100, "new TS offset");
	is_int(m.flows[0].inc[0].tgt_isn, 3000000000u, "incarnation 1 kept with its ISN");
	is_int(m.flows[0].inc[0].ts_off, 5000, "and its TS offset");

	w = inject(&m, &t, "< . 1:1(0) ack 1 win 100 <TS val 60 ecr 900>");
	is_int(w.seq, 500001, "seq relative to incarnation 2's rig ISN");
	is_int(w.ack, 124, "ack relative to incarnation 2's target ISN");
	is_int(ts(&w)->v.ts.ecr, 9000, "ecr names incarnation 2's TS val");
	map_free(&m);
}

static void test_target_syn_with_new_isn_starts_new_incarnation(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment syn = live("S 42:42(0) win 100");

	map_init(&m);
	ok(expect(&m, &t, "> S 0:0(0)", &syn, &r), "target's active open");
	is_int(map_incarnations(&m, &t), 1, "the flow starts with its first SYN");
	ok(expect(&m, &t, "> S 0:0(0)", &syn, &r), "its retransmission");
	is_int(map_incarnations(&m, &t), 1, "same ISN: same incarnation");
	syn.seq = 4242;
	ok(expect(&m, &t, "> S 0:0(0)", &syn, &r), "a SYN with another ISN");
	is_int(map_incarnations(&m, &t), 2, "starts incarnation 2");
	is_int(map_current(&m, &t)->tgt_isn, 4242, "with that ISN");
	map_free(&m);
}

static void test_simultaneous_open_stays_one_incarnation(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment syn = live("S 42:42(0) win 100");

	map_init(&m);
	inject(&m, &t, "< S 7:7(0) win 100");
	ok(expect(&m, &t, "> S 0:0(0)", &syn, &r), "the target's SYN crosses the rig's");
	is_int(map_incarnations(&m, &t), 1, "one incarnation");
	is_int(map_current(&m, &t)->rig_isn, 7, "rig ISN kept");
	is_int(map_current(&m, &t)->tgt_isn, 42, "target ISN learned");
	map_free(&m);
}

static void test_ts_val_within_tolerance_after_offset_learned(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment seg;
	const char *want = "> . 1:1(0) ack 1 <nop,nop,TS val 710 ecr 100>";

	map_init(&m);
	passive_open(&m, &t);
	is_int(map_current(&m, &t)->ts_off, 5000, "offset = live - script from the first TS");
	seg = live(". 3000000001:3000000001(0) ack 1 win 502 <nop,nop,TS val 5715 ecr 100>");
	ok(expect(&m, &t, want, &seg, &r), "TS val 5 units late is within tolerance");
	seg.opts[2].v.ts.val = 5705;
	ok(expect(&m, &t, want, &seg, &r), "5 units early too");
	seg.opts[2].v.ts.val = 5716;
	ok(!expect(&m, &t, want, &seg, &r), "6 units late is not");
	is_str(r.field, "tcp option 3 (TS val)", "the TS val is named");
	is_str(r.message, "tcp option 3 (TS val): expected 710 (tolerance 5), actual 716",
	       "in script units");
	is_int(map_current(&m, &t)->ts_off, 5000, "a later TS val does not move the offset");
	map_free(&m);
}

static void test_ecr_naming_target_ts_val_maps_to_exact_live_value(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, seg;

	map_init(&m);
	passive_open(&m, &t);
	seg = live("P. 3000000001:3000000011(10) ack 1 win 502 <nop,nop,TS val 5803 ecr 100>");
	ok(expect(&m, &t, "> P. 1:11(10) ack 1 <nop,nop,TS val 800 ecr 100>", &seg, &r),
	   "target TS val drifted by 3 from the offset, within tolerance");
	w = inject(&m, &t, "< . 1:1(0) ack 11 win 257 <nop,nop,TS val 120 ecr 800>");
	is_int(ts(&w)->v.ts.ecr, 5803, "ecr 800 echoes exactly the 5803 the target sent");
	w = inject(&m, &t, "< . 1:1(0) ack 11 win 257 <nop,nop,TS val 120 ecr 700>");
	is_int(ts(&w)->v.ts.ecr, 5700, "an older TS val too (from the SYN-ACK)");
	w = inject(&m, &t, "< . 1:1(0) ack 11 win 257 <nop,nop,TS val 120 ecr 900>");
	is_int(ts(&w)->v.ts.ecr, 5900, "a value the target never sent maps through the offset");
	w = inject(&m, &t, "< . 1:1(0) ack 11 win 257 <nop,nop,TS val 120 ecr 0>");
	is_int(ts(&w)->v.ts.ecr, 0, "ecr 0 stays 0");
	is_int(ts(&w)->v.ts.val, 120, "the rig's TS val as written");
	map_free(&m);
}

static void test_ecr_after_unchecked_options_maps_by_offset_key(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, seg;

	map_init(&m);
	passive_open(&m, &t);
	seg = live(". 3000000001:3000000001(0) ack 1 win 502 <nop,nop,TS val 5902 ecr 100>");
	ok(expect(&m, &t, "> . 1:1(0) ack 1 <...>", &seg, &r), "'<...>' accepts any options");
	w = inject(&m, &t, "< . 1:1(0) ack 1 win 257 <nop,nop,TS val 120 ecr 902>");
	is_int(ts(&w)->v.ts.ecr, 5902, "its TS val is remembered under live - offset");
	map_free(&m);
}

static void test_ts_ecr_in_expect_checked_exactly(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment sa = live("S. 9:9(0) ack 1 win 100 <TS val 5700 ecr 101>");

	map_init(&m);
	inject(&m, &t, "< S 0:0(0) win 100 <TS val 100 ecr 0>");
	ok(!expect(&m, &t, "> S. 0:0(0) ack 1 <TS val 700 ecr 100>", &sa, &r),
	   "ecr one off the rig's TS val fails");
	is_str(r.message, "tcp option 1 (TS ecr): expected 100, actual 101",
	       "named, in the rig's own (unmapped) numbers");
	map_free(&m);
}

static void test_candidate_that_fails_teaches_nothing(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080), other = tuple(40001, 8080);
	struct match_result r;
	struct segment bad = live("S. 555:555(0) ack 2 win 100 <TS val 9999 ecr 100>");
	struct segment good = live("S. 777:777(0) ack 1 win 100 <TS val 5700 ecr 100>");
	const struct map_inc *c;

	map_init(&m);
	inject(&m, &t, "< S 0:0(0) win 100 <TS val 100 ecr 0>");
	ok(!expect(&m, &t, "> S. 0:0(0) ack 1 <TS val 700 ecr 100>", &bad, &r),
	   "a SYN-ACK with the wrong ack fails");
	is_str(r.field, "tcp ack", "on its ack");
	c = map_current(&m, &t);
	ok(!c->tgt_known, "its ISN is not learned");
	ok(!c->ts_known, "nor its TS offset");
	is_int(m.flows[0].ring_n, 0, "nor is its TS val remembered");
	ok(expect(&m, &t, "> S. 0:0(0) ack 1 <TS val 700 ecr 100>", &good, &r),
	   "the right one then matches");
	is_int(map_current(&m, &t)->tgt_isn, 777, "and teaches its ISN");
	is_int(map_current(&m, &t)->ts_off, 5000, "and its offset");

	bad = live("S 1:1(0) win 100");
	bad.flags = SEG_RST;
	ok(!expect(&m, &other, "> S 0:0(0)", &bad, &r), "a RST is no SYN");
	is_int(map_incarnations(&m, &other), 0, "an unmatched candidate creates no flow");
	map_free(&m);
}

static void test_ack_before_target_isn_is_an_error(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct case_packet p = fixture_packet("< . 1:1(0) ack 1 win 100");
	struct segment w;
	struct tr_err err = {0};

	map_init(&m);
	inject(&m, &t, "< S 0:0(0) win 100");
	ok(map_outbound(&m, &t, &p, &w, &err) == -1, "ack 1 before the target's SYN-ACK fails");
	ok(strstr(err.msg, "ack 1 is relative to the target's ISN, which is not known yet") != NULL,
	   "naming the unknown ISN: %s", err.msg);
	is_int(err.status, TR_USAGE, "a script error");
	p = fixture_packet("< . 1:1(0) win 100 <sack 1:2>");
	ok(map_outbound(&m, &t, &p, &w, &err) == -1 && strstr(err.msg, "sack block 1"),
	   "a sack block too");
	map_free(&m);
}

static void test_closed_port_numbers_are_absolute(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, rst = live("R 5:5(0) win 0");

	map_init(&m);
	w = inject(&m, &t, "< . 1000:1000(0) ack 5 win 100");
	is_int(w.seq, 1000, "no SYN from the rig: seq absolute");
	is_int(w.ack, 5, "no SYN from the target: ack absolute");
	ok(expect(&m, &t, "> R 5:5(0)", &rst, &r), "the RST's seq is the ack, absolute");

	map_free(&m);
	map_init(&m);
	inject(&m, &t, "< S 0:0(0) win 100");
	rst = live("R. 0:0(0) ack 1 win 0");
	ok(expect(&m, &t, "> R. 0:0(0) ack 1", &rst, &r), "RST-ACK to a SYN on a closed port");
	map_free(&m);
}

/* As in packetdrill: the seq a `>` SYN line writes names the target's ISN;
 * its other numbers count from the ISN itself. */
static void test_syn_expectation_names_isn(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment sa = live("S. 3000000000:3000000000(0) ack 1 win 65160"), w, d;

	map_init(&m);
	inject(&m, &t, "< S 0:0(0) win 32792");
	ok(expect(&m, &t, "> S. 1234:1234(0) ack 1", &sa, &r),
	   "'> S. 1234:1234(0)' matches the target's ISN 3000000000: %s", r.message);
	w = inject(&m, &t, "< . 1:1(0) ack 1 win 257");
	ok(w.ack == 3000000001u, "'ack 1' is the target's ISN + 1 on the wire: %u", w.ack);
	d = live("P. 3000000001:3000000011(10) ack 1 win 502");
	ok(expect(&m, &t, "> P. 1:11(10) ack 1", &d, &r), "its data counts from the ISN: %s",
	   r.message);
	d = live("P. 3000000011:3000000021(10) ack 1 win 502");
	ok(!expect(&m, &t, "> P. 1245:1255(10) ack 1", &d, &r), "not from the name: %s",
	   r.message);
	map_free(&m);
}

/* run --packetdrill: a SYN segment's ack is absolute (the rig's space) or
 * named (the target's), as tcpdump and packetdrill write it. */
static void test_syn_acks_absolute(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment sa = live("S. 77:77(0) ack 1001 win 65160"), w;

	map_init(&m);
	m.syn_acks_absolute = true;
	w = inject(&m, &t, "< S 1000:1000(0) win 32792");
	ok(w.seq == 1000, "the SYN's seq is its ISN, as ever: %u", w.seq);
	ok(expect(&m, &t, "> S. 0:0(0) ack 1001", &sa, &r), "the SYN-ACK's ack is written 1001: %s",
	   r.message);
	w = inject(&m, &t, "< . 1:1(0) ack 1 win 257");
	ok(w.seq == 1001 && w.ack == 78, "other numbers stay relative: seq %u ack %u", w.seq,
	   w.ack);
	map_free(&m);
	map_init(&m);
	w = inject(&m, &t, "< S 1000:1000(0) win 32792");
	ok(!expect(&m, &t, "> S. 0:0(0) ack 1001", &sa, &r),
	   "without it the SYN-ACK's ack is relative: %s", r.message);
	map_free(&m);
}

static void test_sack_blocks_relative_to_receiver(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, seg;

	map_init(&m);
	inject(&m, &t, "< S 1000:1000(0) win 100");
	seg = live("S. 50000:50000(0) ack 1001 win 100");
	expect(&m, &t, "> S. 0:0(0) ack 1", &seg, &r);
	w = inject(&m, &t, "< . 1:1(0) ack 1 win 100 <sack 101:201>");
	is_int(w.opts[0].v.sack.b[0].left, 50101, "rig's sack block in the target's numbers");
	is_int(w.opts[0].v.sack.b[0].right, 50201, "both edges");
	seg = live(". 50001:50001(0) ack 1001 win 100 <sack 1201:1301>");
	ok(expect(&m, &t, "> . 1:1(0) ack 1 <sack 201:301>", &seg, &r),
	   "target's sack block relative to the rig's ISN");
	seg.opts[0].v.sack.b[0].right++;
	ok(!expect(&m, &t, "> . 1:1(0) ack 1 <sack 201:301>", &seg, &r), "one edge off fails");
	is_str(r.message, "tcp option 1 (sack): expected 201:301, actual 201:302",
	       "in relative numbers");
	map_free(&m);
}

static void test_wraparound_of_32_bit_numbers(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct match_result r;
	struct segment w, seg;

	map_init(&m);
	w = inject(&m, &t, "< S 4294967295:4294967295(0) win 100 <TS val 4294967290 ecr 0>");
	is_int(w.seq, 4294967295u, "rig ISN at the top of sequence space");
	seg = live("S. 4294967290:4294967290(0) ack 0 win 100 <TS val 3 ecr 4294967290>");
	ok(expect(&m, &t, "> S. 0:0(0) ack 1 <TS val 4294967294 ecr 4294967290>", &seg, &r),
	   "target acks ISN+1 = 0 on the wire; TS offset wraps");
	w = inject(&m, &t, "< . 1:1(0) ack 1 win 100 <TS val 4 ecr 4294967294>");
	is_int(w.seq, 0, "rig seq 1 wraps to 0");
	is_int(w.ack, 4294967291u, "ack 1");
	is_int(ts(&w)->v.ts.ecr, 3, "ecr maps across the wrap");
	seg = live(". 1:11(10) ack 0 win 100 <TS val 4294967295 ecr 4>");
	ok(expect(&m, &t, "> . 7:17(10) ack 1 <TS val 4294967292 ecr 4>", &seg, &r),
	   "relative 7 is wire 1; TS val 2 units early across the wrap is within tolerance");
	seg.seq = 2;
	ok(!expect(&m, &t, "> . 7:17(10) ack 1 <TS val 4294967292 ecr 4>", &seg, &r),
	   "wire 2 is not");
	is_str(r.message, "tcp seq: expected 7, actual 8", "shown relative");
	map_free(&m);
}

static void test_flows_are_independent(void)
{
	struct map m;
	struct map_tuple a = tuple(40000, 8080), b = tuple(40001, 8080);
	struct segment w;

	map_init(&m);
	inject(&m, &a, "< S 100:100(0) win 100");
	inject(&m, &b, "< S 900:900(0) win 100");
	w = inject(&m, &a, "< . 1:1(0) win 100");
	is_int(w.seq, 101, "flow a keeps its ISN");
	w = inject(&m, &b, "< . 1:1(0) win 100");
	is_int(w.seq, 901, "flow b its own");
	is_int(map_incarnations(&m, &a), 1, "neither starts an incarnation of the other");
	map_free(&m);
}

static void test_to_script_view_for_reports(void)
{
	struct map m;
	struct map_tuple t = tuple(40000, 8080);
	struct segment seg, view;
	char buf[256];

	map_init(&m);
	passive_open(&m, &t);
	seg = live("P. 3000000001:3000000101(100) ack 1 win 502 <nop,nop,TS val 5710 ecr 110>");
	map_to_script(&m, &t, MAP_FROM_TARGET, &seg, NULL, &view);
	segment_format(&view, buf, sizeof(buf));
	is_str(buf, "P. 1:101(100) ack 1 win 502 <nop,nop,TS val 710 ecr 110>",
	       "target segment in relative numbers, TS val mapped back");
	seg = live(". 1:1(0) ack 3000000101 win 257 <nop,nop,TS val 120 ecr 5710>");
	map_to_script(&m, &t, MAP_TO_TARGET, &seg, NULL, &view);
	segment_format(&view, buf, sizeof(buf));
	is_str(buf, ". 1:1(0) ack 101 win 257 <nop,nop,TS val 120 ecr 710>",
	       "rig segment too, ecr mapped back");
	map_free(&m);
}

int main(void)
{
	test_isn_learned_from_syn_ack_then_relative();
	test_rig_isn_is_what_its_syn_line_writes();
	test_second_syn_starts_new_incarnation();
	test_target_syn_with_new_isn_starts_new_incarnation();
	test_simultaneous_open_stays_one_incarnation();
	test_ts_val_within_tolerance_after_offset_learned();
	test_ecr_naming_target_ts_val_maps_to_exact_live_value();
	test_ecr_after_unchecked_options_maps_by_offset_key();
	test_ts_ecr_in_expect_checked_exactly();
	test_candidate_that_fails_teaches_nothing();
	test_ack_before_target_isn_is_an_error();
	test_closed_port_numbers_are_absolute();
	test_syn_expectation_names_isn();
	test_syn_acks_absolute();
	test_sack_blocks_relative_to_receiver();
	test_wraparound_of_32_bit_numbers();
	test_flows_are_independent();
	test_to_script_view_for_reports();
	return tap_done();
}
