/* icmp.h - ICMPv4 error messages about a TCP segment, as the rig injects
 * them (packetdrill's `< icmp unreachable frag_needed mtu 800 [0:1000(1000)]`):
 * the names of their types and codes, and the bytes of one.
 *
 * Only the error types, which quote the segment they are about: the target's
 * kernel finds the socket by the quoted ports and, for most codes, checks
 * the quoted seq against what it has in flight (RFC 5927's defence).
 */
#ifndef TCPRIG_CORE_ICMP_H
#define TCPRIG_CORE_ICMP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct icmp_error {
	uint8_t type, code;
	uint16_t mtu; /* unreachable/frag_needed: the next hop's MTU */
};

/* The segment an error quotes: from the target, which sent it, to the rig. */
struct icmp_quote {
	struct in_addr src, dst;
	uint16_t sport, dport;
	uint32_t seq;
	uint32_t len; /* its payload bytes, for the quoted IP total length */
};

/* 0 and the type for an error type's name (unreachable, source_quench,
 * redirect, time_exceeded, parameter_problem), -1 for any other name. */
int icmp_type_named(const char *name, size_t len, uint8_t *type);
/* 0 and the code for one of type's code names (unreachable's:
 * net_unreachable ... precedence_cutoff, frag_needed among them), -1 if
 * type has no such code. */
int icmp_code_named(uint8_t type, const char *name, size_t len, uint8_t *code);
/* The names back, for messages; NULL if the value has none. */
const char *icmp_type_name(uint8_t type);
const char *icmp_code_name(uint8_t type, uint8_t code);

/* The IPv4 packet (no link header) carrying m from src to dst about q:
 * outer header, ICMP header, the quoted IPv4 header and the first 8 bytes
 * of the quoted TCP header (ports and seq), checksums filled. Returns its
 * length, or 0 if cap is too small. */
size_t icmp_build_ipv4(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		       const struct icmp_error *m, const struct icmp_quote *q);

#endif
