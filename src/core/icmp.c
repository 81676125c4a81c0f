/* icmp.c - ICMP error names of both families (ICMPv4: RFC 792, RFC 1812's
 * unreachable codes; ICMPv6: RFC 4443, packetdrill's code names) and the
 * bytes of an ICMPv4 message (icmp6.c builds ICMPv6's). */
#include "core/icmp.h"

#include <string.h>
#include <sys/socket.h>

#include "core/bytes.h"

#define ICMP_IP_HDR 20
#define ICMP_HDR 8
#define ICMP_QUOTED_L4 8 /* RFC 792: the first 64 bits of the datagram */

struct icmp_name {
	uint8_t value;
	const char *name;
};

static const struct icmp_name icmp_types[] = {
	{ 3, "unreachable" }, { 4, "source_quench" }, { 5, "redirect" },
	{ 11, "time_exceeded" }, { 12, "parameter_problem" },
};

static const struct icmp_name icmp_unreach_codes[] = {
	{ 0, "net_unreachable" },	  { 1, "host_unreachable" },
	{ 2, "protocol_unreachable" },	  { 3, "port_unreachable" },
	{ 4, "frag_needed" },		  { 5, "source_route_failed" },
	{ 6, "net_unknown" },		  { 7, "host_unknown" },
	{ 8, "source_host_isolated" },	  { 9, "net_prohibited" },
	{ 10, "host_prohibited" },	  { 11, "net_unreachable_for_tos" },
	{ 12, "host_unreachable_for_tos" }, { 13, "packet_filtered" },
	{ 14, "precedence_violation" },	  { 15, "precedence_cutoff" },
};

/* ICMPv6 (RFC 4443 3.x). Code 2 of unreachable is "beyond scope of source
 * address" today; packetdrill keeps RFC 2463's name, and so do we. Its
 * net_unreachable is no_route's other name there. */
static const struct icmp_name icmp6_types[] = {
	{ 1, "unreachable" }, { 2, "packet_too_big" }, { 3, "time_exceeded" },
	{ 4, "parameter_problem" },
};

static const struct icmp_name icmp6_unreach_codes[] = {
	{ 0, "no_route" },	      { 0, "net_unreachable" },	  { 1, "admin_prohibited" },
	{ 2, "not_neighbour" },	      { 3, "address_unreachable" }, { 4, "port_unreachable" },
};

static const struct icmp_name icmp6_time_codes[] = {
	{ 0, "exceeded_hop_limit" },
	{ 1, "exceeded_frag_time" },
};

static const struct icmp_name icmp6_param_codes[] = {
	{ 0, "header_field" },
	{ 1, "unknown_next_header" },
	{ 2, "unknown_option" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int icmp_find(const struct icmp_name *tab, size_t n, const char *name, size_t len,
		     uint8_t *value)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i].name) == len && !memcmp(tab[i].name, name, len)) {
			*value = tab[i].value;
			return 0;
		}
	return -1;
}

static const char *icmp_name_of(const struct icmp_name *tab, size_t n, uint8_t value)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].value == value)
			return tab[i].name;
	return NULL;
}

/* The code table of a type in family; NULL (n 0) when it names no codes. */
static const struct icmp_name *icmp_codes(int family, uint8_t type, size_t *n)
{
	*n = 0;
	if (family != AF_INET6) {
		if (type != 3)
			return NULL;
		*n = ARRAY_LEN(icmp_unreach_codes);
		return icmp_unreach_codes;
	}
	switch (type) {
	case 1:
		*n = ARRAY_LEN(icmp6_unreach_codes);
		return icmp6_unreach_codes;
	case 3:
		*n = ARRAY_LEN(icmp6_time_codes);
		return icmp6_time_codes;
	case 4:
		*n = ARRAY_LEN(icmp6_param_codes);
		return icmp6_param_codes;
	default:
		return NULL;
	}
}

int icmp_type_named(int family, const char *name, size_t len, uint8_t *type)
{
	if (family == AF_INET6)
		return icmp_find(icmp6_types, ARRAY_LEN(icmp6_types), name, len, type);
	return icmp_find(icmp_types, ARRAY_LEN(icmp_types), name, len, type);
}

int icmp_code_named(int family, uint8_t type, const char *name, size_t len, uint8_t *code)
{
	size_t n;
	const struct icmp_name *tab = icmp_codes(family, type, &n);

	return tab ? icmp_find(tab, n, name, len, code) : -1;
}

const char *icmp_type_name(int family, uint8_t type)
{
	if (family == AF_INET6)
		return icmp_name_of(icmp6_types, ARRAY_LEN(icmp6_types), type);
	return icmp_name_of(icmp_types, ARRAY_LEN(icmp_types), type);
}

const char *icmp_code_name(int family, uint8_t type, uint8_t code)
{
	size_t n;
	const struct icmp_name *tab = icmp_codes(family, type, &n);

	return tab ? icmp_name_of(tab, n, code) : NULL;
}

bool icmp_has_mtu(int family, uint8_t type, uint8_t code, uint32_t *max)
{
	if (family == AF_INET6) {
		*max = UINT32_MAX;
		return type == 2 && code == 0;
	}
	*max = UINT16_MAX;
	return type == 3 && code == 4;
}

const char *icmp_type_names(int family)
{
	return family == AF_INET6 ? "unreachable, packet_too_big, time_exceeded, parameter_problem"
				  : "unreachable, source_quench, redirect, time_exceeded, "
				    "parameter_problem";
}

/* The Internet checksum (RFC 1071) of n bytes. */
static uint16_t icmp_csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void icmp_ip_header(uint8_t *p, uint16_t total, uint8_t proto, struct in_addr src,
			   struct in_addr dst)
{
	memset(p, 0, ICMP_IP_HDR);
	p[0] = 0x45;
	put16(p + 2, total);
	put16(p + 6, 0x4000); /* DF */
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	put16(p + 10, icmp_csum(p, ICMP_IP_HDR));
}

size_t icmp_build_ipv4(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		       const struct icmp_error *m, const struct icmp_quote *q)
{
	const size_t icmp_len = ICMP_HDR + ICMP_IP_HDR + ICMP_QUOTED_L4;
	const size_t total = ICMP_IP_HDR + icmp_len;
	uint8_t *icmp = buf + ICMP_IP_HDR, *quoted = icmp + ICMP_HDR;
	uint32_t qtotal = ICMP_IP_HDR + 20 + q->len;

	if (cap < total)
		return 0;
	icmp_ip_header(buf, (uint16_t)total, IPPROTO_ICMP, src, dst);
	memset(icmp, 0, icmp_len);
	icmp[0] = m->type;
	icmp[1] = m->code;
	if (m->type == 3 && m->code == 4)
		put16(icmp + 6, (uint16_t)m->mtu);
	/* The quoted header says how long the segment was: a 20-byte TCP
	 * header (options unknown here) and its payload. */
	icmp_ip_header(quoted, (uint16_t)(qtotal > 0xffff ? 0xffff : qtotal), IPPROTO_TCP, q->src,
		       q->dst);
	put16(quoted + ICMP_IP_HDR, q->sport);
	put16(quoted + ICMP_IP_HDR + 2, q->dport);
	put32(quoted + ICMP_IP_HDR + 4, q->seq);
	put16(icmp + 2, icmp_csum(icmp, icmp_len));
	return total;
}
