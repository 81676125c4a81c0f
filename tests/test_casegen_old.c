/* Unit tests for pcap2case on conversations an older incarnation answered
 * (run/casegen_shape.c, run/casegen_body.c, run/casegen_joint.c), the
 * catalogue's syn_to_tw_older_acked and lost_last_ack_meets_reused_port:
 * a SYN its side sends again after a segment without SYN (an old duplicate
 * into TIME_WAIT, a connect trying again after its RST) is no
 * retransmission: kept, with what answered it, and the header says so; the
 * rig's FIN from LAST_ACK before its own SYN of the new incarnation is
 * written absolute (its first ISN's space), its ack relative to the
 * target's new ISN; the RST the target's kernel sent in SYN_SENT is no
 * close of the application's. Every script made here parses. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "run/casegen.h"
#include "run/casegen_joint.h"
#include "wire/flow.h"
#include "tap.h"

struct conv {
	struct flow_pkt p[12];
	size_t n;
	struct casegen_array arr;
	struct flow f;
};

/* A segment with absolute numbers, as captured; TS val 0: no TS option. */
static void mk(struct conv *c, unsigned long rec, long us, bool fc, uint8_t flags, uint32_t seq,
	       uint32_t ack, uint32_t tsval, uint32_t tsecr)
{
	struct flow_pkt *p = &c->p[c->n++];
	struct seg_opt *o;

	memset(p, 0, sizeof(*p));
	p->rec = rec;
	p->from_client = fc;
	p->ts.tv_sec = 1000 + us / 1000000;
	p->ts.tv_nsec = (us % 1000000) * 1000;
	segment_init(&p->seg);
	inet_pton(AF_INET, fc ? "10.0.0.1" : "10.0.0.2", &p->seg.src.v4);
	inet_pton(AF_INET, fc ? "10.0.0.2" : "10.0.0.1", &p->seg.dst.v4);
	p->seg.sport = fc ? 40000 : 8080;
	p->seg.dport = fc ? 8080 : 40000;
	p->seg.flags = flags;
	p->seg.seq = seq;
	p->seg.ack = ack;
	p->seg.win = flags & SEG_RST ? 0 : 500;
	if (flags & SEG_SYN) {
		o = segment_opt_add(&p->seg, SEG_OPT_MSS);
		o->len = 4;
		o->v.mss = 1460;
	}
	if (tsval) {
		o = segment_opt_add(&p->seg, SEG_OPT_TS);
		o->len = 10;
		o->v.ts.val = tsval;
		o->v.ts.ecr = tsecr;
	}
}

static void conv_flow(struct conv *c, unsigned num)
{
	c->f.number = num;
	c->f.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", &c->f.client.addr);
	inet_pton(AF_INET, "10.0.0.2", &c->f.server.addr);
	c->f.client.port = 40000;
	c->f.server.port = 8080;
	c->f.first_rec = c->p[0].rec;
	c->f.last_rec = c->p[c->n - 1].rec;
}

static void parses(const struct casegen_script *cs, const char *what)
{
	struct case_script sc;
	struct tr_err err = { 0 };

	ok(!case_parse_string(what, cs->text, &sc, &err), "%s: the script parses (%s)", what,
	   err.msg);
	case_script_free(&sc);
}

/* The rig (client, ISN 1000) and the target close; the target is in
 * TIME_WAIT; the rig sends its old SYN twice (without TS, then with an old
 * TS val) and the TIME_WAIT ACKs each in the old numbers. */
