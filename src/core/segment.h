/* segment.h - the TCP segment model: the one vocabulary crafter, sniffer,
 * matcher and case parser share.
 *
 * A segment holds the IP and TCP header fields in host byte order, the TCP
 * options as an ordered list (as a script writes them or as the wire carried
 * them), and the payload length. Addresses carry their family: AF_INET, or
 * AF_INET6 (whose decoding, checksum and address rules live in segment6.c),
 * where tos is the traffic class, ttl the hop limit and flowlabel is kept.
 *
 * Numbers in a segment are whatever the caller puts there: absolute on the
 * wire, relative in a script. Mapping between the two is not this module's job.
 */
#ifndef TCPRIG_SEGMENT_H
#define TCPRIG_SEGMENT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* TCP flag bits, as on the wire. */
enum {
	SEG_FIN = 0x01,
	SEG_SYN = 0x02,
	SEG_RST = 0x04,
	SEG_PSH = 0x08,
	SEG_ACK = 0x10,
	SEG_URG = 0x20,
	SEG_ECE = 0x40,
	SEG_CWR = 0x80,
};

/* TCP option kinds, as on the wire. */
enum seg_opt_kind {
	SEG_OPT_EOL = 0,
	SEG_OPT_NOP = 1,
	SEG_OPT_MSS = 2,
	SEG_OPT_WSCALE = 3,
	SEG_OPT_SACK_PERM = 4,
	SEG_OPT_SACK = 5,
	SEG_OPT_TS = 8,
	/* Kept raw (v.raw), but named in text: packetdrill's `FO cookie`
	 * (RFC 7413) and `FOEXP cookie`, the experimental kind 254 whose body
	 * starts with the magic 0xF989 (RFC 6994). */
	SEG_OPT_FASTOPEN = 34,
	SEG_OPT_EXP = 254,
	/* Kept raw too: packetdrill's `md5 DIGEST`, an RFC 2385 signature of
	 * 16 bytes as written (a target without the key drops the segment);
	 * `md5` alone is signed with the case's key (md5_sign). */
	SEG_OPT_MD5 = 19,
};
#define SEG_EXP_FASTOPEN_MAGIC 0xF989

#define SEG_OPT_SPACE 40      /* bytes of TCP option space in a header */
#define SEG_OPT_MAX 40        /* every option takes at least one byte */
#define SEG_SACK_MAX 4        /* blocks that fit in the option space */

struct seg_sack_block {
	uint32_t left, right;
};

struct seg_opt {
	uint8_t kind; /* enum seg_opt_kind, or any other value (kept raw) */
	uint8_t len;  /* bytes on the wire, kind and length included */
	union {
		uint16_t mss;
		uint8_t wscale;
		struct {
			uint32_t val, ecr;
		} ts;
		struct {
			uint8_t n;
			struct seg_sack_block b[SEG_SACK_MAX];
		} sack;
		uint8_t raw[SEG_OPT_SPACE - 2]; /* body of an unknown kind */
	} v;
};

union seg_ip {
	struct in_addr v4;
	struct in6_addr v6;
};

struct segment {
	int family; /* AF_INET or AF_INET6 */
	union seg_ip src, dst;
	uint8_t ttl, tos; /* IPv6: hop limit, traffic class */
	uint16_t ip_id;   /* IPv4 only */
	uint32_t flowlabel; /* IPv6 only: 20 bits */

	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags; /* SEG_* bits */
	uint16_t win, urg;

	uint8_t nopts;
	struct seg_opt opts[SEG_OPT_MAX];

	uint32_t payload_len;
	/* Crafting: NULL sends payload_len zero bytes. Decoding: points into the
	 * frame that was decoded, valid as long as that frame is. */
	const uint8_t *payload;

	/* Crafting: put a deliberately wrong TCP checksum on the wire.
	 * Decoding: the TCP checksum did not verify. */
	bool bad_csum;
	/* A line's `md5` without a digest: a `<` segment is signed with the
	 * key the target was given (TCP_MD5SIG), a `>` one must verify under
	 * it (tcp_md5.h); the option's bytes are the digest's place. */
	bool md5_sign;
};

