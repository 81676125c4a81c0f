/* test_case_parser.c - the case language: what it accepts, and an error with
 * file:line:col for every rule it enforces. */
#include "case/case.h"
#include "case/defines.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

/* Upstream style, seen from the target: passive open, data both ways,
 * passive close. Every construct of the subset appears at least once. */
static const char upstream_script[] =
    "// Passive open, data both ways, then the peer closes first.\n"
    "--tolerance_usecs=10000\n"
    "--tolerance_percent=12.5\n"
    "--ip_version=ipv4\n"
    "--mss=1000\n"
    "\n"
    "`../common/defaults.sh\n"
    "sysctl -q net.ipv4.tcp_timestamps=1`\n"
    "\n"
    "/* A comment that\n"
    "   spans lines. */\n"
    "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
    "   +0 bind(3, ..., ...) = 0\n"
    "   +0 listen(3, 1) = 0\n"
    "\n"
    "   +0 < 40000>8080 S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
    "   +0 > 8080>40000 S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>\n"
    " +.01 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 700>\n"
    "   +0 accept(3, ..., ...) = 4\n"
    "   +0 setsockopt(4, IPPROTO_TCP, TCP_NODELAY, [1], 4) = 0\n"
    "   +0 fcntl(4, F_GETFL) = 0x2 (flags O_RDWR)\n"
    "\n"
    "// Data in; the read blocks until it arrives.\n"
    "   +0...0.02 read(4, ..., 1000) = 1000\n"
    " +.01 < P. 1:1001(1000) ack 1 win 257 <nop,nop,TS val 120 ecr 700>\n"
    "0.02~0.05 > . 1:1(0) ack 1001 <...>\n"
    "\n"
    "// Data out, SACKed.\n"
    "   +0 write(4, ..., 2000) = 2000\n"
    "   +0 > P. 1:2001(2000) ack 1001 win 502 <nop,nop,TS val 710 ecr 120>\n"
    " +.01 < . 1001:1001(0) ack 2001 win 257 <nop,nop,TS val 130 ecr 710,nop,nop,sack 1:2 3:4>\n"
    "   +0 read(4, ..., 1000) = -1 EAGAIN (Resource temporarily unavailable)\n"
    "   +0 `ss -tn state time-wait` // a timed shell line\n"
    "\n"
    "// The peer closes first.\n"
    " +.01 < F. 1001:1001(0) ack 2001 win 257 <nop,nop,TS val 140 ecr 710>\n"
    "+0~+0.2 > . 2001:2001(0) ack 1002 <nop,nop,TS val 720 ecr 140>\n"
    "   +0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
    "   +0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
    "   +0 shutdown(4, SHUT_WR) = 0\n"
    "    * > F. 2001:2001(0) ack 1002 <...>\n"
    "  +.1 close(4) = 0 /* no RST: linger off */\n"
    "`echo done`\n";

static const struct case_event *ev_at(const struct case_script *s, size_t i)
{
	static const struct case_event none;

	return i < s->nevents ? &s->events[i] : &none;
}

static void test_upstream_script_parses_into_events(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_event *e;
	const struct segment *g;
	const struct case_expr *a;

	if (!ok(case_parse_string("up.pkt", upstream_script, &s, &err) == 0,
		"upstream-style script parses"))
		printf("# %s\n", err.msg);
	is_int(s.nevents, 27, "one event per timed line, plus setup and cleanup shell");
	is_str(s.path, "up.pkt", "script keeps its path");
	is_int(s.opt.tolerance_usecs, 10000, "--tolerance_usecs");
	ok(s.opt.tolerance_percent == 12.5, "--tolerance_percent takes a fraction");
	is_int(s.opt.family, AF_INET, "--ip_version=ipv4");
	is_int(s.opt.mss, 1000, "--mss");
	is_int(s.nwarnings, 0, "no warnings");

	e = ev_at(&s, 0);
	is_int(e->kind, CASE_EV_SHELL, "untimed backtick before the events is a shell event");
	is_int(e->time.kind, CASE_TIME_NONE, "setup shell line has no time");
	is_str(e->u.shell.cmd, "../common/defaults.sh\nsysctl -q net.ipv4.tcp_timestamps=1",
	       "multi-line backtick keeps its newlines");
	ok(!e->u.shell.cleanup, "setup shell line is not cleanup");
	is_int(e->line, 7, "multi-line command starts on its first line");
	is_str(e->text, "`../common/defaults.sh\nsysctl -q net.ipv4.tcp_timestamps=1`",
	       "multi-line command keeps all its lines as text");

	e = ev_at(&s, 1);
	is_int(e->kind, CASE_EV_CALL, "socket() is a call");
	is_int(e->line, 12, "line number after a C comment over two lines");
	is_str(e->text, "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
	       "line text kept as written");
	is_int(e->time.kind, CASE_TIME_ABS, "0 is absolute");
	is_str(e->u.call.name, "socket", "call name");
	is_int(e->u.call.nargs, 3, "socket() has 3 arguments");
	is_int(e->u.call.args[0].kind, CASE_EXPR_ELLIPSIS, "... argument");
	is_int(e->u.call.args[1].num, SOCK_STREAM, "SOCK_STREAM resolves to libc's value");
	is_str(e->u.call.args[1].text, "SOCK_STREAM", "symbol keeps its name");
	is_int(e->u.call.args[2].num, IPPROTO_TCP, "IPPROTO_TCP resolves");
	is_int(e->u.call.ret, 3, "result 3");
	is_int(e->u.call.err, 0, "no errno");

	e = ev_at(&s, 2);
	a = e->u.call.args;
	is_int(a[1].num, SOL_SOCKET, "SOL_SOCKET");
	is_int(a[2].num, SO_REUSEADDR, "SO_REUSEADDR");
	is_int(a[3].kind, CASE_EXPR_LIST, "[1] is an int by reference");
	is_int(a[3].nkids, 1, "[1] holds one value");
	is_int(a[3].kids[0].num, 1, "[1] holds 1");

	e = ev_at(&s, 5);
	g = &e->u.pkt.seg;
	is_int(e->kind, CASE_EV_INJECT, "'<' is an inject");
	is_int(e->time.kind, CASE_TIME_REL, "+0 is relative");
	is_int(e->u.pkt.given, CASE_PKT_PORTS | CASE_PKT_WIN | CASE_PKT_OPTS,
	       "SYN records ports, win and options as given");
	is_int(g->sport, 40000, "sport of '<' line");
	is_int(g->dport, 8080, "dport of '<' line");
	is_int(g->flags, SEG_SYN, "S");
	is_int(g->seq, 0, "seq");
	is_int(g->payload_len, 0, "len");
	is_int(g->win, 32792, "win");
	is_int(g->nopts, 5, "5 options in order");
	is_int(g->opts[0].kind, SEG_OPT_MSS, "opt 0 mss");
	is_int(g->opts[0].v.mss, 1000, "mss 1000");
	is_int(g->opts[1].kind, SEG_OPT_SACK_PERM, "opt 1 sackOK");
	is_int(g->opts[2].kind, SEG_OPT_TS, "opt 2 TS");
	is_int(g->opts[2].v.ts.val, 100, "TS val");
	is_int(g->opts[2].v.ts.ecr, 0, "TS ecr");
	is_int(g->opts[2].len, 10, "TS is 10 bytes");
	is_int(g->opts[3].kind, SEG_OPT_NOP, "opt 3 nop");
	is_int(g->opts[4].kind, SEG_OPT_WSCALE, "opt 4 wscale");
	is_int(g->opts[4].v.wscale, 7, "wscale 7");

	e = ev_at(&s, 6);
	g = &e->u.pkt.seg;
	is_int(e->kind, CASE_EV_EXPECT, "'>' is an expect");
	is_int(e->u.pkt.given, CASE_PKT_PORTS | CASE_PKT_ACK | CASE_PKT_OPTS,
	       "SYN-ACK gives ack and options, not win");
	is_int(g->sport, 8080, "'>' ports are the target's segment's own");
	is_int(g->dport, 40000, "dport of '>' line");
	is_int(g->flags, SEG_SYN | SEG_ACK, "S.");
	is_int(g->ack, 1, "ack 1");
	is_int(g->opts[2].v.ts.ecr, 100, "expected TS ecr kept");

	e = ev_at(&s, 7);
	is_int(e->time.us, 10000, "+.01 is 10 ms as written");
	is_int(e->time.at_us, 10000, "+.01 resolves to 10 ms");
	is_int(e->u.pkt.given, CASE_PKT_ACK | CASE_PKT_WIN | CASE_PKT_OPTS,
	       "no ports: the runner picks them");

	e = ev_at(&s, 10);
	is_int(e->u.call.ret, 2, "hex result 0x2");
	is_str(e->u.call.note, "flags O_RDWR", "note without errno");
	is_int(e->u.call.nargs, 2, "fcntl with two arguments");

	e = ev_at(&s, 11);
	ok(e->time.blocking, "+0...0.02 is a blocking call");
	is_int(e->time.end_us, 20000, "end time as written");
	is_int(e->time.at_us, 10000, "blocking call starts at base + 0");
	is_int(e->time.until_us, 30000, "end time counts from the start's base");

	e = ev_at(&s, 12);
	g = &e->u.pkt.seg;
	is_int(e->time.at_us, 20000, "relative time after a blocking call counts from its start");
	is_int(g->flags, SEG_PSH | SEG_ACK, "P.");
	is_int(g->seq, 1, "relative seq kept");
	is_int(g->payload_len, 1000, "payload length");

	e = ev_at(&s, 13);
	is_int(e->time.kind, CASE_TIME_ABS, "absolute range");
	ok(e->time.range, "0.02~0.05 is a range");
	is_int(e->time.at_us, 20000, "range start");
	is_int(e->time.until_us, 50000, "range end");
	is_int(e->u.pkt.given, CASE_PKT_ACK | CASE_PKT_OPTS_ANY, "<...> recorded");
	is_int(e->u.pkt.seg.nopts, 0, "<...> holds no options");

	e = ev_at(&s, 15);
	is_int(e->u.pkt.given, CASE_PKT_ACK | CASE_PKT_WIN | CASE_PKT_OPTS,
	       "win on a '>' line is recorded");
	is_int(e->u.pkt.seg.win, 502, "expected win");

	e = ev_at(&s, 16);
	g = &e->u.pkt.seg;
	is_int(g->nopts, 6, "sack line has 6 options");
	is_int(g->opts[5].kind, SEG_OPT_SACK, "sack option");
	is_int(g->opts[5].v.sack.n, 2, "two SACK blocks");
	is_int(g->opts[5].v.sack.b[1].left, 3, "second block left");
	is_int(g->opts[5].v.sack.b[1].right, 4, "second block right");
	is_int(g->opts[5].len, 18, "sack with 2 blocks is 18 bytes");

	e = ev_at(&s, 17);
	is_int(e->u.call.ret, -1, "result -1");
	is_int(e->u.call.err, EAGAIN, "EAGAIN resolves to libc's value");
	is_str(e->u.call.errname, "EAGAIN", "errno name kept");
	is_str(e->u.call.note, "Resource temporarily unavailable", "errno note kept");

	e = ev_at(&s, 18);
	is_int(e->kind, CASE_EV_SHELL, "timed backtick line");
	is_str(e->u.shell.cmd, "ss -tn state time-wait", "timed shell command");
	is_int(e->time.at_us, 30000, "timed shell line time");

	e = ev_at(&s, 20);
	is_int(e->time.kind, CASE_TIME_REL, "relative range");
	is_int(e->time.at_us, 40000, "+0~+0.2 starts at base");
	is_int(e->time.until_us, 240000, "+0~+0.2 ends 0.2 after base");

	e = ev_at(&s, 21);
	a = &e->u.call.args[3];
	is_int(a->kind, CASE_EXPR_STRUCT, "{...} is a struct");
	is_int(a->nkids, 2, "linger has two fields");
	is_str(a->kids[0].field, "onoff", "first field name");
	is_int(a->kids[0].num, 1, "onoff=1");
	is_str(a->kids[1].field, "linger", "second field name");
	is_int(a->kids[1].num, 0, "linger=0");
	is_int(e->u.call.args[2].num, SO_LINGER, "SO_LINGER");

	e = ev_at(&s, 22);
	a = &e->u.call.args[2];
	is_int(a->kind, CASE_EXPR_OR, "A|B is an or-expression");
	is_int(a->num, O_RDWR | O_NONBLOCK, "A|B carries its value");
	is_int(a->kids[1].num, O_NONBLOCK, "right operand O_NONBLOCK");
	is_int(e->u.call.args[1].num, F_SETFL, "F_SETFL");

	e = ev_at(&s, 23);
	is_int(e->u.call.args[1].num, SHUT_WR, "SHUT_WR");

	e = ev_at(&s, 24);
	is_int(e->kind, CASE_EV_EXPECT, "* line is an expect");
	is_int(e->time.kind, CASE_TIME_ANY, "* is any time");

	e = ev_at(&s, 25);
	is_int(e->time.at_us, 140000, "'*' does not move the base of relative times");
	is_str(e->u.call.name, "close", "close()");

	e = &s.events[s.nevents - 1];
	is_int(e->kind, CASE_EV_SHELL, "last untimed backtick is a shell event");
	ok(e->u.shell.cleanup, "untimed shell after the events is cleanup");
	is_str(e->u.shell.cmd, "echo done", "cleanup command");
	case_script_free(&s);
}

