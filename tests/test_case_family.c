/* Unit tests for IPv6 in the case language: --ip_version, IPv6 --local_ip
 * and --remote_ip, sockaddrs of either family in calls (as the agent will get
 * them), the IPv6 symbols, the `// family:` header and run --family's value. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/case.h"
#include "case/family.h"
#include "run/call.h"
#include "run/call_args.h"
#include "run/ends.h"
#include "tap.h"

static char dir[] = "/tmp/tcprig-family-XXXXXX";

static bool parse(const char *text, struct case_script *s, struct tr_err *err)
{
	return case_parse_string("x.pkt", text, s, err) == 0;
}

static void test_ip_version_sets_the_family(void)
{
	static const struct {
		const char *opt;
		int family;
		bool mapped;
	} rows[] = {
		{ "--ip_version=ipv4\n", AF_INET, false },
		{ "--ip_version=ipv6\n", AF_INET6, false },
		{ "--ip_version=ipv4-mapped-ipv6\n", AF_INET, true },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct case_script s;
		struct tr_err err = { 0 };
		char text[200];

		snprintf(text, sizeof(text), "%s0 listen(3, 1) = 0\n", rows[i].opt);
		if (!ok(parse(text, &s, &err), "%.*s parses", (int)strlen(rows[i].opt) - 1,
			rows[i].opt)) {
			printf("#   %s\n", err.msg);
			continue;
		}
		ok(s.opt.ip_version_given && s.opt.family == rows[i].family &&
		   s.opt.v4_mapped == rows[i].mapped, "family %d, mapped %d", rows[i].family,
		   rows[i].mapped);
		case_script_free(&s);
	}
}

static void test_ipv6_local_and_remote_ip(void)
{
	struct case_script s;
	struct tr_err err = { 0 };
	struct in6_addr want;

	if (!ok(parse("--local_ip=2001:db8:1::1\n--remote_ip=fd3d:fa7b:d17d::1\n"
		      "0 listen(3, 1) = 0\n", &s, &err), "IPv6 --local_ip and --remote_ip parse"))
		printf("#   %s\n", err.msg);
	inet_pton(AF_INET6, "2001:db8:1::1", &want);
	ok(s.opt.local_ip6_given && !memcmp(&s.opt.local_ip6, &want, 16) &&
	   !s.opt.local_ip_given, "the local one is the lab's IPv6 target, not its IPv4 one");
	ok(s.opt.remote_ip6_given, "the remote one is the lab's IPv6 phantom");
	case_script_free(&s);

	ok(!parse("--remote_ip=ff02::1\n0 listen(3, 1) = 0\n", &s, &err) &&
	   err.status == TR_USAGE && strstr(err.msg, "x.pkt:1:13: --remote_ip=ff02::1: a lab "),
	   "a multicast --remote_ip is bad input: %.*s", (int)strcspn(err.msg, "\n"), err.msg);
	ok(!parse("--local_ip=2001:db8::zz\n0 listen(3, 1) = 0\n", &s, &err) &&
	   strstr(err.msg, "is not an IPv6 address"), "a malformed one names itself");
}

/* The sockaddr a call line becomes, in a lab of family wire. */
static bool sockaddr_of(const char *line, int wire, bool mapped, struct agent_req *req,
			struct tr_err *err)
{
	struct lab lab = { 0 };
	struct run_ends ends;
	struct call_env env = { .ends = &ends, .target_port = 8080, .rig_port = 40000 };
	struct case_script s;
	int rc;

	inet_pton(AF_INET, "192.0.2.1", &lab.target_addr);
	inet_pton(AF_INET, "192.0.2.2", &lab.phantom_addr);
	inet_pton(AF_INET6, "2001:db8::1", &lab.target_addr6);
	inet_pton(AF_INET6, "2001:db8::2", &lab.phantom_addr6);
	run_ends_init(&ends, &lab, wire, mapped);
	if (!parse(line, &s, err))
		return false;
	rc = call_request(&s.events[0].u.call, &env, req, err);
	case_script_free(&s);
	return rc == 0;
}

static bool sin6_is(const struct agent_req *req, const char *addr, uint16_t port)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&req->addr;
	struct in6_addr a;

	inet_pton(AF_INET6, addr, &a);
	return s6->sin6_family == AF_INET6 && req->addrlen == sizeof(*s6) &&
	       !memcmp(&s6->sin6_addr, &a, 16) && ntohs(s6->sin6_port) == port;
}