/* A segment with IPv4 defaults (TTL 64, nothing else set). */
void segment_init(struct segment *s);

/* Flags as packetdrill writes them, in its order "SFRP.UEW"; "-" for none.
 * The buffer needs 9 bytes. */
const char *segment_flags_format(uint8_t flags, char buf[9]);
/* Parses "S.", "F.", "R", "P.", "-" ...; on an unknown letter returns -1 and
 * sets *bad to its offset. */
int segment_flags_parse(const char *text, size_t len, uint8_t *flags,
			size_t *bad);

/* Appends an option; fails if SEG_OPT_MAX options are already there. */
struct seg_opt *segment_opt_add(struct segment *s, uint8_t kind);
/* The first option of that kind, or NULL. */
const struct seg_opt *segment_opt_find(const struct segment *s, uint8_t kind);

/* Encodes the options in order, padded with EOL to a multiple of 4.
 * Over SEG_OPT_SPACE bytes is an error naming the size, never truncated. */
int segment_opts_encode(const struct segment *s, uint8_t out[SEG_OPT_SPACE],
			size_t *len, struct tr_err *err);
/* Decodes option bytes into s->opts (kept in wire order, padding included). */
int segment_opts_decode(struct segment *s, const uint8_t *p, size_t len,
			struct tr_err *err);

/* Whether a lab may give an end IPv4 address a (network order): unicast,
 * none of 0/8, 127/8, multicast or above. */
bool seg_ipv4_lab_usable(uint32_t a);

/* Decodes an IPv4 or IPv6 packet carrying TCP (its first nibble says
 * which); verifies the TCP checksum. */
int segment_decode_ip(struct segment *s, const uint8_t *pkt, size_t len,
		      struct tr_err *err);
/* Decodes an Ethernet II frame carrying TCP over IPv4 or IPv6. Returns 1 if
 * decoded, 0 if the frame is not TCP (ARP, neighbour discovery, UDP ...),
 * -1 if it is malformed. */
int segment_decode_frame(struct segment *s, const uint8_t *frame, size_t len,
			 struct tr_err *err);

/* IPv6 (segment6.c). */
/* Walks pkt's IPv6 header and its hop-by-hop, routing and destination
 * options headers: *off is where the upper layer starts, *proto what it is
 * (a fragment header stops the walk: IPPROTO_FRAGMENT). -1 if malformed. */
int segment_ip6_transport(const uint8_t *pkt, size_t len, size_t *off, uint8_t *proto,
			  struct tr_err *err);
/* Decodes an IPv6 packet carrying TCP; verifies the TCP checksum. */
int segment_decode_ip6(struct segment *s, const uint8_t *pkt, size_t len,
		       struct tr_err *err);
/* segment_decode_frame for an Ethernet frame of ethertype IPv6. */
int segment_decode_frame6(struct segment *s, const uint8_t *frame, size_t len,
			  struct tr_err *err);
/* The TCP checksum over the IPv6 pseudo-header (RFC 8200 8.1) and the len
 * bytes at tcp: 0 if they verify; with the checksum field zeroed, the value
 * that belongs there. */
uint16_t segment_tcp6_csum(const struct in6_addr *src, const struct in6_addr *dst,
			   const uint8_t *tcp, size_t len);
/* Whether a lab may give an end IPv6 address a: unicast, none of ::, ::1,
 * link-local, multicast or v4-mapped. */
bool seg_ipv6_lab_usable(const struct in6_addr *a);

/* Prints the segment in script notation, numbers as they are in s:
 * "S. 0:0(0) ack 1001 win 65160 <mss 1460,sackOK,TS val 2817 ecr 100,nop,wscale 7>".
 * Returns the length snprintf would have written. */
int segment_format(const struct segment *s, char *buf, size_t cap);
/* Only the option list, "<...>" included; "" when there is none. */
int segment_opts_format(const struct segment *s, char *buf, size_t cap);

/* RFC 1071 ones' complement sum over buf, folded; start with sum = 0. */
uint32_t inet_csum_add(uint32_t sum, const void *buf, size_t len);
uint16_t inet_csum_fold(uint32_t sum);

#endif
