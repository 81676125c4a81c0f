/* Unit tests for pcap2case's generator (run/casegen.c, run/casegen_num.c):
 * numbers rewritten into script space (seq/ack relative to each ISN, across
 * 2^32; SACK blocks; TS val from 100 and 700, ecr echoing them), which
 * segments are retransmissions, and the socket calls inferred for the
 * target (listen/accept or a blocking connect, a write per chunk, reads,
 * close or shutdown at its FIN, SO_LINGER 0 before its RST); crossed FINs
 * put in the order the target saw them; the line -> packet map; every
 * script made here parses. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "run/casegen.h"
#include "run/casegen_num.h"
#include "run/casegen_text.h"
#include "run/casegen_win.h"
#include "wire/flow.h"
#include "casegen_fixture.h"
#include "tap.h"

#define C true  /* from the client */
#define S false /* from the server */

static const uint32_t CISN = 4294967000u; /* the client's seq wraps */
static const uint32_t SISN = 1000000u;

/* A segment of a conversation: numbers relative to the ISNs, made absolute
 * here the way a capture has them; TS val/ecr absolute, as recorded. */
static struct flow_pkt pkt(unsigned long rec, long us, bool from_client, uint8_t flags,
			   uint32_t rel_seq, uint32_t rel_ack, uint32_t len, uint32_t tsval,
			   uint32_t tsecr)
{
	return fx_pkt((struct fx_seg){ .rec = rec, .us = us, .fc = from_client, .flags = flags,
				       .seq = rel_seq, .ack = rel_ack, .len = len, .cisn = CISN,
				       .sisn = SISN, .ts = tsval != 0, .tsval = tsval,
				       .tsecr = tsecr });
}

static void test_numbers_become_relative_across_the_wrap(void)
{
	struct flow_pkt p[4] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 5000, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 90000, 5000),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 5001, 90000),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 500, 5003, 90002),
	};
	const struct segment *segs[4] = { &p[0].seg, &p[1].seg, &p[2].seg, &p[3].seg };
	enum cg_side side[4] = { CG_RIG, CG_TARGET, CG_RIG, CG_RIG };
	struct casegen_num m;
	struct segment s;
	struct seg_opt *o;

	casegen_num_init(&m, segs, side, 4);
	s = p[1].seg;
	casegen_num_rewrite(&m, CG_TARGET, &s);
	is_int(s.seq, 0, "the target's SYN-ACK: seq 0 (its ISN)");
	is_int(s.ack, 1, "ack 1: the rig's ISN + 1, across 2^32");
	o = (struct seg_opt *)segment_opt_find(&s, SEG_OPT_TS);
	is_int(o->v.ts.val, 700, "the target's first TS val is 700");
	is_int(o->v.ts.ecr, 100, "its ecr echoes the rig's first, 100");
	s = p[3].seg;
	casegen_num_rewrite(&m, CG_RIG, &s);
	is_int(s.seq, 1, "the rig's data: seq 1 although the absolute seq wrapped");
	o = (struct seg_opt *)segment_opt_find(&s, SEG_OPT_TS);
	is_int(o->v.ts.val, 103, "TS val 3 after the first: 103");
	is_int(o->v.ts.ecr, 702, "ecr of the target's TS val + 2: 702");
	s = p[0].seg;
	casegen_num_rewrite(&m, CG_RIG, &s);
	o = (struct seg_opt *)segment_opt_find(&s, SEG_OPT_TS);
	is_int(o->v.ts.ecr, 0, "an ecr of 0 stays 0");

	/* A SACK from the target names the rig's sequence space. */
	s = p[1].seg;
	s.flags = SEG_ACK;
	o = segment_opt_add(&s, SEG_OPT_SACK);
	o->len = 10;
	o->v.sack.n = 1;
	o->v.sack.b[0].left = CISN + 1001;
	o->v.sack.b[0].right = CISN + 1501;
	casegen_num_rewrite(&m, CG_TARGET, &s);
	o = &s.opts[s.nopts - 1];
	is_int(o->v.sack.b[0].left, 1001, "SACK left edge relative to the rig's ISN");
	is_int(o->v.sack.b[0].right, 1501, "SACK right edge too");
}

static void test_retransmissions_are_what_was_sent_before(void)
{
	struct flow_pkt p[6] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 1, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(3, 2, C, SEG_ACK, 1, 1, 100, 0, 0),
		pkt(4, 3, C, SEG_ACK, 1, 1, 100, 0, 0),
		pkt(5, 4, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(6, 5, C, SEG_ACK, 1, 1, 200, 0, 0),
	};
	const struct segment *segs[6];
	enum cg_side side[6];
	struct casegen_num m;

	for (int i = 0; i < 6; i++) {
		segs[i] = &p[i].seg;
		side[i] = CG_RIG;
	}
	casegen_num_init(&m, segs, side, 6);
	ok(!casegen_num_retransmit(&m, CG_RIG, segs[0]), "the first SYN is new");
	ok(casegen_num_retransmit(&m, CG_RIG, segs[1]), "the same SYN again is a retransmission");
	ok(!casegen_num_retransmit(&m, CG_RIG, segs[2]), "data 1:101 is new");
	ok(casegen_num_retransmit(&m, CG_RIG, segs[3]), "1:101 again is a retransmission");
	ok(!casegen_num_retransmit(&m, CG_RIG, segs[4]), "a pure ACK never is");
	ok(!casegen_num_retransmit(&m, CG_RIG, segs[5]),
	   "1:201 (more than was sent) is new data, not a retransmission");
}

