/* test_twmatrix.c - the TIME_WAIT matrix's pure parts: every generated cell
 * is a script the normal parser reads, with the probe the cell names; the
 * `> any` line's grammar; the reply classes; the RFC table's verdicts. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "case/case.h"
#include "core/segment.h"
#include "report/twcell.h"
#include "report/twrfc.h"
#include "run/twgen.h"

#include "tap.h"

/* The event on line `line`, or NULL. */
static const struct case_event *at_line(const struct case_script *s, int line)
{
	for (size_t i = 0; i < s->nevents; i++)
		if (s->events[i].line == line)
			return &s->events[i];
	return NULL;
}

static void test_generator_every_ipv4_cell_parses_with_its_probe(void)
{
	static const uint8_t flags[TW_KINDS] = {
		[TW_SYN] = SEG_SYN,		[TW_SYNACK] = SEG_SYN | SEG_ACK,
		[TW_ACK] = SEG_ACK,		[TW_FIN] = SEG_FIN,
		[TW_FINACK] = SEG_FIN | SEG_ACK, [TW_RST] = SEG_RST,
		[TW_RSTACK] = SEG_RST | SEG_ACK, [TW_DATA] = SEG_PSH | SEG_ACK,
		[TW_SYNFIN] = SEG_SYN | SEG_FIN,
	};
	unsigned parsed = 0, probes = 0, observes = 0, states = 0;

	for (size_t i = 0; i < TW_CELLS_PER_FAMILY; i++) {
		struct tw_params p;
		struct case_script s = { 0 };
		struct tr_err err = { 0 };
		const struct case_event *obs, *probe, *state;
		char text[4096], name[96];
		int line;
		uint32_t want_seq;
		const struct seg_opt *ts;

		tw_params_of(i, &p);
		tw_cell_name(&p, name, sizeof(name));
		if (twgen_script(&p, TWGEN_WINDOW, text, sizeof(text), &line, &err) ||
		    case_parse_string(name, text, &s, &err)) {
			ok(false, "%s: %s", name, err.msg);
			continue;
		}
		parsed++;
		obs = at_line(&s, line);
		probe = obs && obs > s.events ? obs - 1 : NULL;
		state = obs && obs + 1 < s.events + s.nevents ? obs + 1 : NULL;
		observes += obs && obs->kind == CASE_EV_OBSERVE && obs->time.range;
		want_seq = (uint32_t)(2 + tw_pos_offset(p.pos, TWGEN_WINDOW));
		ts = probe ? segment_opt_find(&probe->u.pkt.seg, SEG_OPT_TS) : NULL;
		if (probe && probe->kind == CASE_EV_INJECT &&
		    probe->u.pkt.seg.flags == flags[p.kind] && probe->u.pkt.seg.seq == want_seq &&
		    probe->u.pkt.seg.payload_len == (p.kind == TW_DATA ? 1u : 0u) && ts &&
		    ts->v.ts.val == (p.ts == TW_FRESH ? 200u : 50u))
			probes++;
		else
			diag(name);
		states += state && state->kind == CASE_EV_CALL && state->nalts == 3 &&
			  !strcmp(state->u.call.name, "sock_state");
		case_script_free(&s);
	}
	is_int(parsed, TW_CELLS_PER_FAMILY, "every IPv4 cell's script parses (%d)",
	       TW_CELLS_PER_FAMILY);
	is_int(probes, TW_CELLS_PER_FAMILY,
	       "each sends its kind's flags at rcv_nxt + the position's offset, its TS val");
	is_int(observes, TW_CELLS_PER_FAMILY, "each observes on the line it says, a window");
	is_int(states, TW_CELLS_PER_FAMILY, "then reads the socket's state, 4 outcomes");
}

