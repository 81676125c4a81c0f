#include "wire/craft.h"

#include <arpa/inet.h>
#include <libnet.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lab.h"
#include "lab/registry.h"

#define ETH_HDR 14
#define IP_DF_BIT 0x4000

struct crafter {
	libnet_t *l;
	bool offline;
	bool restricted; /* only to `only` (craft_restrict_to) */
	struct in_addr only;
};

/* A script's payload is a length; its bytes are zeros, as in packetdrill. */
static const uint8_t zero_payload[FRAME_MAX];

static struct crafter *craft_new(int injection, const char *ifname,
				 struct tr_err *err)
{
	char ebuf[LIBNET_ERRBUF_SIZE] = "";
	struct crafter *c = calloc(1, sizeof(*c));

	if (!c) {
		err_sys(err, "crafter");
		return NULL;
	}
	/* libnet_init's prototype takes a non-const device name. */
	c->l = libnet_init(injection, (char *)ifname, ebuf);
	if (!c->l) {
		err_env(err, "libnet on %s: %s", ifname ? ifname : "(none)", ebuf);
		free(c);
		return NULL;
	}
	c->offline = injection == LIBNET_NONE;
	return c;
}

struct crafter *craft_open(const char *ifname, enum craft_scope scope,
			   struct tr_err *err)
{
	switch (scope) {
	case CRAFT_LAB_ONLY:
		if (lab_check_rig_side(ifname, err))
			return NULL;
		break;
	case CRAFT_REMOTE_NAMED:
		break;
	}
	return craft_new(LIBNET_LINK_ADV, ifname, err);
}

struct crafter *craft_open_offline(struct tr_err *err)
{
	return craft_new(LIBNET_NONE, NULL, err);
}

void craft_close(struct crafter *c)
{
	if (!c)
		return;
	libnet_destroy(c->l);
	free(c);
}

static int build_ipv4(struct crafter *c, const struct segment *s,
		      const struct l2_addrs *l2, const uint8_t *opts,
		      size_t optlen, struct tr_err *err)
{
	libnet_t *l = c->l;
	const uint8_t *payload = s->payload ? s->payload : zero_payload;
	uint32_t tcp_len = (uint32_t)(LIBNET_TCP_H + optlen + s->payload_len);
	uint32_t src, dst;

	memcpy(&src, &s->src.v4, 4);
	memcpy(&dst, &s->dst.v4, 4);
	/* libnet wants the options block before the TCP header it belongs to. */
	if (optlen && libnet_build_tcp_options(opts, (uint32_t)optlen, l, 0) < 0)
		goto fail;
	if (libnet_build_tcp(s->sport, s->dport, s->seq, s->ack, s->flags,
			     s->win, 0, s->urg, tcp_len,
			     s->payload_len ? payload : NULL, s->payload_len,
			     l, 0) < 0)
		goto fail;
	if (libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + tcp_len), s->tos,
			      s->ip_id, IP_DF_BIT, s->ttl, IPPROTO_TCP, 0,
			      src, dst, NULL, 0, l, 0) < 0)
		goto fail;
	if (libnet_build_ethernet(l2->dst, l2->src, ETHERTYPE_IP, NULL, 0, l,
				  0) < 0)
		goto fail;
	return 0;
fail:
	return err_usage(err, "libnet: %s", libnet_geterror(l));
}

/* The IPv6 twin of build_ipv4: libnet writes the TCP checksum over the IPv6
 * pseudo-header (segment_tcp6_csum checks it in the unit tests). */
static int build_ipv6(struct crafter *c, const struct segment *s,
		      const struct l2_addrs *l2, const uint8_t *opts,
		      size_t optlen, struct tr_err *err)
{
	libnet_t *l = c->l;
	const uint8_t *payload = s->payload ? s->payload : zero_payload;
	uint32_t tcp_len = (uint32_t)(LIBNET_TCP_H + optlen + s->payload_len);
	struct libnet_in6_addr src, dst;

	memcpy(&src, &s->src.v6, 16);
	memcpy(&dst, &s->dst.v6, 16);
	if (optlen && libnet_build_tcp_options(opts, (uint32_t)optlen, l, 0) < 0)
		goto fail;
	if (libnet_build_tcp(s->sport, s->dport, s->seq, s->ack, s->flags,
			     s->win, 0, s->urg, tcp_len,
			     s->payload_len ? payload : NULL, s->payload_len,
			     l, 0) < 0)
		goto fail;
	if (libnet_build_ipv6(s->tos, s->flowlabel & 0xfffff, (uint16_t)tcp_len, IPPROTO_TCP,
			      s->ttl, src, dst, NULL, 0, l, 0) < 0)
		goto fail;
	if (libnet_build_ethernet(l2->dst, l2->src, ETHERTYPE_IPV6, NULL, 0, l,
				  0) < 0)
		goto fail;
	return 0;
fail:
	return err_usage(err, "libnet: %s", libnet_geterror(l));
}