static bool has_line(const char *text, const char *line)
{
	const char *p = strstr(text, line);

	return p && (p == text || p[-1] == '\n');
}

static bool parses(const struct casegen_script *cs, const char *what)
{
	struct case_script sc;
	struct tr_err err = { 0 };
	bool good = case_parse_string(what, cs->text, &sc, &err) == 0;

	if (!ok(good, "%s: the script parses", what))
		printf("#   %s\n%s", err.msg, cs->text);
	else
		case_script_free(&sc);
	return good;
}

static const struct flow fl = { .number = 3 };

/* curl-like: a request, a response in two segments of one write (PSH on
 * the second), a server that closes first. */
static void test_a_server_conversation(bool keep)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 5000, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 9000, 5000),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 5000, 9000),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 80, 5000, 9000),
		pkt(5, 40, S, SEG_ACK, 1, 81, 0, 9000, 5000),
		pkt(6, 5040, S, SEG_ACK, 1, 81, 1000, 9005, 5000),
		pkt(7, 5050, S, SEG_ACK | SEG_PSH, 1001, 81, 500, 9005, 5000),
		pkt(8, 5060, C, SEG_ACK, 81, 1501, 0, 5005, 9005),
		pkt(9, 5070, S, SEG_ACK | SEG_PSH, 1001, 81, 500, 9006, 5005),
		pkt(10, 6000, S, SEG_ACK | SEG_FIN, 1501, 81, 0, 9006, 5005),
		pkt(11, 6100, C, SEG_ACK | SEG_FIN, 81, 1502, 0, 5006, 9006),
		pkt(12, 6110, S, SEG_ACK, 1502, 82, 0, 9006, 5006),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true,
				  .keep_retransmits = keep };
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *what = keep ? "server, retransmission kept" : "server";
	const char *l;
	int line = 0;

	if (!ok(casegen_make(p, sizeof(p) / sizeof(p[0]), &o, &cs, &err) == 0, "%s: made",
		what)) {
		diag(err.msg);
		return;
	}
	ok(strstr(cs.text, "from t.pcap, flow 3") != NULL, "%s: the header names capture and flow",
	   what);
	ok(has_line(cs.text, "listen(3, 1) = 0") || strstr(cs.text, " listen(3, 1) = 0\n"),
	   "%s: the target listens", what);
	ok(strstr(cs.text, "< S 0:0(0) win 500 <mss 1460,nop,nop,TS val 100 ecr 0>  // #1\n") != NULL,
	   "%s: the rig's SYN, seq 0, TS val 100", what);
	ok(strstr(cs.text, "+0.00001  > S. 0:0(0) ack 1 <mss 1460,nop,nop,TS val 700 ecr 100>  // #2\n") != NULL,
	   "%s: the target's SYN-ACK 10 us later, no window, TS val 700", what);
	l = strstr(cs.text, "// #3\n+0        accept(3, ..., ...) = 4\n");
	ok(l != NULL, "%s: accept after the handshake's ACK", what);
	ok(strstr(cs.text, "// #4\n+0        read(4, ..., 80) = 80\n") != NULL,
	   "%s: a read of the request right after it", what);
	ok(strstr(cs.text, "+0.005    send(4, ..., 1500, MSG_EOR) = 1500\n+0        > . 1:1001(1000) ack 81") != NULL,
	   "%s: one write of both segments up to the PSH, before the first", what);
	ok(strstr(cs.text, "close(4) = 0\n+0        > F. 1501:1501(0) ack 81") != NULL,
	   "%s: close before its FIN", what);
	ok(strstr(cs.text, "shutdown") == NULL, "%s: no shutdown (nothing came after its FIN)",
	   what);
	if (keep) {
		ok(strstr(cs.text, "// #9 retransmission\n") != NULL, "%s: #9 kept, marked", what);
		ok(strstr(cs.text, "Retransmissions: 1, kept") != NULL, "%s: the header says so",
		   what);
	} else {
		ok(strstr(cs.text, "// #9") == NULL, "%s: #9 dropped", what);
		ok(strstr(cs.text, "Retransmissions: 1, dropped") != NULL, "%s: the header says so",
		   what);
	}
	ok(strstr(cs.text, "write of 1500 bytes in 1 chunk; read of 80 bytes in 1 read; close at its FIN (#10)") != NULL,
	   "%s: the header says what was inferred", what);
	/* The line map: the line of "// #6" and the write before it. */
	for (size_t k = 1; k <= cs.nlines; k++) {
		const char *s = cs.text;

		for (size_t j = 1; j < k; j++)
			s = strchr(s, '\n') + 1;
		if (!strncmp(strchr(s, '\n') - 5, "// #6", 5))
			line = (int)k;
	}
	ok(line > 1, "%s: the line of #6 found (%d)", what, line);
	is_int(casegen_line_rec(&cs, line), 6, "%s: maps to packet 6", what);
	is_int(casegen_line_rec(&cs, line - 1), 6, "%s: its write too", what);
	is_int(casegen_line_rec(&cs, 1), 0, "%s: a header line to none", what);
	is_int(casegen_line_rec(&cs, 100000), 0, "%s: past the end to none", what);
	parses(&cs, what);
	casegen_script_free(&cs);
}

