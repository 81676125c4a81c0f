/* test_icmp.c - ICMP error names and the bytes of one message. */
#include "core/icmp.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "tap.h"

/* The Internet checksum over n bytes that include their checksum field:
 * 0 when it is right. */
static unsigned sum_of(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (~s) & 0xffff;
}

static void test_names(void)
{
	uint8_t v = 0xff;
	uint32_t max;

	ok(icmp_type_named(AF_INET, "unreachable", 11, &v) == 0 && v == 3, "unreachable is type 3");
	ok(icmp_type_named(AF_INET, "time_exceeded", 13, &v) == 0 && v == 11, "time_exceeded is 11");
	ok(icmp_type_named(AF_INET, "echo_request", 12, &v) != 0,
	   "echo_request is no error: it quotes no segment");
	ok(icmp_code_named(AF_INET, 3, "frag_needed", 11, &v) == 0 && v == 4,
	   "frag_needed is code 4");
	ok(icmp_code_named(AF_INET, 3, "precedence_cutoff", 17, &v) == 0 && v == 15,
	   "precedence_cutoff is 15");
	ok(icmp_code_named(AF_INET, 11, "frag_needed", 11, &v) != 0,
	   "time_exceeded has no frag_needed");
	ok(strcmp(icmp_code_name(AF_INET, 3, 1), "host_unreachable") == 0 &&
		   icmp_code_name(AF_INET, 3, 99) == NULL,
	   "codes named back, an unknown one not");
	ok(icmp_has_mtu(AF_INET, 3, 4, &max) && max == 65535 && !icmp_has_mtu(AF_INET, 3, 1, &max),
	   "ICMPv4: frag_needed carries a 16-bit MTU, host_unreachable none");
}

/* packetdrill's ICMPv6 names (RFC 4443's types). */
static void test_names6(void)
{
	uint8_t v = 0xff;
	uint32_t max;

	ok(icmp_type_named(AF_INET6, "unreachable", 11, &v) == 0 && v == 1, "ICMPv6 unreachable is 1");
	ok(icmp_type_named(AF_INET6, "packet_too_big", 14, &v) == 0 && v == 2,
	   "packet_too_big is 2");
	ok(icmp_type_named(AF_INET, "packet_too_big", 14, &v) != 0, "  and no ICMPv4 type");
	ok(icmp_type_named(AF_INET6, "time_exceeded", 13, &v) == 0 && v == 3, "time_exceeded is 3");
	ok(icmp_type_named(AF_INET6, "parameter_problem", 17, &v) == 0 && v == 4,
	   "parameter_problem is 4");
	ok(icmp_type_named(AF_INET6, "redirect", 8, &v) != 0, "redirect is no ICMPv6 error");
	ok(icmp_code_named(AF_INET6, 1, "port_unreachable", 16, &v) == 0 && v == 4,
	   "ICMPv6 port_unreachable is code 4 (ICMPv4's is 3)");
	ok(icmp_code_named(AF_INET6, 1, "no_route", 8, &v) == 0 && v == 0 &&
		   icmp_code_named(AF_INET6, 1, "address_unreachable", 19, &v) == 0 && v == 3,
	   "no_route 0, address_unreachable 3");
	ok(icmp_code_named(AF_INET6, 1, "frag_needed", 11, &v) != 0, "no frag_needed on ICMPv6");
	ok(icmp_code_named(AF_INET6, 3, "exceeded_hop_limit", 18, &v) == 0 && v == 0,
	   "exceeded_hop_limit 0");
	ok(icmp_code_named(AF_INET6, 4, "unknown_option", 14, &v) == 0 && v == 2,
	   "unknown_option 2");
	ok(strcmp(icmp_type_name(AF_INET6, 2), "packet_too_big") == 0 &&
		   strcmp(icmp_code_name(AF_INET6, 1, 0), "no_route") == 0,
	   "named back");
	ok(icmp_has_mtu(AF_INET6, 2, 0, &max) && max == UINT32_MAX &&
		   !icmp_has_mtu(AF_INET6, 1, 0, &max),
	   "packet_too_big carries a 32-bit MTU, unreachable none");
}