int craft_build(struct crafter *c, const struct segment *s,
		const struct l2_addrs *l2, struct frame *out, struct tr_err *err)
{
	uint8_t opts[SEG_OPT_SPACE];
	size_t optlen = 0, room;
	uint8_t *pkt = NULL;
	uint32_t pkt_len = 0;
	int rc = -1;

	if (s->family != AF_INET && s->family != AF_INET6)
		return err_usage(err, "address family %d: only IPv4 and IPv6 are crafted",
				 s->family);
	if (segment_opts_encode(s, opts, &optlen, err))
		return -1;
	room = FRAME_MAX - ETH_HDR - (s->family == AF_INET6 ? LIBNET_IPV6_H : LIBNET_IPV4_H) -
	       LIBNET_TCP_H - optlen;
	if (s->payload_len > room)
		return err_usage(err, "payload of %u bytes does not fit a %d-byte frame",
				 s->payload_len, FRAME_MAX);

	libnet_clear_packet(c->l);
	if (s->family == AF_INET6 ? build_ipv6(c, s, l2, opts, optlen, err) :
				    build_ipv4(c, s, l2, opts, optlen, err))
		goto out;
	if (libnet_pblock_coalesce(c->l, &pkt, &pkt_len) < 0) {
		err_usage(err, "libnet: %s", libnet_geterror(c->l));
		goto out;
	}
	memcpy(out->bytes, pkt, pkt_len);
	out->len = pkt_len;
	if (s->family == AF_INET6) {
		/* libnet 1.1.6 masks the flow label's middle byte away; the first
		 * word is outside every checksum, so it is written here whole. */
		uint32_t vtf = 6u << 28 | (uint32_t)s->tos << 20 | (s->flowlabel & 0xfffff);

		out->bytes[ETH_HDR] = (uint8_t)(vtf >> 24);
		out->bytes[ETH_HDR + 1] = (uint8_t)(vtf >> 16);
		out->bytes[ETH_HDR + 2] = (uint8_t)(vtf >> 8);
		out->bytes[ETH_HDR + 3] = (uint8_t)vtf;
	}
	if (s->bad_csum) {
		/* Flipping the low bit never yields the one's-complement twin
		 * (0x0000 <-> 0xffff) of a valid sum, so the result never verifies. */
		size_t ihl = s->family == AF_INET6 ? LIBNET_IPV6_H :
			     (size_t)(out->bytes[ETH_HDR] & 0x0f) * 4;

		out->bytes[ETH_HDR + ihl + 17] ^= 0x01;
	}
	rc = 0;
out:
	/* libnet may hand out an offset pointer; only it knows how to free. */
	if (pkt)
		libnet_adv_free_packet(c->l, pkt);
	libnet_clear_packet(c->l);
	return rc;
}

void craft_restrict_to(struct crafter *c, struct in_addr dst)
{
	c->restricted = true;
	c->only = dst;
}

int craft_send(struct crafter *c, const struct frame *f, struct tr_err *err)
{
	if (c->offline)
		return err_usage(err, "an offline crafter cannot send");
	if (c->restricted &&
	    (f->len < ETH_HDR + LIBNET_IPV4_H || f->bytes[12] != 0x08 || f->bytes[13] != 0x00 ||
	     memcmp(f->bytes + ETH_HDR + 16, &c->only, 4))) {
		char to[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &c->only, to, sizeof(to));
		return err_usage(err, "refusing to send a frame that is not IPv4 to the target "
				      "%s", to);
	}
	if (libnet_adv_write_link(c->l, f->bytes, (uint32_t)f->len) !=
	    (int)f->len)
		return err_env(err, "send: %s", libnet_geterror(c->l));
	return 0;
}