/* The rig plays the server: the target connects, half-closes, reads on,
 * and aborts with an RST. */
static void test_a_client_target_shuts_down_then_aborts(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 100, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 110, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 200, C, SEG_ACK | SEG_PSH | SEG_FIN, 1, 1, 10, 0, 0),
		pkt(5, 300, S, SEG_ACK | SEG_PSH, 1, 12, 20, 0, 0),
		pkt(6, 400, C, SEG_ACK | SEG_RST, 12, 21, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = false };
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (!ok(casegen_make(p, 6, &o, &cs, &err) == 0, "client: made")) {
		diag(err.msg);
		return;
	}
	ok(strstr(cs.text, "\n+0...0.0001 connect(3, ..., ...) = 0  \n") != NULL ||
		   strstr(cs.text, "\n+0...0.0001 connect(3, ..., ...) = 0\n") != NULL,
	   "client: a blocking connect that returns when the SYN-ACK came");
	ok(strstr(cs.text, "setsockopt(3, IPPROTO_TCP, TCP_CORK, [1], 4) = 0\n+0        write(3, ..., 10) = 10\n+0        shutdown(3, SHUT_WR) = 0\n+0        > FP. 1:11(10) ack 1") != NULL,
	   "client: a corked write, then shutdown (data came after its FIN), then its FIN");
	ok(strstr(cs.text, "// #5\n+0        read(3, ..., 20) = 20\n") != NULL,
	   "client: it reads after its FIN");
	ok(strstr(cs.text, "setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n+0        close(3) = 0\n+0        > R. 12:12(0) ack 21") != NULL,
	   "client: SO_LINGER 0 and close before its RST");
	ok(strstr(cs.text, "win") != NULL && strstr(cs.text, "> R. 12:12(0) ack 21 win") == NULL,
	   "client: `>` lines carry no window");
	parses(&cs, "client");
	casegen_script_free(&cs);
}

static void test_crossed_fins_are_put_in_the_targets_order(void)
{
	/* The rig (server) closes; the target's FIN left before the rig's
	 * reached it (it acks 11, not 12), but was captured after. */
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, S, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 40, C, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(6, 50, S, SEG_ACK | SEG_FIN, 11, 1, 0, 0, 0),
		pkt(7, 55, C, SEG_ACK | SEG_FIN, 1, 11, 0, 0, 0),
		pkt(8, 60, S, SEG_ACK, 12, 2, 0, 0, 0),
		pkt(9, 65, C, SEG_ACK, 2, 12, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = false };
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (!ok(casegen_make(p, 9, &o, &cs, &err) == 0, "crossed: made")) {
		diag(err.msg);
		return;
	}
	ok(strstr(cs.text, "close(3) = 0\n+0        > F. 1:1(0) ack 11  // #7\n+0        < F. 11:11(0) ack 1 win 500  // #6\n") != NULL,
	   "crossed: the target's close and FIN come before the rig's FIN");
	parses(&cs, "crossed");
	casegen_script_free(&cs);
}

/* A capture on "any" wrote the server's FIN (#8), which acknowledges the
 * client's FIN (ack 12), before that FIN (#9): two CPUs handed them over
 * in the wrong order. Either side played by the rig, the FIN acknowledged
 * goes first: a segment cannot acknowledge what was not yet sent. */
static void test_a_segment_goes_before_one_that_acknowledged_it(bool rig_is_client)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 40, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(6, 45, S, SEG_ACK | SEG_PSH, 1, 11, 20, 0, 0),
		pkt(7, 50, C, SEG_ACK, 11, 21, 0, 0, 0),
		pkt(8, 60, S, SEG_ACK | SEG_FIN, 21, 12, 0, 0, 0),
		pkt(9, 61, C, SEG_ACK | SEG_FIN, 11, 21, 0, 0, 0),
		pkt(10, 70, C, SEG_ACK, 12, 22, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl,
				  .rig_is_client = rig_is_client };
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *cfin, *sfin, *last;

	if (!ok(casegen_make(p, 10, &o, &cs, &err) == 0, "out of causal order: made")) {
		diag(err.msg);
		return;
	}
	cfin = strstr(cs.text, "// #9");
	sfin = strstr(cs.text, "// #8");
	last = strstr(cs.text, "// #10");
	ok(cfin && sfin && last && cfin < sfin && sfin < last,
	   "out of causal order (rig the %s): the client's FIN, then the server's that acks it",
	   rig_is_client ? "client" : "server");
	if (!(cfin && sfin && cfin < sfin))
		diag(cs.text);
	parses(&cs, "out of causal order");
	casegen_script_free(&cs);
}