static void test_generator_positions_and_rfc1337(void)
{
	struct tw_params p = { TW_IPV4, TW_DATA, TW_EDGE, TW_STALE, 1 };
	struct tr_err err = { 0 };
	char text[4096];
	int line;

	is_int(tw_pos_offset(TW_BELOW, 65536), -1, "rcv_nxt-1 is -1");
	is_int(tw_pos_offset(TW_INSIDE, 65536), 32768, "inside: half the window");
	is_int(tw_pos_offset(TW_EDGE, 65536), 65535, "edge: the window's last byte");
	is_int(tw_pos_offset(TW_BEYOND, 65536), 65536, "beyond: the first byte past it");
	is_int(twgen_script(&p, 65536, text, sizeof(text), &line, &err), 0, "data at edge");
	ok(strstr(text, "< P. 65537:65538(1) ack 2 win 257 <nop,nop,TS val 50 ecr 730>\n") != NULL,
	   "one byte at rcv_nxt + 65535, stale TS, acking snd_nxt");
	ok(strstr(text, "--sysctl=net.ipv4.tcp_rfc1337=1\n") != NULL, "under tcp_rfc1337=1");
	ok(strstr(text, "> . 2:2(0) ack 2 win 64 ") != NULL, "the setup checks the window");
	is_int(twgen_script(&p, 65536, text, 100, &line, &err), -1, "a small buffer is refused");
}

/* An IPv6 cell is its IPv4 twin pinned to IPv6, with IPv6's MSS: the rest of
 * the script, the probe included, is the same text. */
static void test_generator_ipv6_cells_are_ipv4_twins(void)
{
	unsigned pinned = 0, twins = 0, mss = 0;

	is_int(twgen_target_mss(TW_IPV4), 1460, "IPv4: MSS = path MTU 1500 - 40");
	is_int(twgen_target_mss(TW_IPV6), 1460, "IPv6: MSS = path MTU 1520 - 60");
	for (size_t i = 0; i < TW_CELLS_PER_FAMILY; i++) {
		struct tw_params p4, p6;
		struct case_script s = { 0 };
		struct tr_err err = { 0 };
		char t4[4096], t6[4096], name[96], want[64];
		const char *body4, *body6;
		int l4, l6;

		tw_params_of(i, &p4);
		tw_params_of(i + TW_CELLS_PER_FAMILY, &p6);
		tw_cell_name(&p6, name, sizeof(name));
		if (p6.family != TW_IPV6 || twgen_script(&p4, TWGEN_WINDOW, t4, sizeof(t4), &l4, &err) ||
		    twgen_script(&p6, TWGEN_WINDOW, t6, sizeof(t6), &l6, &err) ||
		    case_parse_string(name, t6, &s, &err)) {
			ok(false, "%s: %s", name, err.msg);
			continue;
		}
		pinned += s.opt.ip_version_given && s.opt.family == AF_INET6;
		case_script_free(&s);
		snprintf(want, sizeof(want), "<mss %u,", twgen_target_mss(TW_IPV6));
		mss += strstr(t6, want) != NULL;
		/* After the first line (it names the family) and the IPv6
		 * cell's --ip_version line, the two scripts are one. */
		body4 = strchr(t4, '\n');
		body6 = strstr(t6, "--ip_version=ipv6\n");
		twins += body4 && body6 && !strcmp(body4 + 1, body6 + strlen("--ip_version=ipv6\n")) &&
			 l6 == l4 + 1;
	}
	is_int(pinned, TW_CELLS_PER_FAMILY, "every IPv6 cell parses, pinned to IPv6 (--ip_version)");
	is_int(mss, TW_CELLS_PER_FAMILY, "  its SYN-ACK's MSS is IPv6's");
	is_int(twins, TW_CELLS_PER_FAMILY, "  and the rest is its IPv4 twin's script");
}

