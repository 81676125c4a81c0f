/* Unit tests for the sysctls a recording changed on the way (a settings
 * file's `--sysctl-at TIME NAME=VALUE`, run/casegen_knobs.c) and where
 * pcap2case's script sets them (run/casegen_text.c): the line read, its
 * bad forms refused at the column of the fault, the shell line made (a
 * value with blanks quoted), and in a script each knob set by a shell line
 * at its moment among the packets (relative times kept), one changed
 * before the conversation at its start, one after it left out; the header
 * says so and the script parses. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "run/casegen.h"
#include "run/casegen_knobs.h"
#include "wire/flow.h"
#include "tap.h"

static void test_a_line_is_read(void)
{
	struct casegen_knob k;
	struct tr_err err = { 0 };
	int col = 0;

	ok(casegen_knob_parse("1765118366.123456 net.ipv4.tcp_tw_reuse=1", &k, &col, &err) == 0,
	   "TIME NAME=VALUE read");
	ok(k.ns == 1765118366123456000LL, "the time in ns since the epoch (%lld)", (long long)k.ns);
	is_str(k.set, "net.ipv4.tcp_tw_reuse=1", "the setting");
	ok(casegen_knob_parse("12 net.ipv4.ip_local_port_range=40000 40001", &k, &col, &err) == 0,
	   "whole seconds, a value of two fields");
	ok(k.ns == 12000000000LL, "12 s");
	ok(casegen_knob_parse("0.000000001\tnet.ipv4.tcp_rfc1337=1", &k, &col, &err) == 0 &&
		   k.ns == 1, "nanoseconds, a tab between");
}

static void bad(const char *text, int want_col, const char *want)
{
	struct casegen_knob k;
	struct tr_err err = { 0 };
	int col = 0;

	if (!ok(casegen_knob_parse(text, &k, &col, &err) != 0, "'%s': refused", text))
		return;
	is_int(col, want_col, "'%s': at column %d", text, want_col);
	ok(strstr(err.msg, want) != NULL, "'%s': says '%s' (%s)", text, want, err.msg);
	is_int(err.status, TR_USAGE, "'%s': bad input", text);
}

static void test_bad_lines_are_refused_where_they_go_wrong(void)
{
	bad("soon net.ipv4.tcp_tw_reuse=1", 1, "'soon' is not a time");
	bad("1.5x net.ipv4.tcp_tw_reuse=1", 1, "'1.5x' is not a time");
	bad("17651183660 net.ipv4.tcp_tw_reuse=1", 1, "is not a time");
	bad("1.0000000001 net.ipv4.tcp_tw_reuse=1", 1, "is not a time");
	bad("1.5", 4, "NAME=VALUE missing");
	bad("1.5 kernel.panic=1", 5, "only net.* knobs");
	bad("1.5  net.ipv4.tcp_tw_reuse", 6, "is not NAME=VALUE");
	bad("1.5 net.core.x=`reboot`", 5, "a quote or backslash");
}

static void test_the_shell_line(void)
{
	struct casegen_knob k = { 0, "net.ipv4.tcp_tw_reuse=1" };
	char buf[256];

	casegen_knob_line(&k, buf, sizeof(buf));
	is_str(buf, "`sysctl -q net.ipv4.tcp_tw_reuse=1`", "one field: as a case writes it");
	snprintf(k.set, sizeof(k.set), "net.ipv4.ip_local_port_range=40000 40001");
	casegen_knob_line(&k, buf, sizeof(buf));
	is_str(buf, "`sysctl -q net.ipv4.ip_local_port_range='40000 40001'`",
	       "two fields: the value quoted for the shell");
	casegen_knob_time(1765118366123456789LL, buf, sizeof(buf));
	is_str(buf, "1765118366.123457", "a time as the settings file writes it (us)");
}

static void test_sorted_by_time_stable(void)
{
	struct casegen_knob k[3] = { { 30, "net.a=1" }, { 10, "net.b=1" }, { 30, "net.c=1" } };

	casegen_knobs_sort(k, 3);
	ok(k[0].ns == 10 && !strcmp(k[1].set, "net.a=1") && !strcmp(k[2].set, "net.c=1"),
	   "in time order, one moment's in the order given");
}

/* A segment at time ms (t0 1000 s), the client 10.0.0.1:5000. */
static struct flow_pkt pkt(unsigned long rec, long ms, bool fc, uint8_t flags, uint32_t seq,
			   uint32_t ack)
{
	struct flow_pkt p = { .rec = rec, .ts = { 1000 + ms / 1000, (ms % 1000) * 1000000 },
			      .from_client = fc };
	struct seg_opt *o;

	segment_init(&p.seg);
	inet_pton(AF_INET, fc ? "10.0.0.1" : "10.0.0.2", &p.seg.src.v4);
	inet_pton(AF_INET, fc ? "10.0.0.2" : "10.0.0.1", &p.seg.dst.v4);
	p.seg.sport = fc ? 5000 : 80;
	p.seg.dport = fc ? 80 : 5000;
	p.seg.flags = flags;
	p.seg.seq = seq + (fc ? 1000 : 9000);
	p.seg.ack = flags & SEG_ACK ? ack + (fc ? 9000 : 1000) : 0;
	p.seg.win = 500;
	if (flags & SEG_SYN) {
		o = segment_opt_add(&p.seg, SEG_OPT_MSS);
		o->len = 4;
		o->v.mss = 1460;
	}
	return p;
}