/* The window's own account of the same (rig the client): the server's ACK
 * (#8) that acked the client's FIN before it was captured waits, not final;
 * once that FIN (#9) comes, both are settled, the FIN first, and what
 * follows is written as it comes, not held to the end. */
static void test_a_held_segment_is_settled_by_what_it_acknowledged(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 40, S, SEG_ACK | SEG_FIN, 1, 11, 0, 0, 0),
		pkt(6, 50, S, SEG_ACK, 2, 12, 0, 0, 0),
		pkt(7, 61, C, SEG_ACK | SEG_FIN, 11, 2, 0, 0, 0),
	};
	struct cg_win w;
	size_t settled[3];
	struct cg_rec *r;

	cg_win_init(&w, 0);
	for (size_t i = 0; i < 7; i++) {
		if (cg_win_push(&w, &p[i], p[i].from_client ? CG_RIG : CG_TARGET, false, false,
				true))
			break;
		if (i >= 4)
			settled[i - 4] = w.final;
	}
	ok(settled[0] == 5 && settled[1] == 5 && settled[2] == 7,
	   "held: #6 (acks the FIN to come) waits; #7 settles both (final %zu, %zu, %zu)",
	   settled[0], settled[1], settled[2]);
	for (size_t i = 0; i < 5; i++)
		cg_win_ord_pop(&w);
	r = cg_win_ord_first(&w);
	ok(r && r->rec == 7 && r->t == cg_win_at(&w, 5)->ns, "held: the FIN first, at the ACK's time");
	cg_win_free(&w);
}

/* The target's duplicate ACK (#7: its ack and window again) answers the
 * rig's segment it does not acknowledge (#6, dropped by the target): an
 * answer, not a crossing, so it stays after it. */