static void test_flags_in_any_combination(void)
{
	static const struct {
		const char *line;
		uint8_t flags;
	} cases[] = {
	    {"0 < - 0:0(0) win 1", 0},
	    {"0 < S 0:0(0) win 1", SEG_SYN},
	    {"0 < F. 0:0(0) win 1", SEG_FIN | SEG_ACK},
	    {"0 < R. 0:0(0) win 1", SEG_RST | SEG_ACK},
	    {"0 < SEW 0:0(0) win 1", SEG_SYN | SEG_ECE | SEG_CWR},
	    {"0 < .PUFR 0:0(0) win 1", SEG_ACK | SEG_PSH | SEG_URG | SEG_FIN | SEG_RST},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct case_script s;
		struct tr_err err = {0};
		int rc = case_parse_string("f.pkt", cases[i].line, &s, &err);

		ok(rc == 0 && s.nevents == 1 && s.events[0].u.pkt.seg.flags == cases[i].flags,
		   "flags of '%s'", cases[i].line);
		if (rc)
			printf("# %s\n", err.msg);
		case_script_free(&s);
	}
}

static void test_packet_fields_urg_and_eol(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_packet *pk;

	ok(case_parse_string("u.pkt", "0 < U. 1:11(10) urg 5 win 100 ack 7 <nop,nop,eol,eol>\n", &s,
			     &err) == 0,
	   "urg and eol parse, fields in any order");
	pk = &s.events[0].u.pkt;
	is_int(pk->seg.urg, 5, "urg 5");
	is_int(pk->seg.ack, 7, "ack after win");
	is_int(pk->given, CASE_PKT_URG | CASE_PKT_WIN | CASE_PKT_ACK | CASE_PKT_OPTS, "given bits");
	is_int(pk->seg.opts[3].kind, SEG_OPT_EOL, "eol");
	case_script_free(&s);
}

static void test_seq_wraps_modulo_2_32(void)
{
	struct case_script s;
	struct tr_err err = {0};

	ok(case_parse_string("w.pkt", "0 < . 4294967295:9(10) win 1\n", &s, &err) == 0,
	   "end = start + len modulo 2^32");
	case_script_free(&s);
}

static void test_sockaddr_arguments(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_expr *a;

	if (!ok(case_parse_string("b.pkt",
				  "0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
				  "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0\n",
				  &s, &err) == 0,
		"sockaddr struct with htons and inet_addr"))
		printf("# %s\n", err.msg);
	a = &s.events[0].u.call.args[1];
	is_int(a->kind, CASE_EXPR_STRUCT, "sockaddr struct");
	is_int(a->kids[1].kind, CASE_EXPR_CALL, "htons() is a call expression");
	is_int(a->kids[1].num, 8080, "htons(8080) keeps the host-order port");
	is_int(a->kids[2].num, 0xc0000201, "inet_addr() keeps the address");
	case_script_free(&s);
}

static void test_string_argument(void)
{
	struct case_script s;
	struct tr_err err = {0};

	ok(case_parse_string("s.pkt", "0 setsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", 4) = 0\n",
			     &s, &err) == 0,
	   "string argument");
	is_str(s.events[0].u.call.args[3].text, "reno", "string text");
	is_int(s.events[0].u.call.args[1].num, IPPROTO_TCP, "SOL_TCP is IPPROTO_TCP");
	case_script_free(&s);
}

static void test_wscale_above_14_warns(void)
{
	struct case_script s;
	struct tr_err err = {0};

	ok(case_parse_string("ws.pkt", "0 < S 0:0(0) win 1 <wscale 15>\n", &s, &err) == 0,
	   "wscale 15 is accepted");
	is_int(s.nwarnings, 1, "wscale 15 warns");
	if (s.nwarnings)
		is_str(strtok(s.warnings[0], "\n"),
		       "ws.pkt:1:28: warning: wscale 15 is above 14, the largest RFC 7323 allows",
		       "warning names file, line and column");
	case_script_free(&s);
	ok(case_parse_string("ws.pkt", "0 < S 0:0(0) win 1 <wscale 255>\n", &s, &err) == 0,
	   "wscale 255 is accepted");
	case_script_free(&s);
}