static void test_cells_index_round_trip(void)
{
	unsigned same = 0;
	char name[96];

	for (size_t i = 0; i < TW_FAMILIES * TW_CELLS_PER_FAMILY; i++) {
		struct tw_params p;

		tw_params_of(i, &p);
		same += tw_index(&p) == i;
	}
	is_int(same, TW_FAMILIES * TW_CELLS_PER_FAMILY, "tw_params_of and tw_index agree");
	tw_cell_name(&(struct tw_params){ TW_IPV4, TW_RSTACK, TW_ABOVE, TW_FRESH, 0 }, name,
		     sizeof(name));
	is_str(name, "ipv4-rst-ack-rcv_nxt+1-fresh-rfc1337_0", "a cell's file name");
	is_int(tw_kind_parse("syn-fin"), TW_SYNFIN, "kinds parse without regard to case");
	is_int(tw_kind_parse("PSH"), -1, "an unknown kind is -1");
}

static void parse_err(const char *text, const char *want, const char *what)
{
	struct case_script s = { 0 };
	struct tr_err err = { 0 };
	int rc = case_parse_string("t.pkt", text, &s, &err);

	ok(rc == -1 && strstr(err.msg, want) != NULL, "%s", what);
	if (rc == 0)
		case_script_free(&s);
	else if (!strstr(err.msg, want))
		diag(err.msg);
}

static void test_any_line_grammar(void)
{
	struct case_script s = { 0 };
	struct tr_err err = { 0 };

	is_int(case_parse_string("t.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
					  "+0~+0.1 > 8080>40000 any\n",
				 &s, &err),
	       0, "'+0~+0.1 > 8080>40000 any' parses");
	is_int(s.nevents, 2, "two events");
	is_int(s.events[1].kind, CASE_EV_OBSERVE, "an OBSERVE event");
	is_int(s.events[1].u.pkt.seg.sport, 8080, "with its ports");
	is_int(s.events[1].time.until_us, 100000, "and its window");
	case_script_free(&s);
	parse_err("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 > any\n",
		  "'> any' needs a time range a~b", "'> any' without a window is refused");
	parse_err("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0~+0.1 > any => x\n",
		  "takes no outcome label", "'> any' with a label is refused");
	parse_err("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0~+0.1 > . 1:1(0) ack 1 => a\n"
		  "  | > any\n",
		  "is no alternative", "'| > any' is refused");
	parse_err("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < any\n",
		  "'any' is allowed only on '>' lines", "'< any' is refused");
}

static void test_reply_classes(void)
{
	is_int(tw_reply_classify(TW_ACK, ""), TW_SILENT, "nothing: silent");
	is_int(tw_reply_classify(TW_ACK, "8080>40000 . 2:2(0) ack 2 win 64 <nop,nop,TS val 1 ecr 120>"),
	       TW_DUPACK, "ACK of rcv_nxt from snd_nxt to an ACK: dup-ack");
	is_int(tw_reply_classify(TW_RST, "8080>40000 . 2:2(0) ack 2 win 64"), TW_CHALLENGE,
	       "the same ACK to an RST: chal-ack");
	is_int(tw_reply_classify(TW_SYNFIN, "8080>40000 . 2:2(0) ack 2 win 64"), TW_CHALLENGE,
	       "... to a SYN+FIN: chal-ack");
	is_int(tw_reply_classify(TW_DATA, "8080>40000 . 2:2(0) ack 3 win 64"), TW_ACKOTHER,
	       "an ACK of more than rcv_nxt: ack-other");
	is_int(tw_reply_classify(TW_SYN, "8080>40000 S. 123:123(0) ack 1 win 65160 <mss 1460>"),
	       TW_SYNACKREPLY, "a SYN-ACK: syn-ack");
	is_int(tw_reply_classify(TW_FIN, "8080>40000 R 2:2(0) win 0"), TW_RSTREPLY, "an RST: rst");
	is_int(tw_reply_classify(TW_FIN, "8080>40000 F. 2:2(0) ack 2 win 64"), TW_OTHER,
	       "a FIN: other");
}

