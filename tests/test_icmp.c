/* test_icmp.c - ICMP error names and the bytes of one message. */
#include "core/icmp.h"

#include <arpa/inet.h>
#include <string.h>

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

	ok(icmp_type_named("unreachable", 11, &v) == 0 && v == 3, "unreachable is type 3");
	ok(icmp_type_named("time_exceeded", 13, &v) == 0 && v == 11, "time_exceeded is 11");
	ok(icmp_type_named("echo_request", 12, &v) != 0,
	   "echo_request is no error: it quotes no segment");
	ok(icmp_code_named(3, "frag_needed", 11, &v) == 0 && v == 4, "frag_needed is code 4");
	ok(icmp_code_named(3, "precedence_cutoff", 17, &v) == 0 && v == 15,
	   "precedence_cutoff is 15");
	ok(icmp_code_named(11, "frag_needed", 11, &v) != 0, "time_exceeded has no frag_needed");
	ok(strcmp(icmp_code_name(3, 1), "host_unreachable") == 0 && icmp_code_name(3, 99) == NULL,
	   "codes named back, an unknown one not");
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

int main(void)
{
	test_names();
	test_bytes();
	return tap_done();
}
