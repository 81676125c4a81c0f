/* test_match.c - the matcher names the first differing field, checks only
 * what the line wrote, and reports in script notation. */
#include "run/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "seg_fixture.h"
#include "tap.h"

#define TOL 5 /* TS units */

/* A `>` line as the parser makes it. */
static struct case_packet line(const char *text)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "> %s", text);
	return fixture_packet(buf);
}

static bool check(const char *want, const struct segment *actual, struct match_result *r)
{
	struct case_packet p = line(want);

	return match_segment(
	    &(struct match_args){
		.given = p.given, .exp_wire = &p.seg, .act_wire = actual, .ts_tolerance = TOL},
	    r);
}

static bool check_text(const char *want, const char *actual, struct match_result *r)
{
	struct segment a = line(actual).seg;

	return check(want, &a, r);
}

#define BASE_OPTS "<mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>"
#define BASE "P. 1:101(100) ack 1 win 500 " BASE_OPTS

static void test_matcher_accepts_identical_segment(void)
{
	struct match_result r;

	ok(check_text(BASE, BASE, &r), "a segment matches itself");
	ok(r.ok && r.field[0] == '\0' && r.message[0] == '\0', "and the result says nothing");
}

static void test_matcher_reports_first_differing_field(void)
{
	static const struct {
		const char *actual, *field, *message;
	} cases[] = {
	    {". 1:101(100) ack 1 win 500 " BASE_OPTS, "tcp flags",
	     "tcp flags: expected P., actual ."},
	    {"P. 2:102(100) ack 1 win 500 " BASE_OPTS, "tcp seq", "tcp seq: expected 1, actual 2"},
	    {"P. 1:51(50) ack 1 win 500 " BASE_OPTS, "tcp len",
	     "tcp len: expected 1:101(100), actual 1:51(50)"},
	    {"P. 1:101(100) ack 2 win 500 " BASE_OPTS, "tcp ack", "tcp ack: expected 1, actual 2"},
	    {"P. 1:101(100) ack 1 win 501 " BASE_OPTS, "tcp win",
	     "tcp win: expected 500, actual 501"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1400,sackOK,TS val 700 ecr 100,nop,wscale 7>",
	     "tcp option 1 (mss)", "tcp option 1 (mss): expected 1460, actual 1400"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,nop,TS val 700 ecr 100,nop,wscale 7>",
	     "tcp option 2", "tcp option 2: expected sackOK, actual nop"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 706 ecr 100,nop,wscale 7>",
	     "tcp option 3 (TS val)",
	     "tcp option 3 (TS val): expected 700 (tolerance 5), actual 706"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 700 ecr 99,nop,wscale 7>",
	     "tcp option 3 (TS ecr)", "tcp option 3 (TS ecr): expected 100, actual 99"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 700 ecr 100,wscale 7,nop>",
	     "tcp option 4", "tcp option 4: expected nop, actual wscale 7"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 8>",
	     "tcp option 5 (wscale)", "tcp option 5 (wscale): expected 7, actual 8"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 700 ecr 100,nop>", "tcp option 5",
	     "tcp option 5: expected wscale 7, actual none"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7,nop>",
	     "tcp option 6", "tcp option 6: expected none, actual nop"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 700 ecr 100,eol,wscale 7>",
	     "tcp option 4", "tcp option 4: expected nop, actual eol"},
	    /* Several differ: the earliest in the fixed order wins. */
	    {". 2:102(100) ack 2 win 501 " BASE_OPTS, "tcp flags",
	     "tcp flags: expected P., actual ."},
	    {"P. 1:51(50) ack 2 win 500 " BASE_OPTS, "tcp len",
	     "tcp len: expected 1:101(100), actual 1:51(50)"},
	    {"P. 1:101(100) ack 2 win 501 <mss 1460,sackOK,TS val 700 ecr 99,nop,wscale 7>",
	     "tcp ack", "tcp ack: expected 1, actual 2"},
	    {"P. 1:101(100) ack 1 win 501 <mss 1460,sackOK,TS val 700 ecr 99,nop,wscale 7>",
	     "tcp win", "tcp win: expected 500, actual 501"},
	    {"P. 1:101(100) ack 1 win 500 <mss 1460,sackOK,TS val 799 ecr 99,nop,wscale 7>",
	     "tcp option 3 (TS val)",
	     "tcp option 3 (TS val): expected 700 (tolerance 5), actual 799"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct match_result r;

		ok(!check_text(BASE, cases[i].actual, &r), "'%s' does not match", cases[i].actual);
		is_str(r.field, cases[i].field, "case %zu: the field", i);
		is_str(r.message, cases[i].message, "case %zu: the message", i);
	}
}

static void test_matcher_reports_urg(void)
{
	struct match_result r;

	ok(!check_text("P.U 1:11(10) ack 1 urg 5", "P.U 1:11(10) ack 1 urg 6", &r),
	   "urgent pointer differs");
	is_str(r.message, "tcp urg: expected 5, actual 6", "named 'tcp urg'");
	ok(check_text("P. 1:11(10) ack 1", "P. 1:11(10) ack 1 urg 6", &r),
	   "not checked when the line wrote none");
}

static void test_matcher_reports_sack_blocks(void)
{
	struct match_result r;

	ok(!check_text(". 1:1(0) ack 1 <sack 1:2 3:4>", ". 1:1(0) ack 1 <sack 1:2 3:5>", &r),
	   "a sack edge differs");
	is_str(r.message, "tcp option 1 (sack): expected 1:2 3:4, actual 1:2 3:5", "named");
	ok(!check_text(". 1:1(0) ack 1 <sack 1:2 3:4>", ". 1:1(0) ack 1 <sack 1:2>", &r),
	   "a block missing");
	is_str(r.field, "tcp option 1 (sack)", "named");
}

static void test_matcher_reports_bad_checksum(void)
{
	struct match_result r;
	struct segment a = line(BASE).seg;

	a.bad_csum = true;
	ok(!check(BASE, &a, &r), "a bad TCP checksum fails");
	is_str(r.message, "tcp checksum: expected good, actual bad", "named 'tcp checksum'");
}

static void test_matcher_reports_ports(void)
{
	struct match_result r;
	struct segment a = line(BASE).seg;

	a.dport = 40001;
	ok(!check(BASE, &a, &r), "another connection's segment fails");
	is_str(r.message, "tcp dport: expected 0, actual 40001", "named by its port");
}

static void test_matcher_ignores_what_the_line_left_open(void)
{
	struct match_result r;

	ok(check_text(". 1:1(0) ack 1", ". 1:1(0) ack 1 win 9999", &r), "no win: any win");
	ok(check_text(". 1:1(0)", ". 1:1(0) ack 12345", &r), "no ack: any ack");
	ok(check_text(". 1:1(0) ack 1", ". 1:1(0) ack 1 " BASE_OPTS, &r),
	   "no option list: any options");
	ok(check_text(". 1:1(0) ack 1 <...>", ". 1:1(0) ack 1 " BASE_OPTS, &r),
	   "'<...>': any options");
	ok(check_text(". 1:1(0) ack 1 <...>", ". 1:1(0) ack 1", &r), "'<...>': none too");
	ok(!check_text(". 1:1(0) ack 1 <nop,nop,TS val 1 ecr 2>", ". 1:1(0) ack 1", &r),
	   "an option list given is checked");
	is_str(r.message, "tcp option 1: expected nop, actual none", "its first missing option");
}

static void test_matcher_ignores_trailing_eol_padding(void)
{
	struct match_result r;

	ok(check_text(". 1:1(0) ack 1 <mss 1460,sackOK>",
		      ". 1:1(0) ack 1 <mss 1460,sackOK,eol,eol>", &r),
	   "eol padding on the wire only");
	ok(check_text(". 1:1(0) ack 1 <mss 1460,sackOK,eol,eol>",
		      ". 1:1(0) ack 1 <mss 1460,sackOK>", &r),
	   "eol padding in the script only");
}

static void test_matcher_ts_val_tolerance_wraps(void)
{
	struct match_result r;

	ok(check_text(". 1:1(0) <TS val 4294967294 ecr 0>", ". 1:1(0) <TS val 3 ecr 0>", &r),
	   "5 units later across 2^32 is within tolerance");
	ok(check_text(". 1:1(0) <TS val 2 ecr 0>", ". 1:1(0) <TS val 4294967293 ecr 0>", &r),
	   "5 units earlier across 2^32 too");
	ok(!check_text(". 1:1(0) <TS val 4294967294 ecr 0>", ". 1:1(0) <TS val 4 ecr 0>", &r),
	   "6 units is not");
	is_str(r.field, "tcp option 1 (TS val)", "named");
}

/* A replay's `>` data line: "ecr A~B" holds any echo from A to B. */
static void test_matcher_ecr_range_holds_its_span_only(void)
{
	struct case_packet p = line(". 1:1(0) <TS val 700 ecr 100~102>");
	struct segment a;
	struct match_result r;
	struct match_args m = { .given = p.given, .exp_wire = &p.seg, .act_wire = &a,
				.ts_tolerance = TOL, .ecr_hi = p.ecr_hi };

	ok(p.given & CASE_PKT_ECR_RANGE, "the parser marks the range");
	is_int(p.ecr_hi, 102, "and keeps its end");
	for (unsigned ecr = 99; ecr <= 103; ecr++) {
		char text[64];

		snprintf(text, sizeof(text), ". 1:1(0) <TS val 700 ecr %u>", ecr);
		a = line(text).seg;
		ok(match_segment(&m, &r) == (ecr >= 100 && ecr <= 102),
		   ecr >= 100 && ecr <= 102 ? "an echo in the range holds" :
					      "an echo outside it does not");
	}
	is_str(r.message, "tcp option 1 (TS ecr): expected 100~102, actual 103",
	       "and says the range");
	ok(!check_text(". 1:1(0) <TS val 700 ecr 100>", ". 1:1(0) <TS val 700 ecr 101>", &r),
	   "without a range the echo is exact");
}

/* --loose_psh: PSH either way, every other flag still compared. */
static void test_matcher_loose_psh_ignores_psh_only(void)
{
	struct case_packet p = line(". 1:101(100) ack 1");
	struct segment a = line("P. 1:101(100) ack 1").seg;
	struct match_result r;
	struct match_args m = { .given = p.given, .exp_wire = &p.seg, .act_wire = &a,
				.ts_tolerance = TOL, .loose_psh = true };

	ok(match_segment(&m, &r), "--loose_psh: a live P. holds a `.` line");
	m.loose_psh = false;
	ok(!match_segment(&m, &r), "without it, it does not");
	m.loose_psh = true;
	a = line("F. 1:101(100) ack 1").seg;
	ok(!match_segment(&m, &r), "--loose_psh: a FIN is still a difference");
	is_str(r.field, "tcp flags", "in the flags");
}

static void test_matcher_compares_unknown_option_by_bytes(void)
{
	struct match_result r;
	struct case_packet p = line(". 1:1(0) <nop>");
	struct segment a;

	p.seg.opts[0].kind = 30; /* MPTCP, as a decoder keeps it */
	p.seg.opts[0].len = 4;
	p.seg.opts[0].v.raw[0] = 1;
	p.seg.opts[0].v.raw[1] = 2;
	a = p.seg;
	ok(match_segment(&(struct match_args){.given = p.given, .exp_wire = &p.seg, .act_wire = &a},
			 &r),
	   "same bytes match");
	a.opts[0].v.raw[1] = 3;
	ok(!match_segment(
	       &(struct match_args){.given = p.given, .exp_wire = &p.seg, .act_wire = &a}, &r),
	   "a different byte does not");
	is_str(r.field, "tcp option 1 (kind 30)", "named by its kind");
}

static void test_matcher_prints_script_numbers(void)
{
	struct match_result r;
	struct case_packet p = line(". 1:1(0) ack 1");
	struct segment ew = p.seg, a, as = p.seg;

	/* Wire numbers from ISNs 1000 and 5000; the views say 1 and 2. */
	ew.seq = 5001;
	ew.ack = 1001;
	a = ew;
	a.ack = 1002;
	as.ack = 2;
	ok(!match_segment(&(struct match_args){.given = p.given,
					       .exp_wire = &ew,
					       .act_wire = &a,
					       .exp_script = &p.seg,
					       .act_script = &as},
			  &r),
	   "compared on the wire");
	is_str(r.message, "tcp ack: expected 1, actual 2", "printed from the script views");
}

static void test_match_report_shows_line_expected_actual_and_field(void)
{
	struct match_result r;
	struct case_packet p = line("S. 0:0(0) ack 1 <...>");
	struct segment a = line("S. 0:0(0) ack 2 win 65160 " BASE_OPTS).seg;
	char buf[1024];
	int n;

	ok(!check("S. 0:0(0) ack 1 <...>", &a, &r), "ack differs");
	n = match_report(buf, sizeof(buf), "cases/basic/passive_open.pkt:7",
			 "   +0 > S. 0:0(0) ack 1 <...>\n", &p, &a, &r);
	is_str(buf,
	       "cases/basic/passive_open.pkt:7: +0 > S. 0:0(0) ack 1 <...>\n"
	       "  expected: S. 0:0(0) ack 1 win 65160 " BASE_OPTS "\n"
	       "  actual:   S. 0:0(0) ack 2 win 65160 " BASE_OPTS "\n"
	       "  tcp ack: expected 1, actual 2\n",
	       "the report");
	is_int(n, strlen(buf), "returns its length");
	n = match_report(buf, 10, "x:1", "> S. 0:0(0) ack 1 <...>", &p, &a, &r);
	ok(n > 10 && strlen(buf) == 9, "a short buffer truncates and says how much was needed");
}

int main(void)
{
	test_matcher_accepts_identical_segment();
	test_matcher_reports_first_differing_field();
	test_matcher_reports_urg();
	test_matcher_reports_sack_blocks();
	test_matcher_reports_bad_checksum();
	test_matcher_reports_ports();
	test_matcher_ignores_what_the_line_left_open();
	test_matcher_ignores_trailing_eol_padding();
	test_matcher_ts_val_tolerance_wraps();
	test_matcher_ecr_range_holds_its_span_only();
	test_matcher_loose_psh_ignores_psh_only();
	test_matcher_compares_unknown_option_by_bytes();
	test_matcher_prints_script_numbers();
	test_match_report_shows_line_expected_actual_and_field();
	return tap_done();
}
