/* icmp6.c - the bytes of an ICMPv6 error message about a TCP segment
 * (icmp.h): RFC 4443's layout, its checksum over RFC 8200's pseudo-header. */
#include "core/icmp.h"

#include <string.h>
#include <sys/socket.h>

#include "core/bytes.h"

#define IP6_HDR 40
#define ICMP6_HDR 8
#define ICMP6_QUOTED_L4 8 /* ports and seq: what the kernel needs to find the socket */
#define IP6_NEXT_TCP 6
#define IP6_NEXT_ICMPV6 58
#define IP6_HOP_LIMIT 64

static void icmp6_ip_header(uint8_t *p, uint16_t payload, uint8_t next,
			    const struct in6_addr *src, const struct in6_addr *dst)
{
	memset(p, 0, IP6_HDR);
	p[0] = 0x60;
	put16(p + 4, payload);
	p[6] = next;
	p[7] = IP6_HOP_LIMIT;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

/* The checksum of an ICMPv6 message of n bytes at p, inside the IPv6
 * packet whose header is ip6: source, destination, upper-layer length and
 * next header first (RFC 8200 8.1). */
static uint16_t icmp6_csum(const uint8_t *ip6, const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 8; i < IP6_HDR; i += 2)
		sum += (uint32_t)(ip6[i] << 8 | ip6[i + 1]);
	sum += (uint32_t)(n >> 16) + (uint32_t)(n & 0xffff) + IP6_NEXT_ICMPV6;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t icmp_build_ipv6(uint8_t *buf, size_t cap, const struct in6_addr *src,
		       const struct in6_addr *dst, const struct icmp_error *m,
		       const struct icmp_quote *q)
{
	const size_t icmp_len = ICMP6_HDR + IP6_HDR + ICMP6_QUOTED_L4;
	uint8_t *icmp = buf + IP6_HDR, *quoted = icmp + ICMP6_HDR;
	uint32_t qpayload = 20 + q->len;
	uint32_t max;

	if (cap < IP6_HDR + icmp_len)
		return 0;
	icmp6_ip_header(buf, (uint16_t)icmp_len, IP6_NEXT_ICMPV6, src, dst);
	memset(icmp, 0, icmp_len);
	icmp[0] = m->type;
	icmp[1] = m->code;
	/* packet_too_big's MTU, parameter_problem's pointer (0: the quoted
	 * header's first byte) or unused: the same 32 bits. */
	if (icmp_has_mtu(AF_INET6, m->type, m->code, &max))
		put32(icmp + 4, m->mtu);
	/* The quoted header says how long the segment was: a 20-byte TCP
	 * header (options unknown here) and its payload. */
	icmp6_ip_header(quoted, (uint16_t)(qpayload > 0xffff ? 0xffff : qpayload), IP6_NEXT_TCP,
			&q->src6, &q->dst6);
	put16(quoted + IP6_HDR, q->sport);
	put16(quoted + IP6_HDR + 2, q->dport);
	put32(quoted + IP6_HDR + 4, q->seq);
	put16(icmp + 2, icmp6_csum(buf, icmp, icmp_len));
	return IP6_HDR + icmp_len;
}