static void test_line_api_takes_crlf_and_newlines(void)
{
	struct case_parser p;
	struct case_script s;
	struct tr_err err = {0};
	int rc = 0;

	ok(case_parser_init(&p, "l.pkt") == 0, "init");
	rc |= case_parser_line(&p, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\r\n", 45, &err);
	rc |= case_parser_line(&p, "+0 close(3) = 0\n", 16, &err);
	rc |= case_parser_line(&p, "+0 close(3) = -1 EBADF (Bad file descriptor)", 44, &err);
	ok(rc == 0, "lines with \\r\\n, \\n and nothing at the end");
	ok(case_parser_finish(&p, &s, &err) == 0, "finish");
	is_int(s.nevents, 3, "three events");
	is_str(s.events[0].text, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
	       "line text without \\r\\n");
	is_int(s.events[2].u.call.err, EBADF, "errno on a line without newline");
	case_script_free(&s);
}

static void test_line_api_after_failure(void)
{
	struct case_parser p;
	struct case_script s;
	struct tr_err err = {0};

	case_parser_init(&p, "f.pkt");
	ok(case_parser_line(&p, "0 frob() = 0", 12, &err) == -1, "bad line fails");
	ok(case_parser_line(&p, "+0 close(3) = 0", 15, &err) == -1, "later lines fail too");
	ok(case_parser_finish(&p, &s, &err) == -1, "finish fails after a failed line");
	is_int(s.nevents, 0, "failed finish leaves an empty script");
	case_script_free(&s);

	case_parser_init(&p, "f.pkt");
	case_parser_line(&p, "0 frob() = 0", 12, &err);
	case_parser_free(&p);
	ok(1, "a failed parser can be freed without finishing");
}

static void test_many_events_have_no_fixed_limit(void)
{
	size_t n = 5000, cap = n * 24 + 64, len = 0;
	char *text = malloc(cap);
	struct case_script s;
	struct tr_err err = {0};

	len += (size_t)snprintf(text + len, cap - len,
				"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
	for (size_t i = 1; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "+.001 listen(3, 1) = 0\n");
	ok(case_parse_string("m.pkt", text, &s, &err) == 0, "5000 events parse");
	is_int(s.nevents, n, "all 5000 kept");
	is_int(s.events[n - 1].time.at_us, (n - 1) * 1000, "times add up");
	case_script_free(&s);
	free(text);
}

static void test_parse_file(void)
{
	char path[] = "/tmp/test_case_parser_XXXXXX";
	int fd = mkstemp(path);
	struct case_script s;
	struct tr_err err = {0};
	FILE *f;

	if (!ok(fd >= 0, "temp file"))
		return;
	f = fdopen(fd, "w");
	fputs(upstream_script, f);
	fclose(f);
	ok(case_parse_file(path, &s, &err) == 0, "case_parse_file reads a script");
	is_int(s.nevents, 27, "file gives the same events as the string");
	case_script_free(&s);
	unlink(path);

	ok(case_parse_file("/nonexistent/x.pkt", &s, &err) == -1, "missing file fails");
	is_int(err.status, TR_USAGE, "missing case file is bad input (exit 2)");
}

static void test_error_shows_line_and_caret(void)
{
	struct case_script s;
	struct tr_err err = {0};

	case_parse_string("cases/x.pkt",
			  "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			  "+0\t< S 0:0(0) win 1 <tss val 1 ecr 0>\n",
			  &s, &err);
	is_int(err.status, TR_USAGE, "parse error is TR_USAGE");
	is_str(err.msg,
	       "cases/x.pkt:2:22: unknown TCP option 'tss'\n"
	       "+0\t< S 0:0(0) win 1 <tss val 1 ecr 0>\n"
	       "  \t                  ^",
	       "message, the line, a caret under the column (tabs kept)");
	case_script_free(&s);
}

static void test_symbols_and_errnos_match_libc(void)
{
	int64_t v;
	int e;

	ok(case_symbol_value("SO_REUSEPORT", 12, &v) == 0 && v == SO_REUSEPORT, "SO_REUSEPORT");
	ok(case_symbol_value("TCP_MAXSEG", 10, &v) == 0 && v == TCP_MAXSEG, "TCP_MAXSEG");
	ok(case_symbol_value("SO_RCVBUF", 9, &v) == 0 && v == SO_RCVBUF, "SO_RCVBUF");
	ok(case_symbol_value("SHUT_RDWR", 9, &v) == 0 && v == SHUT_RDWR, "SHUT_RDWR");
	ok(case_symbol_value("AF_INET", 7, &v) == 0 && v == AF_INET, "AF_INET");
	ok(case_symbol_value("SO_FOO", 6, &v) == -1, "unknown symbol");
	ok(case_symbol_value("NULL", 4, &v) == 0 && v == 0, "NULL, a NULL pointer");
	ok(case_symbol_value("MSG_FASTOPEN", 12, &v) == 0 && v == MSG_FASTOPEN, "MSG_FASTOPEN");
	ok(case_errno_value("EADDRNOTAVAIL", 13, &e) == 0 && e == EADDRNOTAVAIL, "EADDRNOTAVAIL");
	ok(case_errno_value("EINPROGRESS", 11, &e) == 0 && e == EINPROGRESS, "EINPROGRESS");
	is_str(case_errno_name(ECONNREFUSED), "ECONNREFUSED", "errno name from value");
	is_str(case_errno_name(EAGAIN), "EAGAIN", "alias prints its first name");
	ok(case_call_find("getsockopt", 10) != NULL, "getsockopt is a known call");
	ok(case_call_find("poll", 4) != NULL, "poll is one too");
	ok(case_call_find("splice", 6) != NULL && case_call_find("sendfile", 8) != NULL,
	   "splice and sendfile are (the agent makes them too)");
	ok(case_call_find("mmap", 4) == NULL, "mmap is not");
}

/* ---- extensions ---- */

static void test_sysctl_options_keep_name_equals_value(void)
{
	struct case_script s;
	struct tr_err err = {0};

	if (!ok(case_parse_string("sy.pkt",
				  "--sysctl=net.ipv4.tcp_rfc1337=1\n"
				  "--mss=1000 --sysctl=net.ipv4.ip_local_port_range=40000 40000  \n"
				  "--sysctl= net.core.default_qdisc=\t fq // a comment\n"
				  "--sysctl=net.ipv4.tcp_congestion_control=reno /* a comment */\n"
				  "0 listen(3, 1) = 0\n",
				  &s, &err) == 0,
		"--sysctl lines parse"))
		printf("# %s\n", err.msg);
	is_int(s.opt.nsysctls, 4, "one string per --sysctl, repeated");
	if (s.opt.nsysctls == 4) {
		is_str(s.opt.sysctls[0], "net.ipv4.tcp_rfc1337=1",
		       "NAME=VALUE as sysctl -w takes it");
		is_str(s.opt.sysctls[1], "net.ipv4.ip_local_port_range=40000 40000",
		       "the value is the rest of the line, blanks inside kept, trailing trimmed");
		is_str(s.opt.sysctls[2], "net.core.default_qdisc=fq",
		       "blanks around the value trimmed, a // comment dropped");
		is_str(s.opt.sysctls[3], "net.ipv4.tcp_congestion_control=reno",
		       "a /* */ comment dropped");
	}
	is_int(s.opt.mss, 1000, "another option before --sysctl on the same line");
	is_int(s.nevents, 1, "the event after the options");
	case_script_free(&s);

	ok(case_parse_string("sy.pkt", "0 listen(3, 1) = 0\n", &s, &err) == 0, "no --sysctl");
	ok(s.opt.nsysctls == 0 && s.opt.sysctls == NULL, "without --sysctl: none, NULL");
	case_script_free(&s);
}

static void test_sock_state_is_a_call_with_a_state_result(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_call *c;

	if (!ok(case_parse_string("ss.pkt",
				  "0 sock_state(40000, 8080) = TIME_WAIT\n"
				  "+0 sock_state(..., ...) = NONE (gone)\n"
				  "+0 sock_state(..., 8080) = NEW_SYN_RECV\n"
				  "+0 close(3) = 0\n",
				  &s, &err) == 0,
		"sock_state lines parse"))
		printf("# %s\n", err.msg);
	is_int(s.nevents, 4, "four events");

	c = &ev_at(&s, 0)->u.call;
	is_int(ev_at(&s, 0)->kind, CASE_EV_CALL, "sock_state is a call event");
	is_str(c->name, "sock_state", "its name");
	is_int(c->nargs, 2, "two arguments");
	if (c->nargs == 2) {
		is_int(c->args[0].kind, CASE_EXPR_INT, "rig port is a number");
		is_int(c->args[0].num, 40000, "rig port 40000");
		ok(c->args[0].text == NULL, "rig port has no symbol name");
		is_int(c->args[1].kind, CASE_EXPR_INT, "target port is a number");
		is_int(c->args[1].num, 8080, "target port 8080");
	}
	is_int(c->ret, 6, "TIME_WAIT is the kernel's 6");
	is_str(c->retname, "TIME_WAIT", "the state's name as written");
	is_int(c->err, 0, "no errno");
	ok(c->errname == NULL && c->note == NULL, "no errno name, no note");

	c = &ev_at(&s, 1)->u.call;
	is_int(c->nargs, 2, "(..., ...): two arguments");
	if (c->nargs == 2) {
		is_int(c->args[0].kind, CASE_EXPR_ELLIPSIS, "... for the default rig port");
		is_int(c->args[1].kind, CASE_EXPR_ELLIPSIS, "... for the default target port");
	}
	is_int(c->ret, 0, "NONE is 0");
	is_str(c->retname, "NONE", "NONE kept as written");
	is_str(c->note, "gone", "a note after the state");

	c = &ev_at(&s, 2)->u.call;
	if (c->nargs == 2) {
		is_int(c->args[0].kind, CASE_EXPR_ELLIPSIS, "one port may be ...");
		is_int(c->args[1].num, 8080, "and the other a number");
	}
	is_int(c->ret, 12, "NEW_SYN_RECV is the kernel's 12");

	c = &ev_at(&s, 3)->u.call;
	ok(c->retname == NULL, "an ordinary call's numeric result has no retname");
	case_script_free(&s);
}

static void test_every_tcp_state_has_the_kernels_number(void)
{
	static const struct {
		const char *name;
		int64_t value;
	} states[] = {
	    {"NONE", 0},	  {"ESTABLISHED", 1}, {"SYN_SENT", 2},	{"SYN_RECV", 3},
	    {"FIN_WAIT1", 4},	  {"FIN_WAIT2", 5},   {"TIME_WAIT", 6}, {"CLOSE", 7},
	    {"CLOSE_WAIT", 8},	  {"LAST_ACK", 9},    {"LISTEN", 10},	{"CLOSING", 11},
	    {"NEW_SYN_RECV", 12},
	};
	char line[80];

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct case_script s;
		struct tr_err err = {0};
		int rc;

		snprintf(line, sizeof(line), "0 sock_state(1, 2) = %s\n", states[i].name);
		rc = case_parse_string("st.pkt", line, &s, &err);
		ok(rc == 0 && s.nevents == 1 && s.events[0].u.call.ret == states[i].value &&
		       !strcmp(s.events[0].u.call.retname, states[i].name),
		   "%s is %lld", states[i].name, (long long)states[i].value);
		if (rc)
			printf("# %s\n", err.msg);
		case_script_free(&s);
	}
	ok(case_call_find("sock_state", 10) != NULL, "sock_state is a known call");
	ok(case_call_find("nstat", 5) != NULL, "nstat is a known call");
}

static void test_nstat_is_a_call_with_a_counter_name(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_call *c;

	if (!ok(case_parse_string("ns.pkt",
				  "0 nstat(\"TcpExtTCPChallengeACK\") = 1\n"
				  "+0 nstat(\"TcpExtPAWSEstab\") = 0 (none yet)\n",
				  &s, &err) == 0,
		"nstat lines parse"))
		printf("# %s\n", err.msg);
	is_int(s.nevents, 2, "two events");
	c = &ev_at(&s, 0)->u.call;
	is_int(ev_at(&s, 0)->kind, CASE_EV_CALL, "nstat is a call event");
	is_str(c->name, "nstat", "its name");
	is_int(c->nargs, 1, "one argument");
	if (c->nargs == 1) {
		is_int(c->args[0].kind, CASE_EXPR_STRING, "the counter's name is a string");
		is_str(c->args[0].text, "TcpExtTCPChallengeACK", "the counter's name");
	}
	is_int(c->ret, 1, "the expected increase");
	ok(c->retname == NULL && c->errname == NULL && c->err == 0 && c->note == NULL,
	   "no retname, errno or note");
	c = &ev_at(&s, 1)->u.call;
	is_int(c->ret, 0, "an increase of 0");
	is_str(c->note, "none yet", "a note after the result");
	case_script_free(&s);
}

static void test_nothing_is_a_quiet_period(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_event *e;
	struct segment zero, ports;

	memset(&zero, 0, sizeof(zero));
	ports = zero;
	ports.sport = 8080;
	ports.dport = 40000;
	if (!ok(case_parse_string("q.pkt",
				  "0 listen(3, 1) = 0\n"
				  "+0.1~+0.5 > nothing\n"
				  "+0.2~+0.3 > 8080>40000 nothing // that connection only\n"
				  "0.3~0.4 > nothing\n"
				  "+0 close(3) = 0\n",
				  &s, &err) == 0,
		"'> nothing' lines parse"))
		printf("# %s\n", err.msg);
	is_int(s.nevents, 5, "five events");

	e = ev_at(&s, 1);
	is_int(e->kind, CASE_EV_QUIET, "'> nothing' is a QUIET event");
	is_int(e->u.pkt.given, 0, "no ports given");
	ok(!memcmp(&e->u.pkt.seg, &zero, sizeof(zero)), "seg all zero");
	is_int(e->time.kind, CASE_TIME_REL, "relative range");
	ok(e->time.range && !e->time.blocking, "a range, not blocking");
	is_int(e->time.us, 100000, "start as written");
	is_int(e->time.range_us, 500000, "end as written");
	is_int(e->time.at_us, 100000, "at_us: the window's start");
	is_int(e->time.until_us, 500000, "until_us: the window's end");

	e = ev_at(&s, 2);
	is_int(e->kind, CASE_EV_QUIET, "with ports, still QUIET");
	is_int(e->u.pkt.given, CASE_PKT_PORTS, "ports given");
	ok(!memcmp(&e->u.pkt.seg, &ports, sizeof(ports)), "seg zero but for the ports");
	is_int(e->u.pkt.seg.sport, 8080, "sport: the target's port, as on '>' lines");
	is_int(e->u.pkt.seg.dport, 40000, "dport: the rig's port");
	is_int(e->time.at_us, 300000, "a relative time counts from the quiet line's start");
	is_int(e->time.until_us, 400000, "and so does its end");

	e = ev_at(&s, 3);
	is_int(e->time.kind, CASE_TIME_ABS, "absolute range");
	is_int(e->time.at_us, 300000, "absolute start");
	is_int(e->time.until_us, 400000, "absolute end");

	e = ev_at(&s, 4);
	is_int(e->time.at_us, 300000, "the next event counts from the range's start");
	case_script_free(&s);
}

static void test_outcome_group_of_packet_alternatives(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_event *e, *a;

	if (!ok(case_parse_string("o.pkt",
				  "0 listen(3, 1) = 0\n"
				  "+0.1~+0.3 > . 2:2(0) ack 2 <...>  => ack\n"
				  "\n"
				  "// the kernel may answer otherwise\n"
				  "      | > 8080>40000 R 2:2(0) win 0  => rst!\n"
				  "      | > nothing                   => nothing // none\n"
				  "+0.2 close(3) = 0\n",
				  &s, &err) == 0,
		"a '>' line with two '|' alternatives, one '> nothing', parses"))
		printf("# %s\n", err.msg);
	is_int(s.nevents, 3, "alternatives are not events of their own");

	e = ev_at(&s, 1);
	is_int(e->kind, CASE_EV_EXPECT, "the head is an EXPECT");
	is_str(e->outcome, "ack", "the head's label");
	is_int(e->nalts, 2, "two alternatives hang off the head");
	if (e->nalts == 2) {
		a = &e->alts[0];
		is_int(a->kind, CASE_EV_EXPECT, "'| > R ...' is an EXPECT");
		is_str(a->outcome, "rst!", "a label with '!' keeps it");
		is_int(a->line, 5, "an alternative has its own line number");
		is_str(a->text, "      | > 8080>40000 R 2:2(0) win 0  => rst!",
		       "and its own text, '|' included");
		is_int(a->u.pkt.seg.flags, SEG_RST, "its packet: R");
		is_int(a->u.pkt.given, CASE_PKT_PORTS | CASE_PKT_WIN, "ports and win given");
		is_int(a->u.pkt.seg.sport, 8080, "its ports");
		ok(!memcmp(&a->time, &e->time, sizeof(a->time)), "it takes the head's time");
		is_int(a->nalts, 0, "an alternative has no alternatives");

		a = &e->alts[1];
		is_int(a->kind, CASE_EV_QUIET, "'| > nothing' is a QUIET");
		is_str(a->outcome, "nothing", "a label may read like a keyword");
		is_int(a->line, 6, "its line");
		is_int(a->time.at_us, 100000, "the head's window start");
		is_int(a->time.until_us, 300000, "the head's window end");
	}
	e = ev_at(&s, 2);
	is_int(e->time.at_us, 300000, "'|' lines do not move the base of relative times");
	ok(e->outcome == NULL && e->nalts == 0, "a line without '=>' has no outcome");
	case_script_free(&s);
}

static void test_outcome_group_of_calls(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_event *e, *a;

	if (!ok(case_parse_string(
		    "oc.pkt",
		    "0     fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0 => set\n"
		    "+0    sock_state(40000, 8080) = TIME_WAIT   => survives\n"
		    "    | sock_state(..., ...) = NONE (gone)   => killed!\n"
		    "+0.1  connect(3, ..., ...) = -1 EADDRNOTAVAIL (Cannot assign requested "
		    "address) => refused /* ports */\n"
		    "    | connect(3, ..., ...) = 0 => connected\n",
		    &s, &err) == 0,
		"call groups parse"))
		printf("# %s\n", err.msg);
	is_int(s.nevents, 3, "three events");

	e = ev_at(&s, 0);
	is_str(e->outcome, "set", "a single labelled line without alternatives");
	is_int(e->nalts, 0, "has none");
	is_int(e->u.call.args[2].num, O_RDWR | O_NONBLOCK, "'|' inside arguments still ORs");
	is_int(e->u.call.ret, 0, "'= 0' before '=>' is the result");

	e = ev_at(&s, 1);
	is_str(e->outcome, "survives", "sock_state head's label");
	is_int(e->u.call.ret, 6, "TIME_WAIT");
	is_int(e->nalts, 1, "one alternative");
	if (e->nalts == 1) {
		a = &e->alts[0];
		is_int(a->kind, CASE_EV_CALL, "a call alternative is a CALL");
		is_str(a->u.call.name, "sock_state", "of the same name");
		is_int(a->u.call.args[0].kind, CASE_EXPR_ELLIPSIS, "its arguments may differ");
		is_int(a->u.call.ret, 0, "NONE");
		is_str(a->u.call.note, "gone", "a note before the label");
		is_str(a->outcome, "killed!", "a risk label");
		is_int(a->time.at_us, 0, "the head's time");
	}

	e = ev_at(&s, 2);
	is_int(e->u.call.err, EADDRNOTAVAIL, "errno before the label");
	is_str(e->u.call.note, "Cannot assign requested address", "the note, label not in it");
	is_str(e->outcome, "refused", "a label after an errno note");
	is_int(e->time.at_us, 100000, "its time");
	if (e->nalts == 1) {
		is_int(e->alts[0].u.call.ret, 0, "the alternative's result");
		is_str(e->alts[0].outcome, "connected", "its label");
		is_int(e->alts[0].time.at_us, 100000, "the head's time");
	}
	case_script_free(&s);
}

/* `=> label end`: the case ends when that alternative holds. */
static void test_outcome_end(void)
{
	struct case_script s;
	struct tr_err err = {0};
	const struct case_event *e;

	if (!ok(case_parse_string("end.pkt",
				  "0     connect(3, ..., ...) = 0 => reused\n"
				  "    | connect(3, ..., ...) = -1 EADDRNOTAVAIL => refused end  // x\n"
				  "+0    > S 0:0(0) <...>\n",
				  &s, &err) == 0,
		"'=> label end' parses"))
		printf("# %s\n", err.msg);
	e = ev_at(&s, 0);
	ok(!e->ends, "a label without 'end' does not end the case");
	if (e->nalts == 1) {
		is_str(e->alts[0].outcome, "refused", "'end' is not part of the label");
		ok(e->alts[0].ends, "'end' marks the alternative");
	}
	is_int(s.nevents, 2, "the line after the group is an event of its own");
	case_script_free(&s);

	ok(case_parse_string("end2.pkt", "0 connect(3, ..., ...) = 0 => reused end end\n", &s,
			     &err) == -1,
	   "'end' twice is an error");
	ok(strncmp(err.msg, "end2.pkt:1:", 11) == 0, "with its place: %.*s",
	   (int)strcspn(err.msg, "\n"), err.msg);
}

static void test_outcome_label_missing_on_the_head_points_at_it(void)
{
	struct case_script s;
	struct tr_err err = {0};

	case_parse_string("om.pkt",
			  "0 listen(3, 1) = 0\n"
			  "+0~+0.1 > . 1:1(0) ack 1 <...> // no label\n"
			  "  | > nothing => quiet\n",
			  &s, &err);
	is_str(err.msg,
	       "om.pkt:2:31: line 3 is an alternative to this line, so this line needs an outcome "
	       "label too: '=> label'\n"
	       "+0~+0.1 > . 1:1(0) ack 1 <...> // no label\n"
	       "                              ^",
	       "the head's line and the end of its statement");
	is_int(s.nevents, 0, "no script");
	case_script_free(&s);
}

static void test_outcome_arrow_inside_text_is_no_label(void)
{
	struct case_script s;
	struct tr_err err = {0};

	if (!ok(case_parse_string("oa.pkt",
				  "0 setsockopt(3, SOL_TCP, TCP_CONGESTION, \"a=>b\", 4) = 0\n"
				  "+0 close(3) = -1 EBADF (x => y) => bad\n"
				  "+0 `echo a => b`\n",
				  &s, &err) == 0,
		"'=>' in a string, a note or a command is theirs"))
		printf("# %s\n", err.msg);
	is_str(ev_at(&s, 0)->u.call.args[3].text, "a=>b", "in the string");
	ok(ev_at(&s, 0)->outcome == NULL, "no label from a string");
	is_str(ev_at(&s, 1)->u.call.note, "x => y", "in the note");
	is_str(ev_at(&s, 1)->outcome, "bad", "the label after the note");
	is_str(ev_at(&s, 2)->u.shell.cmd, "echo a => b", "in the command");
	case_script_free(&s);
}

/* One case per rule: the script and the first line of the message. */
static const struct {
	const char *rule, *text, *msg;
} bad[] = {
    {"unknown option", "--foo=1\n", "x.pkt:1:1: unknown option '--foo'"},
    {"option without value", "--mss\n", "x.pkt:1:1: option --mss needs a value: --mss=..."},
    {"option after an event", "0 listen(3, 1) = 0\n--mss=1000\n",
     "x.pkt:2:1: options must come before the first event"},
    {"IPv6 loopback as local_ip", "--local_ip=::1\n",
     "x.pkt:1:12: --local_ip=::1: a lab needs a unicast address, not ::, ::1, link-local, "
     "multicast or v4-mapped"},
    {"unknown ip_version", "--ip_version=ipx\n", "x.pkt:1:14: unknown IP version 'ipx'"},
    {"--mss range", "--mss=70000\n", "x.pkt:1:7: --mss=70000 is out of range (0..65535)"},
    {"--tolerance_usecs number", "--tolerance_usecs=abc\n",
     "x.pkt:1:19: --tolerance_usecs takes a number"},
    {"first event relative", "+0.1 listen(3, 1) = 0\n",
     "x.pkt:1:1: the first event must be at time 0 (0 or +0)"},
    {"first event not at 0", "0.5 listen(3, 1) = 0\n",
     "x.pkt:1:1: the first event must be at time 0 (0 or +0)"},
    {"absolute time backwards", "0 listen(3, 1) = 0\n0.2 listen(3, 1) = 0\n0.1 close(3) = 0\n",
     "x.pkt:3:1: time 0.1 goes back before the previous event at 0.2"},
    {"time missing", "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
     "x.pkt:1:1: expected a time ('0', '+0.1', '*'), an option or a backtick command, got "
     "'socket'"},
    {"time out of range", "0 listen(3, 1) = 0\n+99999999999 close(3) = 0\n",
     "x.pkt:2:2: time '99999999999' is out of range"},
    {"range backwards", "0.2~0.1 > S 0:0(0)\n", "x.pkt:1:1: the time range ends before it starts"},
    {"range mixes absolute and relative", "0~+0.1 > S 0:0(0)\n",
     "x.pkt:1:3: a time range is either absolute (0.1~0.2) or relative (+0~+0.2)"},
    {"range on '<' line", "0~0.1 < S 0:0(0) win 1\n",
     "x.pkt:1:1: a time range is allowed only on '>' lines"},
    {"'*' on a call", "0 listen(3, 1) = 0\n* close(3) = 0\n",
     "x.pkt:2:1: '*' (any time) is allowed only on '>' lines"},
    {"end time on a packet", "0...0.1 < S 0:0(0) win 1\n",
     "x.pkt:1:1: an end time (start...end) is allowed only on socket calls"},
    {"end time before start", "0 listen(3, 1) = 0\n+0.2...0.1 read(3, ..., 1) = 1\n",
     "x.pkt:2:8: the call ends at 0.1, before it starts at 0.2"},
    {"end time with '+'", "0 listen(3, 1) = 0\n+0...+0.1 read(3, ..., 1) = 1\n",
     "x.pkt:2:6: the end time after '...' takes no '+'"},
    {"nothing after the time", "0\n",
     "x.pkt:1:2: expected '<', '>', a socket call or a backtick command after the time, got the "
     "end of the line"},
    {"end != start + len", "0 < S 0:10(5) win 1\n",
     "x.pkt:1:7: end 10 is not start 0 + length 5 = 5"},
    {"win required on '<'", "0 < S 0:0(0) <mss 1000>\n", "x.pkt:1:3: '<' lines need 'win N'"},
    {"'<...>' on a '<' line", "0 < S 0:0(0) win 1 <...>\n",
     "x.pkt:1:20: '<...>' (options not checked) is allowed only on '>' lines"},
    {"TS ecr range on a '<' line", "0 < . 1:1(0) win 1 <TS val 1 ecr 5~6>\n",
     "x.pkt:1:35: a TS ecr range (A~B) is allowed only on '>' lines"},
    {"TS ecr range backwards", "0 > . 1:1(0) <TS val 1 ecr 6~5>\n",
     "x.pkt:1:30: the TS ecr range ends before it starts"},
    {"unknown TCP option", "0 < S 0:0(0) win 1 <tss val 1 ecr 0>\n",
     "x.pkt:1:21: unknown TCP option 'tss'"},
    {"md5 digest too short", "0 > S 0:0(0) <md5 0001>\n",
     "x.pkt:1:19: md5: the digest is 32 hex digits (16 bytes), or none to sign"},
    {"options over 40 bytes",
     "0 > S 0:0(0) <TS val 1 ecr 0,TS val 1 ecr 0,TS val 1 ecr 0,TS val 1 ecr 0,nop>\n",
     "x.pkt:1:75: TCP options take 41 bytes here; at most 40 fit in a header"},
    {"more than 4 SACK blocks", "0 > . 1:1(0) <sack 1:2 3:4 5:6 7:8 9:10>\n",
     "x.pkt:1:36: at most 4 SACK blocks fit in a header"},
    {"SACK blocks over 40 bytes", "0 > . 1:1(0) <TS val 1 ecr 0,sack 1:2 3:4 5:6 7:8>\n",
     "x.pkt:1:47: TCP options take 44 bytes here; at most 40 fit in a header"},
    {"sack without blocks", "0 > . 1:1(0) <sack>\n",
     "x.pkt:1:19: expected a number (SACK left edge), got '>'"},
    {"TS without val", "0 > . 1:1(0) <TS 1 ecr 2>\n",
     "x.pkt:1:18: expected 'val' after 'TS', got '1'"},
    {"empty option list", "0 > . 1:1(0) <>\n", "x.pkt:1:15: expected a TCP option, got '>'"},
    {"bad option separator", "0 > . 1:1(0) <nop;nop>\n", "x.pkt:1:18: unexpected character ';'"},
    {"unterminated option list", "0 < S 0:0(0) win 1 <mss 1000\n",
     "x.pkt:1:20: unterminated TCP option list: missing '>'"},
    {"unterminated option list after comma", "0 > S 0:0(0) <mss 1000,\n",
     "x.pkt:1:14: unterminated TCP option list: missing '>'"},
    {"seq out of range", "0 < S 4294967296:4294967296(0) win 1\n",
     "x.pkt:1:7: sequence number '4294967296' is out of range (0..4294967295)"},
    {"payload length out of range", "0 < . 1:70001(70000) win 1\n",
     "x.pkt:1:15: payload length '70000' is out of range (0..65535)"},
    {"ack out of range", "0 < . 1:1(0) ack 4294967296 win 1\n",
     "x.pkt:1:18: ack '4294967296' is out of range (0..4294967295)"},
    {"win out of range", "0 < . 1:1(0) win 65536\n",
     "x.pkt:1:18: win '65536' is out of range (0..65535)"},
    {"urg out of range", "0 < . 1:1(0) win 1 urg 65536\n",
     "x.pkt:1:24: urg '65536' is out of range (0..65535)"},
    {"mss option out of range", "0 < S 0:0(0) win 1 <mss 65536>\n",
     "x.pkt:1:25: mss '65536' is out of range (0..65535)"},
    {"wscale out of range", "0 < S 0:0(0) win 1 <wscale 256>\n",
     "x.pkt:1:28: wscale '256' is out of range (0..255)"},
    {"TS val out of range", "0 < S 0:0(0) win 1 <TS val 4294967296 ecr 0>\n",
     "x.pkt:1:28: TS val '4294967296' is out of range (0..4294967295)"},
    {"huge number", "0 < S 99999999999999999999999:0(0) win 1\n",
     "x.pkt:1:7: sequence number '99999999999999999999999' is out of range (0..4294967295)"},
    {"port out of range", "0 < 70000>80 S 0:0(0) win 1\n",
     "x.pkt:1:5: source port '70000' is out of range (0..65535)"},
    {"unknown flag letter", "0 < SX 0:0(0) win 1\n", "x.pkt:1:6: unknown TCP flag 'X'"},
    {"flags missing", "0 < 0:0(0) win 1\n",
     "x.pkt:1:5: expected TCP flags (S F R P . U E W, or - for none), got '0:0(0)'"},
    {"field given twice", "0 < . 1:1(0) win 1 win 2\n", "x.pkt:1:20: 'win' given twice"},
    {"garbage after the sequence numbers", "0 < . 1:1(0) win 1 wnd 2\n",
     "x.pkt:1:20: unexpected 'wnd' after the sequence numbers"},
    {"trailing garbage after options", "0 < S 0:0(0) win 1 <mss 1000> extra\n",
     "x.pkt:1:31: unexpected 'extra' at the end of the line"},
    {"trailing garbage after a call", "0 close(3) = 0 (note) extra\n",
     "x.pkt:1:23: unexpected 'extra' at the end of the line"},
    {"trailing garbage after a backtick", "`echo hi` more\n",
     "x.pkt:1:11: unexpected 'more' at the end of the line"},
    {"unexpected character", "0 close(3) = 0 $\n", "x.pkt:1:16: unexpected character '$'"},
    {"unknown call", "0 frob(3) = 0\n", "x.pkt:1:3: unknown socket call 'frob'"},
    {"unknown symbol", "0 socket(..., SOCK_FOO, IPPROTO_TCP) = 3\n",
     "x.pkt:1:15: unknown symbol 'SOCK_FOO'"},
    {"unknown errno", "0 close(3) = -1 EFOO (x)\n", "x.pkt:1:17: unknown errno name 'EFOO'"},
    {"argument count", "0 close(3, 4) = 0\n", "x.pkt:1:3: close() takes 1 argument, not 2"},
    {"fcntl argument count", "0 fcntl(3) = 0\n",
     "x.pkt:1:3: fcntl() takes 2 to 3 arguments, not 1"},
    {"result missing", "0 close(3)\n",
     "x.pkt:1:11: expected '= result' after the call, got the end of the line"},
    {"result not a number", "0 close(3) = x\n",
     "x.pkt:1:14: expected the call's result (a number), got 'x'"},
    {"unterminated argument list", "0 close(3\n",
     "x.pkt:1:10: expected ',' or ')', got the end of the line"},
    {"unterminated note", "0 close(3) = -1 EBADF (Bad file\n",
     "x.pkt:1:23: unterminated note: missing ')'"},
    {"unterminated string", "0 setsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno, 4) = 0\n",
     "x.pkt:1:42: unterminated string"},
    {"'|' on a string", "0 fcntl(3, F_SETFL, \"a\"|1) = 0\n",
     "x.pkt:1:21: '|' joins numbers and symbols only"},
    {"unknown function", "0 bind(3, {sin_port=ntohs(1)}, 16) = 0\n",
     "x.pkt:1:21: unknown function 'ntohs'"},
    {"bad inet_addr", "0 bind(3, {sin_addr=inet_addr(\"1.2.3\")}, 16) = 0\n",
     "x.pkt:1:21: inet_addr() takes one IPv4 or IPv6 address in quotes"},
    {"nesting too deep", "0 bind(3, [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]], 1) = 0\n",
     "x.pkt:1:27: arguments nested too deeply"},
    {"unterminated backtick", "`echo hi\n",
     "x.pkt:1:1: unterminated backtick command: missing '`'"},
    {"unterminated timed backtick", "0 listen(3, 1) = 0\n+0 `echo hi\nmore\n",
     "x.pkt:2:4: unterminated backtick command: missing '`'"},
    {"unterminated comment", "0 listen(3, 1) = 0 /* open\nstill open\n",
     "x.pkt:1:20: unterminated comment: missing '*/'"},
    {"event after the cleanup command", "0 listen(3, 1) = 0\n`echo bye`\n+0 close(3) = 0\n",
     "x.pkt:3:1: nothing may follow the cleanup command on line 2"},
    {"IP fields other than ECN and tos are not supported", "0 > [ttl 64] S 0:0(0)\n",
     "x.pkt:1:6: the IP mark 'ttl' is not supported (ECN marks and tos 0xNN are)"},
    /* --sysctl */
    {"--sysctl without '='", "--sysctl=foo\n", "x.pkt:1:10: --sysctl: 'foo' is not NAME=VALUE"},
    {"--sysctl without a value", "--sysctl=net.ipv4.tcp_rfc1337= // none\n",
     "x.pkt:1:10: --sysctl: 'net.ipv4.tcp_rfc1337=' is not NAME=VALUE"},
    {"--sysctl without a name", "--sysctl==1\n", "x.pkt:1:10: --sysctl: '=1' is not NAME=VALUE"},
    {"--sysctl name with capitals", "--sysctl=net.ipv4.TCP=1\n",
     "x.pkt:1:10: --sysctl: 'net.ipv4.TCP=1' is not NAME=VALUE"},
    {"--sysctl name with a blank", "--sysctl=net.ipv4.x =1\n",
     "x.pkt:1:10: --sysctl: 'net.ipv4.x =1' is not NAME=VALUE"},
    {"--sysctl value with a control character",
     "--sysctl=net.ipv4.x=a\x01"
     "b\n",
     "x.pkt:1:10: --sysctl: 'net.ipv4.x=a\\x01b' is not NAME=VALUE"},
    {"--sysctl outside net.*", "--sysctl=kernel.x=1\n",
     "x.pkt:1:10: --sysctl: only net.* knobs (kernel.x is shared with the host)"},
    {"--sysctl 'network.' is not 'net.'", "--sysctl=netfilter.x=1\n",
     "x.pkt:1:10: --sysctl: only net.* knobs (netfilter.x is shared with the host)"},
    {"--sysctl empty", "--sysctl=  // nothing\n", "x.pkt:1:12: option --sysctl needs a value"},
    {"--sysctl no '='", "--sysctl\n", "x.pkt:1:1: option --sysctl needs a value: --sysctl=..."},
    {"--sysctl after an event", "0 listen(3, 1) = 0\n--sysctl=net.ipv4.tcp_rfc1337=1\n",
     "x.pkt:2:1: options must come before the first event"},
    /* sock_state() */
    {"unknown TCP state", "0 sock_state(40000, 8080) = TIMEWAIT\n",
     "x.pkt:1:29: unknown TCP state 'TIMEWAIT'"},
    {"TCP state in lower case", "0 sock_state(40000, 8080) = time_wait\n",
     "x.pkt:1:29: unknown TCP state 'time_wait'"},
    {"sock_state with a number result", "0 sock_state(40000, 8080) = 6\n",
     "x.pkt:1:29: expected a TCP state (ESTABLISHED, TIME_WAIT, ... or NONE), got '6'"},
    {"sock_state with an errno", "0 sock_state(40000, 8080) = NONE ENOENT\n",
     "x.pkt:1:34: unexpected 'ENOENT' at the end of the line"},
    {"sock_state port out of range", "0 sock_state(70000, 8080) = NONE\n",
     "x.pkt:1:14: sock_state() takes the rig's port and the target's port (0..65535, or ...), "
     "not '70000'"},
    {"sock_state negative port", "0 sock_state(1, -1) = NONE\n",
     "x.pkt:1:17: sock_state() takes the rig's port and the target's port (0..65535, or ...), "
     "not '-1'"},
    {"sock_state port as a symbol", "0 sock_state(AF_INET|1, 8080) = NONE\n",
     "x.pkt:1:14: sock_state() takes the rig's port and the target's port (0..65535, or ...), "
     "not 'AF_INET|1'"},
    {"sock_state argument count", "0 sock_state(8080) = NONE\n",
     "x.pkt:1:3: sock_state() takes 2 arguments, not 1"},
    {"state name on another call", "0 close(3) = TIME_WAIT\n",
     "x.pkt:1:14: expected the call's result (a number), got 'TIME_WAIT'"},
    /* nstat() */
    {"nstat with a number", "0 nstat(12) = 1\n",
     "x.pkt:1:9: nstat() takes a counter name in quotes, not '12'"},
    {"nstat with ...", "0 nstat(...) = 1\n",
     "x.pkt:1:9: nstat() takes a counter name in quotes, not '...'"},
    {"nstat name not alphanumeric", "0 nstat(\"TcpExt-PAWS\") = 1\n",
     "x.pkt:1:9: 'TcpExt-PAWS' is not an nstat counter name ([A-Za-z0-9]+)"},
    {"nstat name with an escape", "0 nstat(\"Tcp\\nExt\") = 1\n",
     "x.pkt:1:9: 'Tcp\\nExt' is not an nstat counter name ([A-Za-z0-9]+)"},
    {"nstat name empty", "0 nstat(\"\") = 1\n",
     "x.pkt:1:9: '' is not an nstat counter name ([A-Za-z0-9]+)"},
    {"nstat negative result", "0 nstat(\"TcpExtPAWSEstab\") = -1\n",
     "x.pkt:1:30: an nstat counter's increase is 0 or more"},
    {"nstat with an errno", "0 nstat(\"TcpExtPAWSEstab\") = 0 EAGAIN\n",
     "x.pkt:1:32: unexpected 'EAGAIN' at the end of the line"},
    {"nstat argument count", "0 nstat(\"A\", \"B\") = 0\n",
     "x.pkt:1:3: nstat() takes 1 argument, not 2"},
    /* > nothing */
    {"'> nothing' without a range", "0 > nothing\n",
     "x.pkt:1:1: '> nothing' needs a time range a~b: the window in which nothing may come "
     "from the target"},
    {"'> nothing' at any time", "0 listen(3, 1) = 0\n* > nothing\n",
     "x.pkt:2:1: '> nothing' needs a time range a~b: the window in which nothing may come "
     "from the target"},
    {"'> nothing' with ports, no range", "0 listen(3, 1) = 0\n +0.1 > 8080>40000 nothing\n",
     "x.pkt:2:2: '> nothing' needs a time range a~b: the window in which nothing may come "
     "from the target"},
    {"'< nothing'", "0~0.1 < nothing\n", "x.pkt:1:9: 'nothing' is allowed only on '>' lines"},
    {"'> nothing' with more after it", "0~0.1 > nothing 1:1(0)\n",
     "x.pkt:1:17: unexpected '1' at the end of the line"},
    {"'> nothing' range backwards", "0.2~0.1 > nothing\n",
     "x.pkt:1:1: the time range ends before it starts"},
    /* outcome labels and '|' alternatives */
    {"'|' with no event before it", "| > nothing => quiet\n",
     "x.pkt:1:1: '|' adds an alternative to the '>' line or socket call before it, but there is "
     "none"},
    {"'|' after a '<' line", "0 < S 0:0(0) win 1\n  | > . 1:1(0) => ack\n",
     "x.pkt:2:3: '|' adds an alternative to the '>' line or socket call before it; line 1 is a "
     "'<' line"},
    {"'|' after a timed backtick", "0 listen(3, 1) = 0\n+0 `true`\n| > nothing => quiet\n",
     "x.pkt:3:1: '|' adds an alternative to the '>' line or socket call before it; line 2 is a "
     "backtick command"},
    {"'|' after an untimed line", "`setup`\n| > nothing => quiet\n",
     "x.pkt:2:1: '|' adds an alternative to the '>' line or socket call before it; line 1 is an "
     "untimed backtick command"},
    {"'<' alternative to a '>' line", "0~0.1 > . 1:1(0) => ack\n| < R 1:1(0) win 0 => rst\n",
     "x.pkt:2:3: an alternative to a '>' line is another '>' line or '> nothing', not '<'"},
    {"call alternative to a '>' line", "0~0.1 > . 1:1(0) => ack\n| close(3) = 0 => closed\n",
     "x.pkt:2:3: an alternative to a '>' line is another '>' line or '> nothing', not 'close'"},
    {"'>' alternative to a call", "0 sock_state(1, 2) = NONE => gone\n| > nothing => quiet\n",
     "x.pkt:2:3: an alternative to a sock_state() call is another sock_state() call, not '>'"},
    {"another call as an alternative",
     "0 sock_state(1, 2) = NONE => gone\n| nstat(\"A\") = 1 => x\n",
     "x.pkt:2:3: an alternative to a sock_state() call is another sock_state() call, not 'nstat'"},
    {"'|' with nothing after it", "0 close(3) = 0 => closed\n|\n",
     "x.pkt:2:2: an alternative to a close() call is another close() call, not the end of the "
     "line"},
    {"time on a '|' line", "0~0.1 > . 1:1(0) => ack\n| +0 > R 1:1(0) => rst\n",
     "x.pkt:2:3: an alternative has no time of its own: it takes line 1's"},
    {"'*' on a '|' line", "0~0.1 > . 1:1(0) => ack\n| * > R 1:1(0) => rst\n",
     "x.pkt:2:3: an alternative has no time of its own: it takes line 1's"},
    {"head without a label", "0~0.1 > . 1:1(0)\n\n| > R 1:1(0) => rst\n",
     "x.pkt:1:17: line 3 is an alternative to this line, so this line needs an outcome label "
     "too: '=> label'"},
    {"alternative without a label", "0~0.1 > . 1:1(0) => ack\n| > R 1:1(0) // rst\n",
     "x.pkt:2:13: an alternative needs an outcome label: '=> label'"},
    {"last alternative without a label",
     "0 close(3) = 0 => ok\n| close(3) = -1 EBADF => bad\n| close(3) = -1 EIO (I/O)\n",
     "x.pkt:3:26: an alternative needs an outcome label: '=> label'"},
    {"duplicate label", "0~0.1 > . 1:1(0) => rst\n| > R 1:1(0) => rst\n",
     "x.pkt:2:17: outcome 'rst' is already line 1's: the lines of a group name "
     "different outcomes"},
    {"duplicate label but for '!'",
     "0~0.1 > . 1:1(0) => ack\n| > R 1:1(0) => rst!\n| > R. 1:1(0) ack 1 => rst\n",
     "x.pkt:3:24: outcome 'rst' is already line 2's: the lines of a group name "
     "different outcomes"},
    {"bad character in a label", "0 close(3) = 0 => a.b\n",
     "x.pkt:1:20: bad character '.' in outcome label 'a.b' (a label is [A-Za-z0-9_-], '!' at its "
     "end marks a risk)"},
    {"'!' alone as a label", "0 close(3) = 0 => !\n",
     "x.pkt:1:19: bad character '!' in outcome label '!' (a label is [A-Za-z0-9_-], '!' at its "
     "end marks a risk)"},
    {"'!' inside a label", "0 close(3) = 0 => a!b\n",
     "x.pkt:1:20: bad character '!' in outcome label 'a!b' (a label is [A-Za-z0-9_-], '!' at its "
     "end marks a risk)"},
    {"label over 24 characters", "0 close(3) = 0 => abcdefghijklmnopqrstuvwxy\n",
     "x.pkt:1:19: outcome label 'abcdefghijklmnopqrstuvwxy' is longer than 24 characters"},
    {"'=>' with nothing after it", "0 close(3) = 0 => // none\n",
     "x.pkt:1:26: expected an outcome label after '=>', got the end of the line"},
    {"two labels", "0 close(3) = 0 => a => b\n", "x.pkt:1:21: a line names one outcome, not two"},
    {"words after the label", "0 close(3) = 0 => a b\n",
     "x.pkt:1:21: unexpected 'b' at the end of the line"},
    {"'=>' instead of a result", "0 close(3) => closed\n",
     "x.pkt:1:12: expected '= result' after the call, got '=>'"},
    {"'=>' on a '<' line", "0 < S 0:0(0) win 1 => syn\n",
     "x.pkt:1:20: an outcome label ('=> label') ends only a '>' line, a '> nothing' line or a "
     "socket call"},
    {"'=>' on a backtick line", "0 listen(3, 1) = 0\n+0 `true` => ran\n",
     "x.pkt:2:11: an outcome label ('=> label') ends only a '>' line, a '> nothing' line or a "
     "socket call"},
    {"'=>' after a multi-line backtick", "`echo a\necho b` => ran\n",
     "x.pkt:2:9: an outcome label ('=> label') ends only a '>' line, a '> nothing' line or a "
     "socket call"},
    {"'=>' on an option line", "--mss=1000 => small\n",
     "x.pkt:1:12: an outcome label ('=> label') ends only a '>' line, a '> nothing' line or a "
     "socket call"},
    {"'=>' after --sysctl", "--sysctl=net.ipv4.tcp_rfc1337=1 => on\n",
     "x.pkt:1:33: an outcome label ('=> label') ends only a '>' line, a '> nothing' line or a "
     "socket call"},
    {"'=>' alone", "0 listen(3, 1) = 0\n  => done\n",
     "x.pkt:2:3: an outcome label ('=> label') ends only a '>' line, a '> nothing' line or a "
     "socket call"},
    {"'> nothing' alternative without a window", "0 > . 1:1(0) => ack\n  | > nothing => quiet\n",
     "x.pkt:2:5: a '> nothing' alternative needs a window: write line 1's time as a~b"},
    {"'> nothing' alternative to '*'",
     "0 listen(3, 1) = 0\n* > . 1:1(0) => ack\n| > nothing => q\n",
     "x.pkt:3:3: a '> nothing' alternative needs a window: write line 2's time as a~b"},
    {"two '> nothing' in a group", "0~0.1 > nothing => quiet\n| > nothing => silent\n",
     "x.pkt:2:3: a group has one '> nothing' at most; line 1 is one"},
    {"two '> nothing' alternatives",
     "0~0.1 > . 1:1(0) => ack\n| > nothing => quiet\n| > 1>2 nothing => silent\n",
     "x.pkt:3:3: a group has one '> nothing' at most; line 2 is one"},
    {"bad statement on a '|' line", "0~0.1 > . 1:1(0) => ack\n| > X 1:1(0) => x\n",
     "x.pkt:2:5: unknown TCP flag 'X'"},
    {"a bracket never closed", "0 socket(..., SOCK_STREAM,\n IPPROTO_TCP = 3\n",
     "x.pkt:2:14: expected ',' or ')', got '='"},
    {"a %{ never closed", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{\nassert 1\n",
     "x.pkt:2:4: unterminated %{ block: missing '}%'"},
    {"words after }%", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{ assert 1 }% x\n",
     "x.pkt:2:19: unexpected 'x' at the end of the line"},
    {"a %{ }% block with an outcome", "0 %{ assert 1 }% => ok\n",
     "x.pkt:1:18: an outcome label ('=> label') ends only a '>' line, a '> nothing' line or a "
     "socket call"},
    {"a count that is not the list's length",
     "0 setsockopt(4, SOL_SOCKET, SO_LINGER, {msg_iov(2)=[{iov_base=..., iov_len=10}]}, 8) = 0\n",
     "x.pkt:1:52: msg_iov(2) but the list has 1 item"},
};

/* Upstream scripts write a msghdr, and their Python blocks, over several
 * lines: the statement goes on while a bracket or a %{ is open, and is
 * one event of the line it began on. */
static void test_statement_over_several_lines(void)
{
	static const char text[] =
	    "0 socket(..., SOCK_STREAM,\n"
	    "         IPPROTO_TCP) = 3 // the comment ends at the newline\n"
	    "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1,\n"
	    "                                         linger=0}, 8) = 0\n"
	    "+0 %{\n"
	    "assert tcpi_state == TCP_CLOSE, tcpi_state\n"
	    "# a Python comment, { and ( included\n"
	    "}%\n"
	    "+0 %{ assert tcpi_snd_cwnd == 10 }%\n";
	struct case_script s;
	struct tr_err err = {0};

	if (!ok(case_parse_string("ml.pkt", text, &s, &err) == 0, "a statement over lines parses")) {
		printf("# %s\n", err.msg);
		return;
	}
	is_int(s.nevents, 4, "four events");
	is_int(s.events[0].line, 1, "the call is the line it began on");
	is_int(s.events[0].u.call.nargs, 3, "with its three arguments");
	is_int(s.events[1].line, 3, "the next call, line 3");
	is_int(s.events[1].u.call.args[3].nkids, 2, "its struct spans the lines");
	is_int(s.events[2].kind, CASE_EV_CODE, "%%{ ... }%% is a code event");
	is_int(s.events[2].line, 5, "of the line with %%{");
	is_str(s.events[2].u.code.text,
	       "\nassert tcpi_state == TCP_CLOSE, tcpi_state\n"
	       "# a Python comment, { and ( included\n",
	       "its text kept for Python, newlines and all");
	is_str(s.events[3].u.code.text, " assert tcpi_snd_cwnd == 10 ", "a one-line block");
	is_int(s.events[3].time.at_us, 0, "at +0");
	case_script_free(&s);
}

/* packetdrill's msghdr: fields written name(N)= and name(...)=. */
static void test_field_with_a_count(void)
{
	static const char text[] =
	    "0 setsockopt(4, SOL_SOCKET, SO_LINGER, {msg_name(...)=...,\n"
	    "              msg_iov(2)=[{iov_base=..., iov_len=1000}, {iov_base=..., iov_len=500}],\n"
	    "              msg_flags=0}, 8) = 0\n";
	struct case_script s;
	struct tr_err err = {0};
	const struct case_expr *m;

	if (!ok(case_parse_string("msg.pkt", text, &s, &err) == 0, "sendmsg's msghdr parses")) {
		printf("# %s\n", err.msg);
		return;
	}
	m = &s.events[0].u.call.args[3];
	is_int(m->nkids, 3, "three fields");
	is_str(m->kids[0].field, "msg_name", "msg_name(...)= names its field");
	ok(m->kids[0].count_given && m->kids[0].count == -1, "with the count written as ...");
	is_str(m->kids[1].field, "msg_iov", "msg_iov(2)=");
	ok(m->kids[1].count_given && m->kids[1].count == 2, "with its count");
	is_int(m->kids[1].nkids, 2, "and its two iovecs");
	case_script_free(&s);
}

/* packetdrill's Fast Open options: FO and FOEXP, with or without a cookie. */
static void test_fastopen_options(void)
{
	static const char text[] = "0 < S 0:0(0) win 100 <FO,nop,nop>\n"
				   "+0 < S 0:0(0) win 100 <FO 3021b9d889017eeb>\n"
				   "+0 < S 0:0(0) win 100 <nop,nop,FOEXP abcd1234>\n";
	struct case_script s;
	struct tr_err err = {0};
	const struct seg_opt *o;
	char buf[256];

	if (!ok(case_parse_string("fo.pkt", text, &s, &err) == 0, "FO and FOEXP parse")) {
		printf("# %s\n", err.msg);
		return;
	}
	o = &s.events[0].u.pkt.seg.opts[0];
	ok(o->kind == 34 && o->len == 2, "FO alone: kind 34, a cookie request of length 2");
	o = &s.events[1].u.pkt.seg.opts[0];
	ok(o->kind == 34 && o->len == 10 && o->v.raw[0] == 0x30 && o->v.raw[7] == 0xeb,
	   "FO with an 8-byte cookie that starts with digits");
	o = &s.events[2].u.pkt.seg.opts[2];
	ok(o->kind == 254 && o->len == 8 && o->v.raw[0] == 0xf9 && o->v.raw[1] == 0x89 &&
	       o->v.raw[2] == 0xab,
	   "FOEXP: kind 254, the magic 0xF989, then the cookie");
	segment_format(&s.events[2].u.pkt.seg, buf, sizeof(buf));
	ok(strstr(buf, "<nop,nop,FOEXP abcd1234>") != NULL, "and printed as written: %s", buf);
	case_script_free(&s);
	ok(case_parse_string("fo.pkt", "0 < S 0:0(0) win 1 <FO abc>\n", &s, &err) != 0 &&
	       strstr(err.msg, "fo.pkt:1:24: FO: a cookie is an even number of hex digits") != NULL,
	   "an odd number of digits is an error at its column: %s", err.msg);
	ok(case_parse_string("fo.pkt", "0 < S 0:0(0) win 1 <FOEXP TFO_COOKIE>\n", &s, &err) != 0 &&
	       strstr(err.msg, "or a name given a value with -D (TFO_COOKIE)") != NULL,
	   "a name without -D is an error that says so: %s", err.msg);
	ok(case_parse_string("fo.pkt", "0 < S 0:0(0) win 1 <FO 1122>\n", &s, &err) == 0 &&
	       s.events[0].u.pkt.seg.opts[0].len == 4,
	   "a 2-byte cookie, malformed for RFC 7413, is still crafted (tests offer such)");
	case_script_free(&s);
	ok(case_parse_string("fo.pkt",
			     "0 < S 0:0(0) win 1 <FO 01234567aabbccdd0123456701234567afaf>\n", &s,
			     &err) == 0 &&
	       s.events[0].u.pkt.seg.opts[0].len == 20,
	   "an 18-byte cookie too: %s", err.msg);
	case_script_free(&s);
}

static void test_md5_option(void)
{
	struct case_script s;
	struct tr_err err = { 0 };
	const struct seg_opt *o;
	char buf[256];

	ok(case_parse_string("m.pkt",
			     "0 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>\n",
			     &s, &err) == 0,
	   "md5 DIGEST parses: %s", err.msg);
	o = &s.events[0].u.pkt.seg.opts[0];
	ok(o->kind == 19 && o->len == 18 && o->v.raw[0] == 0 && o->v.raw[15] == 0x0f,
	   "kind 19, 18 bytes, the digest as written");
	segment_format(&s.events[0].u.pkt.seg, buf, sizeof(buf));
	ok(strstr(buf, "<md5 000102030405060708090a0b0c0d0e0f,nop,nop>") != NULL,
	   "and printed as written: %s", buf);
	case_script_free(&s);
}

static void test_icmp_lines(void)
{
	struct case_script s;
	struct tr_err err = { 0 };
	const struct case_icmp *ic;

	ok(case_parse_string("i.pkt",
			     "0 < icmp unreachable frag_needed mtu 800 [1:1001(1000)]\n"
			     "+0 < icmp unreachable\n+0 < icmp unreachable 13 [5:5(0)]\n"
			     "+0 < icmp time_exceeded\n",
			     &s, &err) == 0,
	   "icmp lines parse: %s", err.msg);
	ic = &s.events[0].u.icmp;
	ok(s.events[0].kind == CASE_EV_ICMP && ic->msg.type == 3 && ic->msg.code == 4 &&
	       ic->msg.mtu == 800 && ic->seq == 1 && ic->len == 1000,
	   "type, code, mtu and the quoted range");
	ic = &s.events[1].u.icmp;
	ok(ic->msg.code == 0 && ic->seq == 0 && ic->len == 0,
	   "no code is code 0, no range seq 0 (packetdrill's defaults)");
	ok(s.events[2].u.icmp.msg.code == 13 && s.events[2].u.icmp.seq == 5, "a code by number");
	ok(s.events[3].u.icmp.msg.type == 11, "time_exceeded");
	case_script_free(&s);
	ok(case_parse_string("i.pkt", "0 > icmp unreachable\n", &s, &err) != 0 &&
	       strstr(err.msg, "i.pkt:1:3: '> icmp'") != NULL,
	   "an icmp expected from the target is refused: %s", err.msg);
	ok(case_parse_string("i.pkt", "0 < icmp echo_request\n", &s, &err) != 0 &&
	       strstr(err.msg, "i.pkt:1:10:") != NULL && strstr(err.msg, "ICMP error type") != NULL,
	   "a type that quotes no segment is refused at its column: %s", err.msg);
	ok(case_parse_string("i.pkt", "0 < icmp unreachable frag_wanted\n", &s, &err) != 0 &&
	       strstr(err.msg, "i.pkt:1:22: unknown code 'frag_wanted' for ICMP unreachable") !=
		       NULL,
	   "so is an unknown code: %s", err.msg);
	ok(case_parse_string("i.pkt", "0 < icmp unreachable host_unreachable mtu 800\n", &s,
			     &err) != 0 &&
	       strstr(err.msg, "'mtu' goes only with 'unreachable frag_needed'") != NULL,
	   "an mtu without frag_needed: %s", err.msg);
	ok(case_parse_string("i.pkt", "0 < icmp unreachable [1:1001(100)]\n", &s, &err) != 0 &&
	       strstr(err.msg, "the end is not start + length") != NULL,
	   "a range that does not add up: %s", err.msg);
}

/* The same names read in both families: each line says which it has. */
static void test_icmp6_lines(void)
{
	struct case_script s;
	struct tr_err err = { 0 };
	const struct case_icmp *ic;

	ok(case_parse_string("i.pkt",
			     "0 < icmp packet_too_big mtu 1280 [1:1461(1460)]\n"
			     "+0 < icmp unreachable port_unreachable\n"
			     "+0 < icmp unreachable admin_prohibited\n"
			     "+0 < icmp time_exceeded exceeded_frag_time\n"
			     "+0 < icmp parameter_problem unknown_next_header\n"
			     "+0 < icmp unreachable frag_needed mtu 800\n"
			     "+0 < icmp packet_too_big mtu 70000\n",
			     &s, &err) == 0,
	   "ICMPv6 lines parse: %s", err.msg);
	ic = &s.events[0].u.icmp;
	ok(ic->v6 && !ic->v4 && ic->msg6.type == 2 && ic->msg6.code == 0 && ic->msg6.mtu == 1280 &&
	       ic->seq == 1 && ic->len == 1460,
	   "packet_too_big: ICMPv6 type 2, its mtu, the quoted range; no ICMPv4 form");
	ic = &s.events[1].u.icmp;
	ok(ic->v4 && ic->v6 && ic->msg.type == 3 && ic->msg.code == 3 && ic->msg6.type == 1 &&
	       ic->msg6.code == 4,
	   "unreachable port_unreachable: 3/3 on ICMPv4, 1/4 on ICMPv6");
	ic = &s.events[2].u.icmp;
	ok(!ic->v4 && ic->v6 && ic->msg6.type == 1 && ic->msg6.code == 1,
	   "admin_prohibited: ICMPv6's only, code 1");
	ic = &s.events[3].u.icmp;
	ok(!ic->v4 && ic->v6 && ic->msg6.type == 3 && ic->msg6.code == 1,
	   "time_exceeded exceeded_frag_time: ICMPv6 3/1");
	ic = &s.events[4].u.icmp;
	ok(!ic->v4 && ic->v6 && ic->msg6.type == 4 && ic->msg6.code == 1,
	   "parameter_problem unknown_next_header: ICMPv6 4/1");
	ic = &s.events[5].u.icmp;
	ok(ic->v4 && !ic->v6, "unreachable frag_needed: ICMPv4's only");
	ic = &s.events[6].u.icmp;
	ok(!ic->v4 && ic->v6 && ic->msg6.mtu == 70000, "a 32-bit MTU is ICMPv6's");
	case_script_free(&s);
	ok(case_parse_string("i.pkt", "--ip_version=ipv6\n0 < icmp unreachable frag_needed\n",
			     &s, &err) != 0 &&
	       strstr(err.msg, "i.pkt:2:10: this ICMP error has no ICMPv6 form, and the script "
			       "sets --ip_version=ipv6") != NULL,
	   "an ICMPv4-only line in an IPv6 script is bad input: %s", err.msg);
	ok(case_parse_string("i.pkt", "--ip_version=ipv4\n0 < icmp packet_too_big mtu 1280\n",
			     &s, &err) != 0 &&
	       strstr(err.msg, "i.pkt:2:10: this ICMP error has no ICMPv4 form") != NULL,
	   "and packet_too_big in an IPv4 one: %s", err.msg);
	ok(case_parse_string("i.pkt", "0 < icmp packet_too_big 1 mtu 1280\n", &s, &err) != 0 &&
	       strstr(err.msg, "'mtu' goes only with") != NULL,
	   "packet_too_big's mtu needs code 0: %s", err.msg);
	ok(case_parse_string("i.pkt", "0 < icmp time_exceeded frag_needed\n", &s, &err) != 0 &&
	       strstr(err.msg, "i.pkt:1:24: unknown code 'frag_needed' for ICMP time_exceeded") !=
		       NULL,
	   "a code neither family has for the type: %s", err.msg);
}

static int parse_defs(const char *text, const struct case_defines *d, struct case_script *s,
		      struct tr_err *err)
{
	struct case_parser p;

	memset(s, 0, sizeof(*s));
	if (case_parser_init(&p, "d.pkt"))
		return -1;
	p.defs = d;
	if (case_parser_line(&p, text, strlen(text), err)) {
		case_parser_free(&p);
		return -1;
	}
	return case_parser_finish(&p, s, err);
}

static void test_defines(void)
{
	struct case_defines d = { 0 };
	struct case_script s;
	struct tr_err err = { 0 };
	const struct seg_opt *o;

	ok(case_define_add(&d, "TFO_COOKIE=3021b9d889017eeb", &err) == 0 &&
	       case_define_add(&d, "LEVEL=SOL_IP", &err) == 0 &&
	       case_define_add(&d, "ONE=0x1", &err) == 0,
	   "three -D definitions taken");
	ok(case_define_add(&d, "2X=1", &err) != 0 && strstr(err.msg, "'2X=1'") != NULL,
	   "a name that is not an identifier is refused, quoted: %s", err.msg);
	ok(case_define_add(&d, "NOEQUALS", &err) != 0, "a definition without '=' is refused");
	ok(parse_defs("0 < S 0:0(0) win 1 <FO TFO_COOKIE>\n", &d, &s, &err) == 0,
	   "FO TFO_COOKIE parses with the name defined: %s", err.msg);
	o = &s.events[0].u.pkt.seg.opts[0];
	ok(o->kind == 34 && o->len == 10 && o->v.raw[0] == 0x30 && o->v.raw[7] == 0xeb,
	   "and carries the defined cookie");
	case_script_free(&s);
	ok(parse_defs("0 setsockopt(3, LEVEL, SO_REUSEADDR, [ONE], 4) = 0\n", &d, &s, &err) == 0,
	   "a defined word stands for a symbol, another for a number: %s", err.msg);
	case_script_free(&s);
	ok(parse_defs("0 setsockopt(3, LEVEL, SO_REUSEADDR, [TWO], 4) = 0\n", &d, &s, &err) != 0 &&
	       strstr(err.msg, "d.pkt:1:39:") != NULL,
	   "an undefined name is still an error at its column: %s", err.msg);
	case_defines_free(&d);
	ok(case_parse_string("p.pkt", "+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+.5 close(3) = 0\n",
			     &s, &err) == 0 &&
	       s.events[0].time.at_us == 0 && s.events[1].time.at_us == 500000,
	   "a first event at +0 is at time 0, and the next counts from it: %s", err.msg);
	case_script_free(&s);
}

/* `events=POLLIN|POLLOUT`: the member's name belongs to the whole `a|b`. */
static void test_field_with_or_value(void)
{
	static const char text[] = "0 poll([{fd=4, events=POLLIN|POLLOUT, revents=0}], 1, 0) = 0\n";
	struct case_script s;
	struct tr_err err = {0};
	const struct case_expr *p;

	if (!ok(case_parse_string("poll.pkt", text, &s, &err) == 0, "a pollfd parses")) {
		printf("# %s\n", err.msg);
		return;
	}
	p = &s.events[0].u.call.args[0].kids[0];
	is_str(p->kids[1].field, "events", "the '|' value keeps its field name");
	ok(p->kids[1].kind == CASE_EXPR_OR && p->kids[1].num == (POLLIN | POLLOUT),
	   "and its value is the two or-ed");
	ok(p->kids[1].kids[0].field == NULL, "its first operand has no name of its own");
	case_script_free(&s);
}

static void test_every_rule_has_an_error(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct case_script s;
		struct tr_err err = {0};
		int rc = case_parse_string("x.pkt", bad[i].text, &s, &err);
		char *nl = strchr(err.msg, '\n');

		if (nl)
			*nl = '\0';
		ok(rc == -1 && err.status == TR_USAGE, "%s: fails with TR_USAGE", bad[i].rule);
		is_str(err.msg, bad[i].msg, "%s: message", bad[i].rule);
		is_int(s.nevents, 0, "%s: no script", bad[i].rule);
		case_script_free(&s);
	}
}

int main(void)
{
	test_upstream_script_parses_into_events();
	test_flags_in_any_combination();
	test_packet_fields_urg_and_eol();
	test_seq_wraps_modulo_2_32();
	test_sockaddr_arguments();
	test_string_argument();
	test_wscale_above_14_warns();
	test_line_api_takes_crlf_and_newlines();
	test_line_api_after_failure();
	test_many_events_have_no_fixed_limit();
	test_parse_file();
	test_error_shows_line_and_caret();
	test_symbols_and_errnos_match_libc();
	test_sysctl_options_keep_name_equals_value();
	test_sock_state_is_a_call_with_a_state_result();
	test_every_tcp_state_has_the_kernels_number();
	test_nstat_is_a_call_with_a_counter_name();
	test_nothing_is_a_quiet_period();
	test_outcome_group_of_packet_alternatives();
	test_outcome_group_of_calls();
	test_outcome_end();
	test_outcome_label_missing_on_the_head_points_at_it();
	test_outcome_arrow_inside_text_is_no_label();
	test_statement_over_several_lines();
	test_field_with_or_value();
	test_fastopen_options();
	test_defines();
	test_icmp_lines();
	test_icmp6_lines();
	test_md5_option();
	test_field_with_a_count();
	test_every_rule_has_an_error();
	return tap_done();
}