static void test_a_duplicate_ack_is_not_a_crossing(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 40, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(6, 5000, C, SEG_ACK | SEG_PSH, 100, 1, 10, 0, 0),
		pkt(7, 5010, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(8, 6000, C, SEG_ACK | SEG_RST, 11, 1, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *rig, *dup;

	if (!ok(casegen_make(p, 8, &o, &cs, &err) == 0, "duplicate ACK: made")) {
		diag(err.msg);
		return;
	}
	rig = strstr(cs.text, "// #6");
	dup = strstr(cs.text, "// #7");
	ok(rig && dup && rig < dup, "duplicate ACK: after the segment it answers");
	parses(&cs, "duplicate ACK");
	casegen_script_free(&cs);
}

/* The rig's next bytes in order (#6), but the target's answer is its
 * previous ACK again (#7): it dropped them (PAWS), so nothing was there to
 * read; the read of #4's bytes is the only one. */
static void test_no_read_of_a_dropped_segment(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 40, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(6, 5000, C, SEG_ACK | SEG_PSH, 11, 1, 10, 0, 0),
		pkt(7, 5010, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(8, 6000, C, SEG_ACK | SEG_RST, 11, 1, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *read1;

	if (!ok(casegen_make(p, 8, &o, &cs, &err) == 0, "dropped segment: made")) {
		diag(err.msg);
		return;
	}
	read1 = strstr(cs.text, "read(");
	ok(read1 && !strstr(read1 + 1, "read("), "dropped segment: no read of its bytes");
	if (!read1 || strstr(read1 + 1, "read("))
		diag(cs.text);
	parses(&cs, "dropped segment");
	casegen_script_free(&cs);
}

/* The target ACKs the rig's request at once (#5), its response 40 ms later
 * (#8: its delayed-ACK timer): only that line may come from its recorded
 * moment until 210 ms after the line before. */
static void test_a_delayed_ack_gets_the_timers_window(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 40, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(6, 5000, S, SEG_ACK | SEG_PSH, 1, 11, 20, 0, 0),
		pkt(7, 5100, C, SEG_ACK | SEG_PSH, 11, 21, 10, 0, 0),
		pkt(8, 45100, S, SEG_ACK, 21, 21, 0, 0, 0),
		pkt(9, 46000, C, SEG_ACK | SEG_RST, 21, 21, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (!ok(casegen_make(p, 9, &o, &cs, &err) == 0, "delayed ACK: made")) {
		diag(err.msg);
		return;
	}
	ok(strstr(cs.text, "\n+0.04~+0.21 > . 21:21(0) ack 21  // #8\n") != NULL,
	   "delayed ACK: its line may come from its recorded moment until 210 ms");
	ok(strstr(cs.text, "\n+0.00001  > . 1:1(0) ack 11  // #5\n") != NULL,
	   "delayed ACK: an ACK at once keeps its moment");
	ok(strstr(cs.text, "// Delayed ACKs: 1, each from the line before until 0.21 s") != NULL,
	   "delayed ACK: the header says so");
	if (!strstr(cs.text, "~+0.21"))
		diag(cs.text);
	parses(&cs, "delayed ACK");
	casegen_script_free(&cs);
}

/* The same with TS vals: the window opens at the line before (the runner
 * takes the moment the TS val names as the line's, so the lines after it
 * keep theirs). */
static void test_a_delayed_ack_window_with_ts_opens_at_the_line_before(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 100, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 700, 100),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 101, 700),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 102, 700),
		pkt(5, 40, S, SEG_ACK, 1, 11, 0, 701, 102),
		pkt(6, 5000, S, SEG_ACK | SEG_PSH, 1, 11, 20, 705, 102),
		pkt(7, 5100, C, SEG_ACK | SEG_PSH, 11, 21, 10, 107, 705),
		pkt(8, 45100, S, SEG_ACK, 21, 21, 0, 745, 107),
		pkt(9, 46000, C, SEG_ACK | SEG_RST, 21, 21, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (!ok(casegen_make(p, 9, &o, &cs, &err) == 0, "TS timers: made")) {
		diag(err.msg);
		return;
	}
	ok(strstr(cs.text, "\n+0~+0.21  > . 21:21(0) ack 21 <nop,nop,TS val 745 ecr 107>  // #8\n") !=
		   NULL,
	   "TS delayed ACK: from the line before until 210 ms");
	ok(strstr(cs.text, "// (So when the segment has a TS val") != NULL,
	   "TS timers: the header says when a window opens early");
	if (!strstr(cs.text, "+0~+0.21  >"))
		diag(cs.text);
	parses(&cs, "TS timers");
	casegen_script_free(&cs);
}

/* A window asked for the script's first line (which has no line before
 * to count from) is dropped, not left for the next line: a fuzzed capture
 * whose first line was a kept retransmission wrote the next one as
 * "+0~+2692951732.455714", a time the parser refuses. */
static void test_a_range_never_outlives_its_line(void)
{
	struct cg g = { .keep = true };

	g.range_ns = 5000000;
	cg_timed(&g, 1000000000, 1, "> F. 1:1(0) ack 1");
	cg_timed(&g, 1000010000, 2, "< . 1:1(0) ack 2 win 500");
	ok(g.n == 2 && !strcmp(g.v[0].text, "0         > F. 1:1(0) ack 1") &&
		   !strcmp(g.v[1].text, "+0.00001  < . 1:1(0) ack 2 win 500"),
	   "a range on the first line: dropped, the second line as recorded");
	cg_free(&g);
}

/* A bulk answer (the rig the client): a write that left in several
 * segments gets --loose_psh; a data segment sent while the rig's newer ACK
 * was on its way echoes the older TS val: written as a range from the echo
 * before to the rig's newest; the target's FIN answers nothing new and its
 * final ACK answers the rig's FIN: their echoes stay exact. */
static void test_a_bulk_answer_leaves_its_timing_open(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 5000, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 9000, 5000),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 5000, 9000),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 5000, 9000),
		pkt(5, 40, S, SEG_ACK, 1, 11, 1000, 9001, 5000),
		pkt(6, 50, C, SEG_ACK, 11, 1001, 0, 5001, 9001),
		pkt(7, 60, S, SEG_ACK, 1001, 11, 1000, 9001, 5000),
		pkt(8, 70, S, SEG_ACK | SEG_PSH, 2001, 11, 1000, 9001, 5001),
		pkt(9, 80, C, SEG_ACK, 11, 3001, 0, 5002, 9001),
		pkt(10, 90, S, SEG_ACK | SEG_FIN, 3001, 11, 0, 9002, 5002),
		pkt(11, 95, C, SEG_ACK | SEG_FIN, 11, 3002, 0, 5003, 9002),
		pkt(12, 99, S, SEG_ACK, 3002, 12, 0, 9003, 5003),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (!ok(casegen_make(p, 12, &o, &cs, &err) == 0, "bulk: made")) {
		diag(err.msg);
		return;
	}
	ok(strstr(cs.text, "\n--loose_psh\n") != NULL, "bulk: --loose_psh");
	ok(strstr(cs.text, "> . 1:1001(1000) ack 11 <nop,nop,TS val 701 ecr 100>  // #5") != NULL,
	   "bulk: the first data segment echoes exactly what the rig had sent");
	ok(strstr(cs.text, "> . 1001:2001(1000) ack 11 <nop,nop,TS val 701 ecr 100~101>  // #7") !=
	       NULL,
	   "bulk: one sent before the rig's newer ACK arrived: from its echo to the newest");
	ok(strstr(cs.text, "> P. 2001:3001(1000) ack 11 <nop,nop,TS val 701 ecr 100~101>  // #8") !=
	       NULL,
	   "bulk: one that echoed the newest: from the echo before to it");
	ok(strstr(cs.text, "> F. 3001:3001(0) ack 11 <nop,nop,TS val 702 ecr 102>  // #10") != NULL,
	   "bulk: the FIN's echo is exact");
	ok(strstr(cs.text, "> . 3002:3002(0) ack 12 <nop,nop,TS val 703 ecr 103>  // #12") != NULL,
	   "bulk: the ACK of the rig's FIN too");
	ok(strstr(cs.text, "// TS ecr A~B on 2 data segments of the target") != NULL,
	   "bulk: the header counts the ranges");
	parses(&cs, "bulk");
	casegen_script_free(&cs);
}