static void test_bytes(void)
{
	struct icmp_error m = { .type = 3, .code = 4, .mtu = 800 };
	struct icmp_quote q = { .sport = 8080, .dport = 40000, .seq = 0x11223344, .len = 1000 };
	struct in_addr rig, tgt;
	uint8_t b[128];
	size_t n;

	inet_pton(AF_INET, "192.0.2.2", &rig);
	inet_pton(AF_INET, "192.0.2.1", &tgt);
	q.src = tgt;
	q.dst = rig;
	ok(icmp_build_ipv4(b, 40, rig, tgt, &m, &q) == 0, "too small a buffer builds nothing");
	n = icmp_build_ipv4(b, sizeof(b), rig, tgt, &m, &q);
	ok(n == 56, "20 + 8 + 20 + 8 bytes: %zu", n);
	ok(b[0] == 0x45 && b[9] == 1 && (b[2] << 8 | b[3]) == 56, "an IPv4 header, protocol ICMP");
	ok(!memcmp(b + 12, &rig, 4) && !memcmp(b + 16, &tgt, 4), "from the rig to the target");
	ok(sum_of(b, 20) == 0, "its header checksum holds");
	ok(b[20] == 3 && b[21] == 4 && (b[26] << 8 | b[27]) == 800,
	   "type, code and the next hop's MTU");
	ok(sum_of(b + 20, 36) == 0, "the ICMP checksum holds over header and quote");
	ok(b[28] == 0x45 && b[37] == 6 && (b[30] << 8 | b[31]) == 1040,
	   "the quoted header: TCP, 20 + 20 + 1000 bytes long");
	ok(!memcmp(b + 40, &tgt, 4) && !memcmp(b + 44, &rig, 4), "quoting the target's segment");
	ok((b[48] << 8 | b[49]) == 8080 && (b[50] << 8 | b[51]) == 40000, "its ports");
	ok(b[52] == 0x11 && b[53] == 0x22 && b[54] == 0x33 && b[55] == 0x44, "and its seq");
	m.code = 1;
	n = icmp_build_ipv4(b, sizeof(b), rig, tgt, &m, &q);
	ok(b[26] == 0 && b[27] == 0, "host_unreachable leaves the MTU field zero");
}

/* The ICMPv6 checksum over the pseudo-header, as a receiver checks it: a
 * sum over source, destination, length, next header and the message that
 * comes out 0. */
static unsigned sum6_of(const uint8_t *ip6, const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 8; i < 40; i += 2)
		s += (uint32_t)(ip6[i] << 8 | ip6[i + 1]);
	s += (uint32_t)n + 58;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (~s) & 0xffff;
}

static void test_bytes6(void)
{
	struct icmp_error m = { .type = 2, .code = 0, .mtu = 1280 };
	struct icmp_quote q = { .sport = 8080, .dport = 40000, .seq = 0x11223344, .len = 1460 };
	struct in6_addr rig, tgt;
	uint8_t b[160];
	size_t n;

	inet_pton(AF_INET6, "2001:db8::2", &rig);
	inet_pton(AF_INET6, "2001:db8::1", &tgt);
	q.src6 = tgt;
	q.dst6 = rig;
	ok(icmp_build_ipv6(b, 90, &rig, &tgt, &m, &q) == 0, "too small a buffer builds nothing");
	n = icmp_build_ipv6(b, sizeof(b), &rig, &tgt, &m, &q);
	ok(n == 96, "40 + 8 + 40 + 8 bytes: %zu", n);
	ok(b[0] == 0x60 && b[6] == 58 && (b[4] << 8 | b[5]) == 56 && b[7] == 64,
	   "an IPv6 header: next header ICMPv6, payload 56, hop limit 64");
	ok(!memcmp(b + 8, &rig, 16) && !memcmp(b + 24, &tgt, 16), "from the rig to the target");
	ok(b[40] == 2 && b[41] == 0 && b[44] == 0 && b[45] == 0 && (b[46] << 8 | b[47]) == 1280,
	   "packet_too_big, its 32-bit MTU");
	ok(sum6_of(b, b + 40, 56) == 0, "the checksum holds over the pseudo-header and message");
	ok(b[48] == 0x60 && b[54] == 6 && (b[52] << 8 | b[53]) == 1480,
	   "the quoted header: TCP, 20 + 1460 bytes of payload");
	ok(!memcmp(b + 56, &tgt, 16) && !memcmp(b + 72, &rig, 16), "quoting the target's segment");
	ok((b[88] << 8 | b[89]) == 8080 && (b[90] << 8 | b[91]) == 40000 && b[92] == 0x11 &&
		   b[95] == 0x44,
	   "its ports and seq");
	m = (struct icmp_error){ .type = 1, .code = 4, .mtu = 1280 };
	icmp_build_ipv6(b, sizeof(b), &rig, &tgt, &m, &q);
	ok(b[40] == 1 && b[41] == 4 && !b[44] && !b[45] && !b[46] && !b[47],
	   "unreachable leaves its unused field zero");
	ok(sum6_of(b, b + 40, 56) == 0, "  its checksum holds too");
}

int main(void)
{
	test_names();
	test_names6();
	test_bytes();
	test_bytes6();
	return tap_done();
}
