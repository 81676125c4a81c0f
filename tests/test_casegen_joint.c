/* Unit tests for pcap2case --flows (run/casegen_joint.c): two conversations
 * of one capture stitched into one script. On one 4-tuple (a port reused
 * after TIME_WAIT): one listener, each accept its own fd; the rig's second
 * SYN keeps its recorded distance from its first ISN; both sides' TS vals
 * go on from the first conversation's clock; no ports written; the script
 * parses and its line map names the second conversation's packets. On two
 * client ports: each conversation's lines name their lab ports. A
 * conversation that began before the one before it ended is refused. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "run/casegen_joint.h"
#include "wire/flow.h"
#include "casegen_fixture.h"
#include "tap.h"

struct conv {
	struct flow_pkt p[8];
	size_t n;
	struct casegen_array arr;
	struct flow f;
};

/* seg: client (fc) or server segment at time ms, seq/ack relative to the
 * ISNs ci/si, TS clocks: client 100000 + ms, server 900000 + ms. */
static void mk(struct conv *c, unsigned long rec, long ms, bool fc, uint8_t flags,
	       uint32_t seq, uint32_t ack, uint32_t ci, uint32_t si, uint16_t cport)
{
	c->p[c->n++] = fx_pkt((struct fx_seg){
		.rec = rec, .us = ms * 1000, .fc = fc, .flags = flags, .seq = seq, .ack = ack,
		.cisn = ci, .sisn = si, .cport = cport, .ts = true, .bare_ts = true,
		.tsval = (fc ? 100000u : 900000u) + (uint32_t)ms,
		.tsecr = flags == SEG_SYN ? 0 : (fc ? 900000u : 100000u) + (uint32_t)ms });
}

/* A connection the server closes first (TIME_WAIT at the server), from
 * client ISN ci at time t0 (ms); the second one only opens. */
static void conv_make(struct conv *c, unsigned num, unsigned long rec0, long t0, uint32_t ci,
		      uint32_t si, uint16_t cport, bool closes)
{
	memset(c, 0, sizeof(*c));
	mk(c, rec0 + 1, t0, true, SEG_SYN, 0, 0, ci, si, cport);
	mk(c, rec0 + 2, t0 + 1, false, SEG_SYN | SEG_ACK, 0, 1, ci, si, cport);
	mk(c, rec0 + 3, t0 + 2, true, SEG_ACK, 1, 1, ci, si, cport);
	if (closes) {
		mk(c, rec0 + 4, t0 + 10, false, SEG_FIN | SEG_ACK, 1, 1, ci, si, cport);
		mk(c, rec0 + 5, t0 + 20, true, SEG_FIN | SEG_ACK, 1, 2, ci, si, cport);
		mk(c, rec0 + 6, t0 + 21, false, SEG_ACK, 2, 2, ci, si, cport);
	}
	c->f.number = num;
	c->f.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", &c->f.client.addr);
	inet_pton(AF_INET, "10.0.0.2", &c->f.server.addr);
	c->f.client.port = cport;
	c->f.server.port = 80;
	c->f.first_rec = rec0 + 1;
	c->f.last_rec = rec0 + c->n;
}

static int joint(struct conv *a, struct conv *b, struct casegen_script *cs, struct tr_err *err)
{
	a->arr = (struct casegen_array){ a->p, a->n, 0 };
	b->arr = (struct casegen_array){ b->p, b->n, 0 };
	struct casegen_part parts[2] = {
		{ casegen_array_src(&a->arr), &a->f, true },
		{ casegen_array_src(&b->arr), &b->f, true },
	};
	struct casegen_opts o = { .source = "test.pcap" };

	return casegen_joint_collect(parts, 2, &o, cs, err);
}

static int count(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_joint_one_tuple_shares_clocks_and_listener(void)
{
	struct conv a, b;
	struct casegen_script cs;
	struct case_script sc;
	struct tr_err err = { 0 };
	int syn2 = 0, line = 1;

	/* TIME_WAIT reuse: ISN 1000 then 6000 (5000 on), 100 ms later. */
	conv_make(&a, 1, 0, 0, 1000, 7000, 5000, true);
	conv_make(&b, 2, 6, 100, 6000, 9000, 5000, false);
	ok(!joint(&a, &b, &cs, &err), "two conversations on one 4-tuple make a script (%s)",
	   err.msg);
	if (!cs.text)
		return;
	ok(count(cs.text, "listen(3, 1) = 0") == 1, "one listener");
	ok(strstr(cs.text, "accept(3, ..., ...) = 4") && strstr(cs.text, "accept(3, ..., ...) = 5"),
	   "each accept its own fd (4, then 5)");
	ok(strstr(cs.text, "< S 0:0(0) win 500 <mss 1460,TS val 100 ecr 0>") != NULL,
	   "the first SYN: ISN 0, TS val 100");
	ok(strstr(cs.text, "< S 5000:5000(0) win 500 <mss 1460,TS val 200 ecr 0>") != NULL,
	   "the second SYN keeps its distance from the first ISN (5000) and the rig's TS clock "
	   "(200: 100 ms later)");
	if (!ok(strstr(cs.text, "> S. 0:0(0) ack 1 <mss 1460,TS val 800 ecr 201>") != NULL,
	   "the target's TS clock goes on too (800: 100 ms after its 700), its ISN its own (0)"))
		diag(cs.text);
	ok(!strstr(cs.text, "5000>") && !strstr(cs.text, "40000>"), "one 4-tuple: no ports written");
	ok(!case_parse_string("joint", cs.text, &sc, &err), "the script parses (%s)", err.msg);
	case_script_free(&sc);
	for (const char *p = cs.text; *p; p++) {
		if (!strncmp(p, "< S 5000", 8))
			syn2 = line;
		if (*p == '\n')
			line++;
	}
	ok(syn2 && casegen_line_rec(&cs, syn2) == 7, "the line map names the second SYN's packet (#7)");
	casegen_script_free(&cs);
}

static void test_joint_two_ports_named(void)
{
	struct conv a, b;
	struct casegen_script cs;
	struct tr_err err = { 0 };

	conv_make(&a, 1, 0, 0, 1000, 7000, 5000, true);
	conv_make(&b, 2, 6, 100, 6000, 9000, 5001, false);
	ok(!joint(&a, &b, &cs, &err), "two client ports make a script (%s)", err.msg);
	if (!cs.text)
		return;
	ok(strstr(cs.text, "< 40000>8080 S 0:0(0)") && strstr(cs.text, "> 8080>40000 S. 0:0(0)"),
	   "the first conversation's lines name lab ports 40000>8080");
	ok(strstr(cs.text, "< 40001>8080 S 5000:5000(0)") != NULL,
	   "the second, another client port: 40001");
	casegen_script_free(&cs);
}

static void test_joint_overlap_refused(void)
{
	struct conv a, b;
	struct casegen_script cs;
	struct tr_err err = { 0 };

	conv_make(&a, 1, 0, 0, 1000, 7000, 5000, true);
	conv_make(&b, 2, 6, 5, 6000, 9000, 5001, false); /* opens at 5 ms, a ends at 21 */
	ok(joint(&a, &b, &cs, &err) && err.status == TR_USAGE, "overlapping conversations: refused");
	ok(strstr(err.msg, "flow 2 began (#7) before flow 1 ended") != NULL, "says which (%s)",
	   err.msg);
	ok(!cs.text, "no script");
}

int main(void)
{
	test_joint_one_tuple_shares_clocks_and_listener();
	test_joint_two_ports_named();
	test_joint_overlap_refused();
	return tap_done();
}