/* A bulk answer that filled the rig's window: its short PSH segment ending
 * at the window's right edge (#6) is where the sender waited for the rig's
 * ACK, not where its program's write ended, so the write goes on past it
 * (over a gap far longer than the 1 ms merge), up to the short segment that
 * is no edge (#9). With the rig's window 100 bytes wider, #6 is a write's
 * end. scale: both SYNs offer wscale 2, the rig's windows count in fours. */
static void test_a_write_goes_on_past_the_windows_edge(bool at_edge, bool scale)
{
	const char *what = scale ? "window edge, scaled" : at_edge ? "window edge" : "short of it";
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 5000, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 9000, 5000),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 5000, 9000),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 5000, 9000),
		pkt(5, 40, S, SEG_ACK, 1, 11, 300, 9001, 5000),
		pkt(6, 41, S, SEG_ACK | SEG_PSH, 301, 11, 200, 9001, 5000),
		pkt(7, 5000, C, SEG_ACK, 11, 501, 0, 5005, 9001),
		pkt(8, 5010, S, SEG_ACK, 501, 11, 300, 9006, 5005),
		pkt(9, 5011, S, SEG_ACK | SEG_PSH, 801, 11, 100, 9006, 5005),
		pkt(10, 5020, C, SEG_ACK, 11, 901, 0, 5006, 9006),
		pkt(11, 5030, S, SEG_ACK | SEG_FIN, 901, 11, 0, 9007, 5006),
		pkt(12, 5035, C, SEG_ACK | SEG_FIN, 11, 902, 0, 5007, 9007),
		pkt(13, 5040, S, SEG_ACK, 902, 12, 0, 9008, 5007),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (!at_edge)
		p[3].seg.win = 600;
	if (scale) {
		for (int i = 0; i < 2; i++) {
			struct seg_opt *w = segment_opt_add(&p[i].seg, SEG_OPT_WSCALE);

			w->len = 3;
			w->v.wscale = 2;
		}
		p[3].seg.win = 125;
	}
	if (!ok(casegen_make(p, 13, &o, &cs, &err) == 0, "%s: made", what)) {
		diag(err.msg);
		return;
	}
	if (at_edge)
		ok(strstr(cs.text, "send(4, ..., 900, MSG_EOR) = 900\n+0        > . 1:301(300)") &&
			   !strstr(cs.text, "send(4, ..., 400"),
		   "%s: one write past #6 up to #9", what);
	else
		ok(strstr(cs.text, "send(4, ..., 500, MSG_EOR) = 500\n+0        > . 1:301(300)") &&
			   strstr(cs.text, "send(4, ..., 400, MSG_EOR) = 400\n+0        > . 501:801(300)"),
		   "%s: #6 ends a write", what);
	parses(&cs, what);
	casegen_script_free(&cs);
}

/* The rig retransmits data the target had (#6), which re-ACKs it (#7):
 * dropping the retransmission drops the re-ACK too. */
