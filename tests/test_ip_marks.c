/* test_ip_marks.c - packetdrill's IP marks on packet lines (`[ect0]`,
 * `[ce]`, `[ect01]`, `[tos 0x..]`): what the parser keeps, where it says
 * no, and what the matcher checks and reports. */
#include "run/match.h"

#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "seg_fixture.h"
#include "tap.h"

static void test_marks_set_the_tos_byte_of_injected_segments(void)
{
	static const struct {
		const char *mark;
		unsigned tos;
	} marks[] = { {"[noecn]", 0}, {"[ect1]", 1}, {"[ect0]", 2}, {"[ce]", 3},
		      {"(ce)", 3}, {"[tos 0xb8]", 0xb8} };
	char text[128];

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		snprintf(text, sizeof(text), "< %s P. 1:11(10) ack 1 win 100", marks[i].mark);
		is_int(fixture_packet(text).seg.tos, marks[i].tos, "%s: TOS byte 0x%02x", marks[i].mark,
		       marks[i].tos);
	}
	is_int(fixture_packet("< P. 1:11(10) ack 1 win 100").seg.tos, 0, "no mark: 0, as packetdrill");
	ok(fixture_packet("< [ect0] 40000>8080 S 0:0(0) win 100").given & CASE_PKT_PORTS,
	   "ports may follow the mark");
}

static void test_bad_marks_are_errors_at_their_column(void)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"0 < [ect01] S 0:0(0) win 1\n",
	     "b.pkt:1:6: [ect01] (ECT(0) or ECT(1)) is allowed only on '>' lines"},
	    {"0 > [ect2] S 0:0(0)\n",
	     "b.pkt:1:6: expected an IP mark: noecn, ect0, ect1, ce, ect01 or tos 0xNN, got 'ect2'"},
	    {"0 > [ttl 64] S 0:0(0)\n", "b.pkt:1:6: the IP mark 'ttl' is not supported"},
	    {"0 > [ect0 S 0:0(0)\n", "b.pkt:1:11: expected ']' after the IP mark, got 'S'"},
	    {"0 > [tos 0x100] S 0:0(0)\n", "b.pkt:1:10: tos"},
	    {"+0~+1 > [ce] nothing\n", "b.pkt:1:14: '> nothing' takes no IP mark"},
	};
	struct case_script s;
	struct tr_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		ok(case_parse_string("b.pkt", bad[i].text, &s, &err) != 0 &&
		       strstr(err.msg, bad[i].msg) != NULL,
		   "refused: %s", bad[i].msg);
	}
}

static bool check(const char *want, unsigned actual_tos, struct match_result *r)
{
	struct case_packet p = fixture_packet(want);
	struct segment a = fixture_packet("> P. 1:11(10) ack 1").seg;

	a.tos = (uint8_t)actual_tos;
	return match_segment(&(struct match_args){ .given = p.given, .exp_wire = &p.seg,
						   .act_wire = &a },
			     r);
}

static void test_matcher_checks_the_marks_a_line_writes(void)
{
	struct match_result r;

	ok(check("> P. 1:11(10) ack 1", 3, &r), "no mark: the TOS byte is not checked");
	ok(check("> [ect0] P. 1:11(10) ack 1", 0x02, &r), "[ect0] holds for ECT(0)");
	ok(check("> [ect0] P. 1:11(10) ack 1", 0xb6, &r), "whatever the DSCP bits say");
	ok(!check("> [ect0] P. 1:11(10) ack 1", 0x01, &r), "not for ECT(1)");
	is_str(r.message, "ip ecn: expected ect0, actual ect1", "and says so");
	ok(!check("> [noecn] P. 1:11(10) ack 1", 0x03, &r), "[noecn] fails on CE");
	is_str(r.message, "ip ecn: expected noecn, actual ce", "named");
	ok(check("> [ect01] P. 1:11(10) ack 1", 0x01, &r) &&
	       check("> [ect01] P. 1:11(10) ack 1", 0x02, &r),
	   "[ect01] holds for either ECT");
	ok(!check("> [ect01] P. 1:11(10) ack 1", 0x00, &r), "not for not-ECT");
	is_str(r.message, "ip ecn: expected ect0 or ect1, actual noecn", "said as both");
	ok(!check("> [tos 0x10] P. 1:11(10) ack 1", 0x12, &r), "[tos] checks the whole byte");
	is_str(r.message, "ip tos: expected 0x10, actual 0x12", "in hex");
}

static void test_match_report_shows_the_marks(void)
{
	struct match_result r;
	struct case_packet p = fixture_packet("> [ect0] P. 1:11(10) ack 1");
	struct segment a = fixture_packet("> P. 1:11(10) ack 1 win 10").seg;
	char buf[512];

	ok(!check("> [ect0] P. 1:11(10) ack 1", 0, &r), "a mismatch");
	match_report(buf, sizeof(buf), "e.pkt:3", "+0 > [ect0] P. 1:11(10) ack 1", &p, &a, &r);
	is_str(buf,
	       "e.pkt:3: +0 > [ect0] P. 1:11(10) ack 1\n"
	       "  expected: [ect0] P. 1:11(10) ack 1 win 10\n"
	       "  actual:   [noecn] P. 1:11(10) ack 1 win 10\n"
	       "  ip ecn: expected ect0, actual noecn\n",
	       "the marks in front of both segments");
}

int main(void)
{
	test_marks_set_the_tos_byte_of_injected_segments();
	test_bad_marks_are_errors_at_their_column();
	test_matcher_checks_the_marks_a_line_writes();
	test_match_report_shows_the_marks();
	return tap_done();
}