static void test_old_syns_into_time_wait_are_kept(void)
{
	const uint32_t ci = 1000, si = 3210639264u;
	struct conv c = { 0 };
	struct casegen_opts o = { .source = "t.pcap", .flow = &c.f, .rig_is_client = true };
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *what = "old SYNs into TIME_WAIT";
	const char *s7, *a8, *s9, *a10;

	mk(&c, 1, 0, true, SEG_SYN, ci, 0, 100, 0);
	mk(&c, 2, 40, false, SEG_SYN | SEG_ACK, si, ci + 1, 5000, 100);
	mk(&c, 3, 10000, true, SEG_ACK, ci + 1, si + 1, 110, 5000);
	mk(&c, 4, 20000, false, SEG_FIN | SEG_ACK, si + 1, ci + 1, 5020, 110);
	mk(&c, 5, 30000, true, SEG_FIN | SEG_ACK, ci + 1, si + 2, 120, 5020);
	mk(&c, 6, 30050, false, SEG_ACK, si + 2, ci + 2, 5030, 120);
	mk(&c, 7, 73000, true, SEG_SYN, ci, 0, 0, 0);
	mk(&c, 8, 73030, false, SEG_ACK, si + 2, ci + 2, 5073, 120);
	mk(&c, 9, 85000, true, SEG_SYN, ci, 0, 50, 0);
	mk(&c, 10, 85040, false, SEG_ACK, si + 2, ci + 2, 5085, 120);
	conv_flow(&c, 1);
	if (!ok(casegen_make(c.p, c.n, &o, &cs, &err) == 0, "%s: made (%s)", what, err.msg))
		return;
	s7 = strstr(cs.text, "< S 0:0(0) win 500 <mss 1460>  // #7\n");
	a8 = strstr(cs.text, "> . 2:2(0) ack 2 <TS val 773 ecr 120>  // #8\n");
	s9 = strstr(cs.text, "< S 0:0(0) win 500 <mss 1460,TS val 50 ecr 0>  // #9\n");
	a10 = strstr(cs.text, "> . 2:2(0) ack 2 <TS val 785 ecr 120>  // #10\n");
	ok(s7 && a8 && s9 && a10 && s7 < a8 && a8 < s9 && s9 < a10,
	   "%s: both SYNs kept, the same ISN, each before the ACK in the old numbers", what);
	ok(!strstr(cs.text, "retransmission\n") && !strstr(cs.text, "answers it\n"),
	   "%s: not marked as retransmissions", what);
	ok(strstr(cs.text, "// Retransmissions: 0, dropped") &&
		   strstr(cs.text, "// Kept: 2 SYNs sent again after a segment without SYN"),
	   "%s: the header says they were kept and why", what);
	if (!s7 || !a8 || !s9 || !a10)
		diag(cs.text);
	parses(&cs, what);
	casegen_script_free(&cs);
}

/* lost_last_ack_meets_reused_port as its capture has it, the rig the
 * server (ISN 1000, then 2000). Connection 2's SYN (the old snd_nxt plus
 * 65537, as Linux picks it on a reused TIME_WAIT port) meets LAST_ACK: its
 * FIN in the old numbers, the target's RST at that FIN's ack, the target's
 * SYN again 10 ms later, the handshake. */
static void conv_lost_last_ack(struct conv *a, struct conv *b)
{
	const uint32_t ci = 2942331517u, ci2 = ci + 2 + 65537, si = 1000, si2 = 2000;

	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	mk(a, 1, 0, true, SEG_SYN, ci, 0, 3755873139u, 0);
	mk(a, 2, 145, false, SEG_SYN | SEG_ACK, si, ci + 1, 5000, 3755873139u);
	mk(a, 3, 170, true, SEG_ACK, ci + 1, si + 1, 3755873139u, 5000);
	mk(a, 4, 10230, true, SEG_FIN | SEG_ACK, ci + 1, si + 1, 3755873149u, 5000);
	mk(a, 5, 10390, false, SEG_FIN | SEG_ACK, si + 1, ci + 2, 5010, 3755873149u);
	mk(a, 6, 10428, true, SEG_ACK, ci + 2, si + 2, 3755873150u, 5010);
	conv_flow(a, 1);
	mk(b, 7, 60654, true, SEG_SYN, ci2, 0, 3755873200u, 5010);
	mk(b, 8, 60766, false, SEG_FIN | SEG_ACK, si + 1, ci + 2, 5060, 3755873150u);
	mk(b, 9, 60788, true, SEG_RST, ci + 2, 0, 0, 0);
	mk(b, 10, 71340, true, SEG_SYN, ci2, 0, 3755873211u, 5010);
	mk(b, 11, 71432, false, SEG_SYN | SEG_ACK, si2, ci2 + 1, 5070, 3755873211u);
	mk(b, 12, 71458, true, SEG_ACK, ci2 + 1, si2 + 1, 3755873211u, 5070);
	conv_flow(b, 2);
}