static void test_an_answer_to_a_dropped_retransmission_goes_with_it(bool keep)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 40, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(6, 250, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(7, 260, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(8, 300, C, SEG_ACK | SEG_RST, 11, 1, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true,
				  .keep_retransmits = keep };
	const char *what = keep ? "re-ACK kept" : "re-ACK dropped";
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (!ok(casegen_make(p, 8, &o, &cs, &err) == 0, "%s: made", what)) {
		diag(err.msg);
		return;
	}
	ok(strstr(cs.text, "// #5\n") != NULL, "%s: the first ACK stays", what);
	if (keep) {
		ok(strstr(cs.text, "// #6 retransmission\n") != NULL &&
			   strstr(cs.text, "// #7 answers it\n") != NULL,
		   "%s: both kept and marked", what);
	} else {
		ok(strstr(cs.text, "// #6") == NULL && strstr(cs.text, "// #7") == NULL,
		   "%s: the retransmission and its answer left out", what);
		ok(strstr(cs.text, "Retransmissions: 1, dropped, with the target's segments that only answered them") != NULL,
		   "%s: the header says so", what);
	}
	parses(&cs, what);
	casegen_script_free(&cs);
}

/* The rig retransmits its FIN into the target's TIME_WAIT, which re-ACKs
 * it: what a retransmitted FIN meets is the TIME_WAIT family's question,
 * so the two stay without --keep-retransmits. */
static void test_a_retransmitted_fin_stays_with_its_answer(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, S, SEG_ACK | SEG_FIN, 1, 1, 0, 0, 0),
		pkt(5, 40, C, SEG_ACK | SEG_FIN, 1, 2, 0, 0, 0),
		pkt(6, 50, S, SEG_ACK, 2, 2, 0, 0, 0),
		pkt(7, 60, C, SEG_ACK | SEG_FIN, 1, 2, 0, 0, 0),
		pkt(8, 70, S, SEG_ACK, 2, 2, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	const char *what = "TIME_WAIT's re-ACK";
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *fin, *ack;

	if (!ok(casegen_make(p, 8, &o, &cs, &err) == 0, "%s: made", what)) {
		diag(err.msg);
		return;
	}
	fin = strstr(cs.text, "< F. 1:1(0) ack 2 win 500  // #7\n");
	ack = strstr(cs.text, "> . 2:2(0) ack 2  // #8\n");
	ok(fin && ack && fin < ack, "%s: the retransmitted FIN stays, before its answer", what);
	ok(strstr(cs.text, "Retransmissions: 0, dropped") != NULL &&
		   strstr(cs.text, "Kept all the same, with the target's answer: 1 retransmission "
				   "of a FIN or answered with RST.") != NULL,
	   "%s: the header says why it was kept", what);
	if (!fin || !ack)
		printf("%s", cs.text);
	parses(&cs, what);
	casegen_script_free(&cs);
}

/* The same without TIME_WAIT (tcp_max_tw_buckets=0): the retransmitted FIN
 * meets no socket and draws an RST. That RST is the story: the
 * retransmission it answers stays, or the script would expect it from
 * nothing. */
static void test_a_retransmission_answered_by_rst_stays(void)
{
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, S, SEG_ACK | SEG_FIN, 1, 1, 0, 0, 0),
		pkt(5, 40, C, SEG_ACK | SEG_FIN, 1, 2, 0, 0, 0),
		pkt(6, 50, S, SEG_ACK, 2, 2, 0, 0, 0),
		pkt(7, 60, C, SEG_ACK | SEG_FIN, 1, 2, 0, 0, 0),
		pkt(8, 70, S, SEG_RST, 2, 0, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	const char *what = "RST to a retransmitted FIN";
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *fin, *rst;

	if (!ok(casegen_make(p, 8, &o, &cs, &err) == 0, "%s: made", what)) {
		diag(err.msg);
		return;
	}
	fin = strstr(cs.text, "< F. 1:1(0) ack 2 win 500  // #7\n");
	rst = strstr(cs.text, "> R 2:2(0)  // #8\n");
	ok(fin && rst && fin < rst, "%s: the retransmission stays, before the RST it drew", what);
	ok(strstr(cs.text, "Retransmissions: 0, dropped") != NULL &&
		   strstr(cs.text, "Kept all the same, with the target's answer: 1 retransmission "
				   "of a FIN or answered with RST.") != NULL,
	   "%s: the header says why it was kept", what);
	if (!fin || !rst)
		printf("%s", cs.text);
	parses(&cs, what);
	casegen_script_free(&cs);
}

static void test_refused_and_headless_flows(void)
{
	struct flow_pkt refused[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_RST | SEG_ACK, 0, 1, 0, 0, 0),
	};
	struct flow_pkt headless[] = {
		pkt(7, 0, C, SEG_ACK, 1, 1, 10, 0, 0),
		pkt(8, 10, S, SEG_ACK, 1, 11, 0, 0, 0),
	};
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };

	if (ok(casegen_make(refused, 2, &o, &cs, &err) == 0, "refused: made")) {
		ok(strstr(cs.text, "listen(") == NULL, "refused: no listen call");
		ok(strstr(cs.text, "\n0         < S 0:0(0) win 500 <mss 1460>  // #1\n") != NULL,
		   "refused: the SYN is the first event, at 0");
		ok(strstr(cs.text, "> R. 0:0(0) ack 1  // #2") != NULL, "refused: the RST expected");
		parses(&cs, "refused");
		casegen_script_free(&cs);
	}
	o.rig_is_client = false;
	if (ok(casegen_make(refused, 2, &o, &cs, &err) == 0, "refused, rig as server: made")) {
		ok(strstr(cs.text, "connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)") != NULL,
		   "refused, rig as server: connect fails ECONNREFUSED");
		parses(&cs, "refused, rig as server");
		casegen_script_free(&cs);
	}
	/* A TFO cookie (kind 34) on the SYN: the dialect has no word for it. */
	{
		struct seg_opt *c = segment_opt_add(&refused[0].seg, 34);

		c->len = 10;
		memset(c->v.raw, 7, 8);
	}
	o.rig_is_client = true;
	if (ok(casegen_make(refused, 2, &o, &cs, &err) == 0, "an unknown option: made")) {
		ok(strstr(cs.text, "< S 0:0(0) win 500 <mss 1460>  // #1") != NULL,
		   "an unknown option: left out of the line");
		ok(strstr(cs.text, "// Left out: 1 TCP option of kind 34, which the dialect cannot write.") != NULL,
		   "an unknown option: the header says so");
		parses(&cs, "an unknown option");
		casegen_script_free(&cs);
	}
	/* A SACK option without blocks (fuzzing found it): no words for it. */
	{
		struct seg_opt *sk = segment_opt_add(&refused[1].seg, SEG_OPT_SACK);

		sk->len = 2;
		sk->v.sack.n = 0;
	}
	if (ok(casegen_make(refused, 2, &o, &cs, &err) == 0, "a SACK without blocks: made")) {
		ok(strstr(cs.text, "> R. 0:0(0) ack 1  // #2") != NULL,
		   "a SACK without blocks: left out of the line");
		ok(strstr(cs.text, "// Left out: 2 TCP options of kind 34, 5,") != NULL,
		   "a SACK without blocks: the header says so");
		parses(&cs, "a SACK without blocks");
		casegen_script_free(&cs);
	}
	refused[1].ts.tv_sec += 3601;
	is_int(casegen_make(refused, 2, &o, &cs, &err), -1, "a gap of an hour: refused");
	ok(strstr(err.msg, "t.pcap: flow 3: its script would last 3601 s, longer than a replay may (3600 s") != NULL,
	   "a gap of an hour: says why (%s)", err.msg);
	refused[1].ts.tv_sec -= 3601;
	refused[1].seg.payload_len = 16400;
	is_int(casegen_make(refused, 2, &o, &cs, &err), -1, "a 16400-byte segment: refused");
	ok(strstr(err.msg, "t.pcap: flow 3: packet #2 carries 16400 bytes: the rig's frames hold 16384 bytes") != NULL,
	   "a 16400-byte segment: says why (%s)", err.msg);
	is_int(casegen_make(headless, 2, &o, &cs, &err), -1, "no SYN: refused");
	is_int(err.status, TR_USAGE, "no SYN: bad input");
	ok(strstr(err.msg, "t.pcap: flow 3: the client's SYN is not in the capture") != NULL,
	   "no SYN: says why (%s)", err.msg);
}

