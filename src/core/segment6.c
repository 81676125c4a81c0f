/* segment6.c - IPv6 in the segment model: an IPv6 packet carrying TCP
 * decoded (its extension headers walked), the TCP checksum over the IPv6
 * pseudo-header, and the addresses a lab may give its ends. segment.c
 * hands IPv6 packets and frames here; the declarations are in segment.h. */
#include "core/segment.h"

#include <string.h>
#include <sys/socket.h>

#define ETH_HLEN6_ 14
#define IPV6_HLEN 40
#define TCP_HLEN_MIN6 20

/* Next-header values of the extension headers walked over (RFC 8200 4). */
enum {
	NH_HOPOPTS = 0,
	NH_ROUTING = 43,
	NH_DSTOPTS = 60,
};

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int segment_ip6_transport(const uint8_t *pkt, size_t len, size_t *off, uint8_t *proto,
			  struct tr_err *err)
{
	size_t end, at = IPV6_HLEN;
	uint8_t nh;

	if (len < IPV6_HLEN || pkt[0] >> 4 != 6)
		return err_usage(err, "not an IPv6 packet (%zu bytes)", len);
	end = IPV6_HLEN + (size_t)rd16(pkt + 4);
	if (end > len)
		return err_usage(err, "IPv6 header: payload length %u, captured %zu",
				 rd16(pkt + 4), len - IPV6_HLEN);
	nh = pkt[6];
	/* A fragment is another protocol until it is reassembled, which the
	 * rig never needs: the lab's path carries whole segments. */
	while (nh == NH_HOPOPTS || nh == NH_ROUTING || nh == NH_DSTOPTS) {
		size_t hlen;

		if (end - at < 8)
			return err_usage(err, "IPv6 extension header %u truncated", nh);
		hlen = ((size_t)pkt[at + 1] + 1) * 8;
		if (hlen > end - at)
			return err_usage(err, "IPv6 extension header %u: %zu bytes, %zu left",
					 nh, hlen, end - at);
		nh = pkt[at];
		at += hlen;
	}
	*off = at;
	*proto = nh;
	return 0;
}

uint16_t segment_tcp6_csum(const struct in6_addr *src, const struct in6_addr *dst,
			   const uint8_t *tcp, size_t len)
{
	/* RFC 8200 8.1: source, destination, upper-layer length (32 bits),
	 * three zero bytes and the next header. */
	uint8_t pseudo[40] = { 0 };
	uint32_t sum;

	memcpy(pseudo, src, 16);
	memcpy(pseudo + 16, dst, 16);
	pseudo[32] = (uint8_t)(len >> 24);
	pseudo[33] = (uint8_t)(len >> 16);
	pseudo[34] = (uint8_t)(len >> 8);
	pseudo[35] = (uint8_t)len;
	pseudo[39] = IPPROTO_TCP;
	sum = inet_csum_add(0, pseudo, sizeof(pseudo));
	sum = inet_csum_add(sum, tcp, len);
	return inet_csum_fold(sum);
}

int segment_decode_ip6(struct segment *s, const uint8_t *pkt, size_t len, struct tr_err *err)
{
	size_t off, tcp_len, doff, end;
	const uint8_t *tcp;
	uint32_t vtf;
	uint8_t proto;

	segment_init(s);
	if (segment_ip6_transport(pkt, len, &off, &proto, err))
		return -1;
	if (proto != IPPROTO_TCP)
		return err_usage(err, "IPv6 next header %u is not TCP", proto);
	end = IPV6_HLEN + (size_t)rd16(pkt + 4);
	vtf = rd32(pkt);
	s->family = AF_INET6;
	s->tos = (uint8_t)(vtf >> 20);
	s->flowlabel = vtf & 0xfffff;
	s->ttl = pkt[7];
	memcpy(&s->src.v6, pkt + 8, 16);
	memcpy(&s->dst.v6, pkt + 24, 16);

	tcp = pkt + off;
	tcp_len = end - off;
	if (tcp_len < TCP_HLEN_MIN6)
		return err_usage(err, "TCP header truncated (%zu bytes)", tcp_len);
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < TCP_HLEN_MIN6 || doff > tcp_len)
		return err_usage(err, "TCP data offset %zu out of range", doff);
	s->sport = rd16(tcp);
	s->dport = rd16(tcp + 2);
	s->seq = rd32(tcp + 4);
	s->ack = rd32(tcp + 8);
	s->flags = tcp[13];
	s->win = rd16(tcp + 14);
	s->urg = rd16(tcp + 18);
	if (segment_opts_decode(s, tcp + TCP_HLEN_MIN6, doff - TCP_HLEN_MIN6, err))
		return -1;
	s->payload = tcp + doff;
	s->payload_len = (uint32_t)(tcp_len - doff);
	s->bad_csum = segment_tcp6_csum(&s->src.v6, &s->dst.v6, tcp, tcp_len) != 0;
	return 0;
}

int segment_decode_frame6(struct segment *s, const uint8_t *frame, size_t len,
			  struct tr_err *err)
{
	const uint8_t *pkt = frame + ETH_HLEN6_;
	size_t n = len - ETH_HLEN6_, off;
	uint8_t proto;
	struct tr_err e;

	/* Neighbour discovery, MLD and the like are no business of the rig's,
	 * and neither is a packet too broken to say what it carries. */
	if (len < ETH_HLEN6_ + IPV6_HLEN || segment_ip6_transport(pkt, n, &off, &proto, &e) ||
	    proto != IPPROTO_TCP)
		return 0;
	return segment_decode_ip6(s, pkt, n, err) ? -1 : 1;
}

bool seg_ipv6_lab_usable(const struct in6_addr *a)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	const uint8_t *b = a->s6_addr;
	bool zero_head = true;

	for (int i = 0; i < 15; i++)
		zero_head = zero_head && !b[i];
	/* Not ::, not ::1, not multicast (ff00::/8), not link-local
	 * (fe80::/10: it needs a scope the rig's addresses never carry), not
	 * an IPv4 address in disguise. */
	return !zero_head && b[0] != 0xff && !(b[0] == 0xfe && (b[1] & 0xc0) == 0x80) &&
	       memcmp(b, v4mapped, sizeof(v4mapped));
}