static void test_last_ack_answers_a_reused_port_in_old_numbers(void)
{
	struct conv a, b;
	struct casegen_part parts[2];
	struct casegen_opts o = { .source = "t.pcap" };
	struct casegen_script cs;
	struct tr_err err = { 0 };
	const char *what = "LAST_ACK meets a reused port", *s7, *f8, *r9, *s10, *sa11;

	conv_lost_last_ack(&a, &b);
	a.arr = (struct casegen_array){ a.p, a.n, 0 };
	b.arr = (struct casegen_array){ b.p, b.n, 0 };
	parts[0] = (struct casegen_part){ casegen_array_src(&a.arr), &a.f, false };
	parts[1] = (struct casegen_part){ casegen_array_src(&b.arr), &b.f, false };
	if (!ok(casegen_joint_collect(parts, 2, &o, &cs, &err) == 0, "%s: --flows makes it (%s)",
		what, err.msg))
		return;
	s7 = strstr(cs.text, "> S 0:0(0) <mss 1460,TS val 761 ecr 110>  // #7\n");
	f8 = strstr(cs.text, "< F. 1:1(0) ack 4294901759 win 500 <TS val 160 ecr 711>  // #8\n");
	r9 = strstr(cs.text, "> R 4294901759:4294901759(0)  // #9\n");
	s10 = strstr(cs.text, "> S 0:0(0) <mss 1460,TS val 772 ecr 110>  // #10\n");
	sa11 = strstr(cs.text, "< S. 1000:1000(0) ack 1 win 500 <mss 1460,TS val 170 ecr 772>  // #11\n");
	ok(f8 && s7 && s7 < f8,
	   "%s: the rig's FIN absolute in its first ISN's space (1), ack relative to the new SYN",
	   what);
	ok(r9 && f8 < r9, "%s: the target's RST relative to its new ISN, after the FIN", what);
	ok(s10 && r9 < s10, "%s: the target's SYN again is kept, after its RST", what);
	ok(sa11 && s10 < sa11, "%s: the rig's SYN-ACK keeps its distance (1000)", what);
	ok(!strstr(cs.text, "SO_LINGER") && !strstr(cs.text, "close(4)"),
	   "%s: the RST was its kernel's in SYN_SENT: no SO_LINGER, no close", what);
	ok(strstr(cs.text, "// flow 2: 1 SYN sent again on purpose, kept (no retransmission); "
			   "the rig answered its SYN from the older incarnation (#8)") != NULL,
	   "%s: the header says what was inferred", what);
	if (!s7 || !f8 || !r9 || !s10 || !sa11)
		diag(cs.text);
	parses(&cs, what);
	casegen_script_free(&cs);

	/* Alone, the same conversation: the seq of a FIN from no incarnation
	 * the script knows is absolute in the rig's own space all the same. */
	o.flow = &b.f;
	if (ok(casegen_make(b.p, b.n, &o, &cs, &err) == 0, "%s, alone: made (%s)", what, err.msg)) {
		ok(strstr(cs.text, "< F. 4294966297:4294966297(0) ack 4294901759") != NULL,
		   "%s, alone: the FIN 999 before the rig's SYN-ACK", what);
		ok(strstr(cs.text, "// The rig answered the target's SYN from an older incarnation "
				   "(#8)") != NULL,
		   "%s, alone: the header says so", what);
		parses(&cs, "alone");
		casegen_script_free(&cs);
	}
}

int main(void)
{
	test_old_syns_into_time_wait_are_kept();
	test_last_ack_answers_a_reused_port_in_old_numbers();
	return tap_done();
}