static void test_sockaddrs_follow_the_family(void)
{
	const struct sockaddr_in *s4;
	struct agent_req req;
	struct tr_err err = { 0 };

	ok(sockaddr_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", AF_INET6, false, &req,
		       &err) && req.arg[0] == AF_INET6, "socket(...): AF_INET6 on IPv6");
	ok(sockaddr_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", AF_INET, true, &req,
		       &err) && req.arg[0] == AF_INET6, "and under ipv4-mapped-ipv6");
	ok(sockaddr_of("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", AF_INET, false, &req,
		       &err) && req.arg[0] == AF_INET, "AF_INET on IPv4");
	ok(sockaddr_of("0 connect(3, ..., ...) = 0\n", AF_INET6, false, &req, &err) &&
	   sin6_is(&req, "2001:db8::2", 40000), "connect(..., ...): the rig's IPv6 end");
	ok(sockaddr_of("0 connect(3, ..., ...) = 0\n", AF_INET, true, &req, &err) &&
	   sin6_is(&req, "::ffff:192.0.2.2", 40000), "mapped: ::ffff:192.0.2.2");
	ok(sockaddr_of("0 bind(3, ..., ...) = 0\n", AF_INET6, false, &req, &err) &&
	   sin6_is(&req, "::", 8080), "bind(..., ...): [::]:8080");
	ok(sockaddr_of("0 connect(3, {sa_family=AF_INET6, sin_port=htons(9), "
		       "sin_addr=inet_addr(\"2001:db8::7\")}, 28) = 0\n", AF_INET6, false, &req,
		       &err) && sin6_is(&req, "2001:db8::7", 9),
	   "packetdrill's AF_INET6 sockaddr: inet_addr() of an IPv6 address");
	ok(sockaddr_of("0 bind(3, {sin6_port=htons(81), sin6_addr=inet6_addr(\"2001:db8::1\")}, "
		       "28) = 0\n", AF_INET6, false, &req, &err) && sin6_is(&req, "2001:db8::1", 81),
	   "sin6_port and inet6_addr()");
	ok(sockaddr_of("0 connect(3, {sa_family=AF_INET, sin_port=htons(9), "
		       "sin_addr=inet_addr(\"192.0.2.9\")}, 16) = 0\n", AF_INET6, false, &req, &err),
	   "an AF_INET sockaddr in an IPv6 case stays AF_INET");
	s4 = (const struct sockaddr_in *)&req.addr;
	ok(s4->sin_family == AF_INET && s4->sin_addr.s_addr == inet_addr("192.0.2.9") &&
	   req.addrlen == sizeof(*s4), "(as written)");
	ok(!sockaddr_of("0 connect(3, {sa_family=AF_INET, sin_addr=inet_addr(\"2001:db8::7\")}, "
			"16) = 0\n", AF_INET, false, &req, &err) &&
	   strstr(err.msg, "an IPv6 address in an AF_INET sockaddr"),
	   "an IPv6 address in an AF_INET sockaddr is an error: %s", err.msg);
}

static void test_ipv6_symbols_are_libcs(void)
{
	static const struct {
		const char *name;
		int64_t value;
	} rows[] = {
		{ "AF_INET6", AF_INET6 }, { "PF_INET6", PF_INET6 }, { "SOL_IPV6", SOL_IPV6 },
		{ "IPPROTO_IPV6", IPPROTO_IPV6 }, { "IPV6_V6ONLY", IPV6_V6ONLY },
		{ "IPV6_TCLASS", IPV6_TCLASS }, { "IPV6_MTU_DISCOVER", IPV6_MTU_DISCOVER },
		{ "IPV6_RECVERR", IPV6_RECVERR }, { "IPV6_HOPLIMIT", IPV6_HOPLIMIT },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t v = -1;

		ok(case_symbol_value(rows[i].name, strlen(rows[i].name), &v) == 0 &&
		   v == rows[i].value, "%s = %lld", rows[i].name, (long long)rows[i].value);
	}
}

/* The families a case file with text allows. */
static int family_of(const char *text, struct case_family *f, struct tr_err *err)
{
	char path[300];
	struct case_script s;
	FILE *fp;
	int rc;

	snprintf(path, sizeof(path), "%s/c.pkt", dir);
	fp = fopen(path, "w");
	if (!fp || fputs(text, fp) < 0 || fclose(fp))
		return -2;
	if (case_parse_string(path, text, &s, err))
		return -2;
	rc = case_family_read(&s, f, err);
	case_script_free(&s);
	unlink(path);
	return rc;
}