/* The index of the first line holding what, from line `from` on; -1. */
static int line_of(const char *text, const char *what, int from)
{
	int n = 1;

	for (const char *p = text; *p; n++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (n >= from && memmem(p, len, what, strlen(what)))
			return n;
		p += len + !!nl;
	}
	return -1;
}

static const char *line_text(const char *text, int n, char *buf, size_t cap)
{
	const char *p = text;

	while (--n > 0 && (p = strchr(p, '\n')))
		p++;
	snprintf(buf, cap, "%.*s", p ? (int)strcspn(p, "\n") : 0, p ? p : "");
	return buf;
}

static void test_knobs_set_at_their_moments_in_the_script(void)
{
	/* Handshake at 0..20 ms, the target (server) closes at 50 ms. */
	struct flow_pkt p[6] = {
		pkt(1, 0, true, SEG_SYN, 0, 0),
		pkt(2, 10, false, SEG_SYN | SEG_ACK, 0, 1),
		pkt(3, 20, true, SEG_ACK, 1, 1),
		pkt(4, 50, false, SEG_FIN | SEG_ACK, 1, 1),
		pkt(5, 60, true, SEG_FIN | SEG_ACK, 1, 2),
		pkt(6, 70, false, SEG_ACK, 2, 2),
	};
	/* Before the SYN, between #3 and #4 (at 35 ms), after the last one. */
	struct casegen_knob k[3] = {
		{ 999LL * 1000000000, "net.ipv4.tcp_rfc1337=1" },
		{ 1000LL * 1000000000 + 35000000, "net.ipv4.tcp_tw_reuse=1" },
		{ 1001LL * 1000000000, "net.ipv4.tcp_fin_timeout=5" },
	};
	struct casegen_opts o = { .source = "knobs.pcap", .rig_is_client = true, .knobs = k,
				  .nknobs = 3 };
	struct casegen_script cs;
	struct case_script sc;
	struct tr_err err = { 0 };
	char buf[300];
	int first, mid, l3, l4, fin;

	if (!ok(casegen_make(p, 6, &o, &cs, &err) == 0, "made (%s)", err.msg))
		return;
	first = line_of(cs.text, "`sysctl -q net.ipv4.tcp_rfc1337=1`", 1);
	ok(first > 0 && !strncmp(line_text(cs.text, first, buf, sizeof(buf)), "0 ", 2),
	   "changed before the conversation: at its start, time 0 (%s)", buf);
	ok(first > 0 && first < line_of(cs.text, "socket(", 1), "... before the first call");
	l3 = line_of(cs.text, "// #3", 1);
	l4 = line_of(cs.text, "// #4", 1);
	mid = line_of(cs.text, "`sysctl -q net.ipv4.tcp_tw_reuse=1`", 1);
	ok(l3 > 0 && mid > l3 && mid < l4, "changed at 35 ms: between #3 (20 ms) and #4 (50 ms) "
	   "(lines %d < %d < %d)", l3, mid, l4);
	is_str(line_text(cs.text, mid, buf, sizeof(buf)),
	       "+0.015    `sysctl -q net.ipv4.tcp_tw_reuse=1`", "15 ms after the line before it");
	fin = line_of(cs.text, "close(4) = 0", 1);
	ok(fin > mid && !strncmp(line_text(cs.text, fin, buf, sizeof(buf)), "+0.015 ", 7),
	   "the next timed line 15 ms after it: 50 ms in all, as recorded (%s)", buf);
	ok(line_of(cs.text, "tcp_fin_timeout", 1) < 0, "changed after the last packet: left out");
	ok(line_of(cs.text, "// Sysctls the recording changed on the way (--sysctl-at): 2 set", 1) > 0,
	   "the header: 2 set by shell lines");
	ok(line_of(cs.text, "(1 at the start: changed before the first line); 1 after the last "
			    "packet, left out.", 1) > 0, "... 1 at the start, 1 left out");
	ok(casegen_line_rec(&cs, mid) == 0, "a shell line stands for no packet");
	ok(case_parse_string("knobs.pkt", cs.text, &sc, &err) == 0, "the script parses (%s)",
	   err.msg);
	if (!err.msg[0])
		case_script_free(&sc);
	casegen_script_free(&cs);
}

int main(void)
{
	test_a_line_is_read();
	test_bad_lines_are_refused_where_they_go_wrong();
	test_the_shell_line();
	test_sorted_by_time_stable();
	test_knobs_set_at_their_moments_in_the_script();
	return tap_done();
}