static struct tw_cell observed(enum tw_kind k, enum tw_pos pos, enum tw_ts ts, int rfc1337,
			       enum tw_reply reply, enum tw_state state)
{
	struct tw_cell c = { .p = { TW_IPV4, k, pos, ts, rfc1337 }, .observed = true,
			     .reply = reply, .state = state };

	return c;
}

static void test_rfc_table_flags_contradictions(void)
{
	const struct twrfc_rule *r[8];
	struct tw_cell c;
	size_t n;

	c = observed(TW_RST, TW_INSIDE, TW_FRESH, 0, TW_SILENT, TW_KEPT);
	n = twrfc_check(&c, r, 8);
	is_int(n, 1, "an in-window RST left unanswered contradicts one statement");
	ok(n == 1 && !strcmp(r[0]->rfc, "RFC 5961") && !strcmp(r[0]->section, "3.2"),
	   "  RFC 5961 3.2");
	c = observed(TW_RST, TW_INSIDE, TW_FRESH, 0, TW_CHALLENGE, TW_KEPT);
	is_int(twrfc_check(&c, r, 8), 0, "answered with a challenge ACK it contradicts none");
	c = observed(TW_RST, TW_AT, TW_FRESH, 1, TW_SILENT, TW_GONE);
	n = twrfc_check(&c, r, 8);
	ok(n == 1 && !strcmp(r[0]->rfc, "RFC 1337") && !strcmp(r[0]->section, "3"),
	   "tcp_rfc1337=1 and the RST killed it: RFC 1337 3 (fix F1)");
	{
		size_t nrules, bare = 0;
		const struct twrfc_rule *all = twrfc_rules(&nrules);

		for (size_t i = 0; i < nrules; i++)
			bare += !all[i].section[0];
		is_int(bare, 0, "every statement cites its RFC's section");
	}
	c = observed(TW_RST, TW_AT, TW_FRESH, 0, TW_SILENT, TW_KEPT);
	n = twrfc_check(&c, r, 8);
	ok(n == 1 && !strcmp(r[0]->section, "3.10.7.4"),
	   "tcp_rfc1337=0 and the RST at rcv_nxt kept it: RFC 9293 3.10.7.4");
	c = observed(TW_SYNFIN, TW_AT, TW_FRESH, 0, TW_SILENT, TW_GONE);
	n = twrfc_check(&c, r, 8);
	ok(n == 1 && !strcmp(r[0]->section, "4.2"), "a SYN+FIN that killed it: RFC 5961 4.2");
	c = observed(TW_SYN, TW_BELOW, TW_FRESH, 0, TW_SYNACKREPLY, TW_NEW);
	is_int(twrfc_check(&c, r, 8), 0, "a fresh SYN opening a new connection is allowed");
	c = observed(TW_SYN, TW_BELOW, TW_STALE, 0, TW_SYNACKREPLY, TW_NEW);
	is_int(twrfc_check(&c, r, 8), 1, "a stale one is not");
	c = observed(TW_DATA, TW_BEYOND, TW_STALE, 0, TW_DUPACK, TW_KEPT);
	is_int(twrfc_check(&c, r, 8), 0, "stale data beyond the window, dup-acked: fine");
	ok(twrfc_ratelimit(&c) && !strcmp(twrfc_ratelimit(&c), "net.ipv4.tcp_invalid_ratelimit"),
	   "  and rate-limited by tcp_invalid_ratelimit");
	c.observed = false;
	is_int(twrfc_check(&c, r, 8), 0, "a cell not observed is not judged");
}

int main(void)
{
	test_generator_every_ipv4_cell_parses_with_its_probe();
	test_generator_positions_and_rfc1337();
	test_generator_ipv6_cells_are_ipv4_twins();
	test_cells_index_round_trip();
	test_any_line_grammar();
	test_reply_classes();
	test_rfc_table_flags_contradictions();
	return tap_done();
}