static void test_family_header_and_ip_version(void)
{
	struct case_family f;
	struct tr_err err = { 0 };
	bool v4, v6;

	ok(family_of("// A case.\n0 listen(3, 1) = 0\n", &f, &err) == 0 && f.ipv4 && f.ipv6,
	   "no header: both families");
	ok(family_of("// A case.\n// family: ipv4  ICMP errors are crafted for IPv4 only\n"
		     "0 listen(3, 1) = 0\n", &f, &err) == 0 && f.ipv4 && !f.ipv6,
	   "// family: ipv4 bars IPv6");
	is_str(f.why, "IPv4 only: ICMP errors are crafted for IPv4 only", "and says why");
	ok(family_of("// family: ipv6\n0 listen(3, 1) = 0\n", &f, &err) == 0 && !f.ipv4 &&
	   f.ipv6 && !strcmp(f.why, "the case says // family: ipv6"), "ipv6 alone: '%s'", f.why);
	ok(family_of("--ip_version=ipv6\n0 listen(3, 1) = 0\n", &f, &err) == 0 && !f.ipv4 &&
	   f.ipv6 && !strcmp(f.why, "the script sets --ip_version=ipv6"),
	   "--ip_version pins the family: '%s'", f.why);
	ok(family_of("// family: ipv5\n0 listen(3, 1) = 0\n", &f, &err) == -1 &&
	   err.status == TR_USAGE &&
	   strstr(err.msg, "c.pkt:1:12: unknown family 'ipv5' in '// family:' (ipv4 or ipv6)"),
	   "a bad header is bad input at its column: %.*s", (int)strcspn(err.msg, "\n"),
	   err.msg);
	ok(case_family_parse("both", &v4, &v6, &err) == 0 && v4 && v6, "--family both");
	ok(case_family_parse("ipv6", &v4, &v6, &err) == 0 && !v4 && v6, "--family ipv6");
	ok(case_family_parse("inet6", &v4, &v6, &err) == -1 &&
	   !strcmp(err.msg, "--family inet6: ipv4, ipv6 or both"), "--family inet6: %s",
	   err.msg);
}

/* An icmp line of one family's message only keeps the case to that family;
 * one that names a message in each leaves it both. */
static void test_icmp_lines_pick_the_family(void)
{
	struct case_family f;
	struct tr_err err = { 0 };

	ok(family_of("0 < icmp packet_too_big mtu 1280 [1:1461(1460)]\n", &f, &err) == 0 &&
	   !f.ipv4 && f.ipv6, "packet_too_big: IPv6 only");
	is_str(f.why, "IPv6 only: line 1's ICMP error has no ICMPv4 form", "  saying why");
	ok(family_of("0 < icmp unreachable frag_needed mtu 800\n", &f, &err) == 0 && f.ipv4 &&
	   !f.ipv6, "unreachable frag_needed: IPv4 only");
	is_str(f.why, "IPv4 only: line 1's ICMP error has no ICMPv6 form", "  saying why");
	ok(family_of("0 < icmp unreachable port_unreachable\n+0 < icmp time_exceeded\n", &f,
		     &err) == 0 && f.ipv4 && f.ipv6,
	   "port_unreachable, time_exceeded: a message in each family, both");
	ok(family_of("// family: ipv4  its own reason\n0 < icmp unreachable\n", &f, &err) == 0 &&
	   f.ipv4 && !f.ipv6 && !strcmp(f.why, "IPv4 only: its own reason"),
	   "a header's reason stays when the icmp line allows its family");
	ok(family_of("0 < icmp packet_too_big\n+0 < icmp unreachable host_unreachable\n", &f,
		     &err) == -1 && err.status == TR_USAGE &&
	   strstr(err.msg, "c.pkt:2:11: this ICMP error has no ICMPv6 form, and the rest of "
			   "the case runs on IPv6 only: no family is left"),
	   "ICMPv6-only and ICMPv4-only lines together: bad input at the second: %s", err.msg);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		ok(false, "temporary directory");
		return tap_done();
	}
	test_ip_version_sets_the_family();
	test_ipv6_local_and_remote_ip();
	test_sockaddrs_follow_the_family();
	test_ipv6_symbols_are_libcs();
	test_family_header_and_ip_version();
	test_icmp_lines_pick_the_family();
	rmdir(dir);
	return tap_done();
}
