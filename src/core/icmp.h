/* icmp.h - ICMP error messages about a TCP segment, as the rig injects them
 * (packetdrill's `< icmp unreachable frag_needed mtu 800 [0:1000(1000)]`,
 * and over IPv6 `< icmp packet_too_big mtu 1280 [0:1440(1440)]`): the names
 * of their types and codes in each family, and the bytes of one.
 *
 * Only the error types, which quote the segment they are about: the target's
 * kernel finds the socket by the quoted ports and, for most codes, checks
 * the quoted seq against what it has in flight (RFC 5927's defence).
 *
 * The names are packetdrill's, per family: ICMPv4's (RFC 792, 1812) and
 * ICMPv6's (RFC 4443: unreachable, packet_too_big, time_exceeded,
 * parameter_problem; codes as packetdrill names them). A family is AF_INET
 * or AF_INET6; the same name may mean other numbers in each (unreachable is
 * 3 in one and 1 in the other, port_unreachable code 3 and 4).
 */
#ifndef TCPRIG_CORE_ICMP_H
#define TCPRIG_CORE_ICMP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct icmp_error {
	uint8_t type, code;
	/* ICMPv4 unreachable/frag_needed: the next hop's MTU (16 bits);
	 * ICMPv6 packet_too_big: the link's MTU (32 bits). */
	uint32_t mtu;
};

/* The segment an error quotes: from the target, which sent it, to the rig;
 * the addresses of the family being built. */
struct icmp_quote {
	struct in_addr src, dst;
	struct in6_addr src6, dst6;
	uint16_t sport, dport;
	uint32_t seq;
	uint32_t len; /* its payload bytes, for the quoted header's length */
};

/* 0 and the type for one of family's error type names, -1 for any other
 * name (echo_request, say: it quotes no segment). */
int icmp_type_named(int family, const char *name, size_t len, uint8_t *type);
/* 0 and the code for one of the type's code names in family, -1 if it
 * has no such code. */
int icmp_code_named(int family, uint8_t type, const char *name, size_t len, uint8_t *code);
/* The names back, for messages; NULL if the value has none. */
const char *icmp_type_name(int family, uint8_t type);
const char *icmp_code_name(int family, uint8_t type, uint8_t code);
/* Whether the message carries an MTU (frag_needed, packet_too_big), and
 * the largest it can say. */
bool icmp_has_mtu(int family, uint8_t type, uint8_t code, uint32_t *max);
/* The type names of family, ", "-separated, for messages. */
const char *icmp_type_names(int family);

/* The IPv4 packet (no link header) carrying m from src to dst about q:
 * outer header, ICMP header, the quoted IPv4 header and the first 8 bytes
 * of the quoted TCP header (ports and seq), checksums filled. Returns its
 * length, or 0 if cap is too small. */
size_t icmp_build_ipv4(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		       const struct icmp_error *m, const struct icmp_quote *q);
/* Its IPv6 twin (icmp6.c): IPv6 header (next header 58), ICMPv6 header,
 * the quoted IPv6 header (q->src6 to q->dst6, next header TCP) and the
 * first 8 bytes of the TCP header; the ICMPv6 checksum covers the IPv6
 * pseudo-header (RFC 4443 2.3). */
size_t icmp_build_ipv6(uint8_t *buf, size_t cap, const struct in6_addr *src,
		       const struct in6_addr *dst, const struct icmp_error *m,
		       const struct icmp_quote *q);

#endif