/* The recorded kernel ACKed the rig's data and FIN in one ACK (it waited,
 * and the FIN came 50 us after the data): live, it may ACK the data first,
 * so the script says --loose_acks; a recording that ACKed each does not. */
static void test_a_folded_ack_makes_acks_loose(bool folded)
{
	/* #5, the target's ACK of the data alone, is what a folded recording
	 * has not. */
	struct flow_pkt p[] = {
		pkt(1, 0, C, SEG_SYN, 0, 0, 0, 0, 0),
		pkt(2, 10, S, SEG_SYN | SEG_ACK, 0, 1, 0, 0, 0),
		pkt(3, 20, C, SEG_ACK, 1, 1, 0, 0, 0),
		pkt(4, 30, C, SEG_ACK | SEG_PSH, 1, 1, 10, 0, 0),
		pkt(5, 60, S, SEG_ACK, 1, 11, 0, 0, 0),
		pkt(6, 80, C, SEG_ACK | SEG_FIN, 11, 1, 0, 0, 0),
		pkt(7, 40000, S, SEG_ACK, 1, 12, 0, 0, 0),
		pkt(8, 41000, S, SEG_ACK | SEG_FIN, 1, 12, 0, 0, 0),
		pkt(9, 41100, C, SEG_ACK, 12, 2, 0, 0, 0),
	};
	size_t n = sizeof(p) / sizeof(p[0]);

	if (folded) {
		memmove(&p[4], &p[5], (n - 5) * sizeof(p[0]));
		n--;
	}
	struct casegen_opts o = { .source = "t.pcap", .flow = &fl, .rig_is_client = true };
	const char *what = folded ? "folded ACK" : "an ACK each";
	struct casegen_script cs;
	struct tr_err err = { 0 };
	bool loose;

	if (!ok(casegen_make(p, n, &o, &cs, &err) == 0, "%s: made", what)) {
		diag(err.msg);
		return;
	}
	loose = strstr(cs.text, "\n--loose_acks\n") != NULL;
	ok(loose == folded, "%s: %s--loose_acks", what, folded ? "" : "no ");
	ok((strstr(cs.text, "// ACKs of the target's that covered two or more of the rig's "
			    "segments: 1.") != NULL) == folded,
	   "%s: the header %s", what, folded ? "says why" : "says nothing of it");
	if (loose != folded)
		diag(cs.text);
	parses(&cs, what);
	casegen_script_free(&cs);
}

int main(void)
{
	test_a_bulk_answer_leaves_its_timing_open();
	test_a_write_goes_on_past_the_windows_edge(true, false);
	test_a_write_goes_on_past_the_windows_edge(false, false);
	test_a_write_goes_on_past_the_windows_edge(true, true);
	test_numbers_become_relative_across_the_wrap();
	test_retransmissions_are_what_was_sent_before();
	test_a_server_conversation(false);
	test_a_server_conversation(true);
	test_a_client_target_shuts_down_then_aborts();
	test_crossed_fins_are_put_in_the_targets_order();
	test_a_duplicate_ack_is_not_a_crossing();
	test_a_segment_goes_before_one_that_acknowledged_it(true);
	test_a_segment_goes_before_one_that_acknowledged_it(false);
	test_a_held_segment_is_settled_by_what_it_acknowledged();
	test_no_read_of_a_dropped_segment();
	test_a_delayed_ack_gets_the_timers_window();
	test_a_delayed_ack_window_with_ts_opens_at_the_line_before();
	test_a_range_never_outlives_its_line();
	test_an_answer_to_a_dropped_retransmission_goes_with_it(false);
	test_an_answer_to_a_dropped_retransmission_goes_with_it(true);
	test_a_retransmitted_fin_stays_with_its_answer();
	test_a_retransmission_answered_by_rst_stays();
	test_refused_and_headless_flows();
	test_a_folded_ack_makes_acks_loose(true);
	test_a_folded_ack_makes_acks_loose(false);
	return tap_done();
}
