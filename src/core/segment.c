#include "core/segment.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/bytes.h"

#define ETH_HLEN_ 14
#define ETHERTYPE_IPV4_ 0x0800
#define ETHERTYPE_IPV6_ 0x86dd
#define IPV4_HLEN_MIN 20
#define TCP_HLEN_MIN 20

void segment_init(struct segment *s)
{
	memset(s, 0, sizeof(*s));
	s->family = AF_INET;
	s->ttl = 64;
}

/* packetdrill's order, so that printed lines read like script lines. */
static const struct {
	uint8_t bit;
	char letter;
} flag_letters[] = {
	{ SEG_SYN, 'S' }, { SEG_FIN, 'F' }, { SEG_RST, 'R' }, { SEG_PSH, 'P' },
	{ SEG_ACK, '.' }, { SEG_URG, 'U' }, { SEG_ECE, 'E' }, { SEG_CWR, 'W' },
};

const char *segment_flags_format(uint8_t flags, char buf[9])
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(flag_letters) / sizeof(flag_letters[0]); i++)
		if (flags & flag_letters[i].bit)
			buf[n++] = flag_letters[i].letter;
	if (n == 0)
		buf[n++] = '-';
	buf[n] = '\0';
	return buf;
}

int segment_flags_parse(const char *text, size_t len, uint8_t *flags,
			size_t *bad)
{
	uint8_t f = 0;

	if (len == 1 && text[0] == '-') {
		*flags = 0;
		return 0;
	}
	if (len == 0) {
		*bad = 0;
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		size_t k;

		for (k = 0; k < sizeof(flag_letters) / sizeof(flag_letters[0]); k++)
			if (text[i] == flag_letters[k].letter)
				break;
		if (k == sizeof(flag_letters) / sizeof(flag_letters[0])) {
			*bad = i;
			return -1;
		}
		f |= flag_letters[k].bit;
	}
	*flags = f;
	return 0;
}

/* Wire length of a known option; 0 for an unknown kind (its len is kept). */
static uint8_t opt_wire_len(const struct seg_opt *o)
{
	switch (o->kind) {
	case SEG_OPT_EOL:
	case SEG_OPT_NOP:
		return 1;
	case SEG_OPT_MSS:
		return 4;
	case SEG_OPT_WSCALE:
		return 3;
	case SEG_OPT_SACK_PERM:
		return 2;
	case SEG_OPT_SACK:
		return (uint8_t)(2 + 8 * o->v.sack.n);
	case SEG_OPT_TS:
		return 10;
	}
	return o->len;
}

struct seg_opt *segment_opt_add(struct segment *s, uint8_t kind)
{
	struct seg_opt *o;

	if (s->nopts >= SEG_OPT_MAX)
		return NULL;
	o = &s->opts[s->nopts++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->len = opt_wire_len(o);
	return o;
}

const struct seg_opt *segment_opt_find(const struct segment *s, uint8_t kind)
{
	for (unsigned i = 0; i < s->nopts; i++)
		if (s->opts[i].kind == kind)
			return &s->opts[i];
	return NULL;
}

int segment_opts_encode(const struct segment *s, uint8_t out[SEG_OPT_SPACE],
			size_t *len, struct tr_err *err)
{
	size_t total = 0, n = 0;

	for (unsigned i = 0; i < s->nopts; i++)
		total += opt_wire_len(&s->opts[i]);
	if ((total + 3) / 4 * 4 > SEG_OPT_SPACE)
		return err_usage(err,
				 "TCP options take %zu bytes (%zu padded); at most %d fit in a header",
				 total, (total + 3) / 4 * 4, SEG_OPT_SPACE);

	for (unsigned i = 0; i < s->nopts; i++) {
		const struct seg_opt *o = &s->opts[i];
		uint8_t *p = out + n;
		uint8_t wl = opt_wire_len(o);

		p[0] = o->kind;
		if (wl > 1)
			p[1] = wl;
		switch ((enum seg_opt_kind)o->kind) {
		case SEG_OPT_EOL:
		case SEG_OPT_NOP:
		case SEG_OPT_SACK_PERM:
			break;
		case SEG_OPT_MSS:
			put16(p + 2, o->v.mss);
			break;
		case SEG_OPT_WSCALE:
			p[2] = o->v.wscale;
			break;
		case SEG_OPT_SACK:
			for (unsigned b = 0; b < o->v.sack.n; b++) {
				put32(p + 2 + 8 * b, o->v.sack.b[b].left);
				put32(p + 6 + 8 * b, o->v.sack.b[b].right);
			}
			break;
		case SEG_OPT_TS:
			put32(p + 2, o->v.ts.val);
			put32(p + 6, o->v.ts.ecr);
			break;
		default:
			/* An unknown kind carries its body as raw bytes. */
			if (wl < 2)
				return err_usage(err, "TCP option kind %u has length %u",
						 o->kind, wl);
			memcpy(p + 2, o->v.raw, wl - 2u);
			break;
		}
		n += wl;
	}
	while (n % 4)
		out[n++] = SEG_OPT_EOL;
	*len = n;
	return 0;
}

int segment_opts_decode(struct segment *s, const uint8_t *p, size_t len,
			struct tr_err *err)
{
	size_t i = 0;

	s->nopts = 0;
	while (i < len) {
		uint8_t kind = p[i], ol;
		struct seg_opt *o;

		if (kind == SEG_OPT_EOL || kind == SEG_OPT_NOP) {
			ol = 1;
		} else {
			if (i + 1 >= len)
				return err_usage(err, "TCP option kind %u at offset %zu lacks its length byte",
						 kind, i);
			ol = p[i + 1];
			if (ol < 2 || i + ol > len)
				return err_usage(err, "TCP option kind %u at offset %zu has bad length %u",
						 kind, i, ol);
		}
		o = segment_opt_add(s, kind);
		if (!o)
			return err_usage(err, "more than %d TCP options", SEG_OPT_MAX);
		o->len = ol;
		switch ((enum seg_opt_kind)kind) {
		case SEG_OPT_EOL:
		case SEG_OPT_NOP:
			break;
		case SEG_OPT_MSS:
			if (ol != 4)
				goto bad_len;
			o->v.mss = get16(p + i + 2);
			break;
		case SEG_OPT_WSCALE:
			if (ol != 3)
				goto bad_len;
			o->v.wscale = p[i + 2];
			break;
		case SEG_OPT_SACK_PERM:
			if (ol != 2)
				goto bad_len;
			break;
		case SEG_OPT_SACK:
			if ((ol - 2) % 8 || ol > 2 + 8 * SEG_SACK_MAX)
				goto bad_len;
			o->v.sack.n = (uint8_t)((ol - 2) / 8);
			for (unsigned b = 0; b < o->v.sack.n; b++) {
				o->v.sack.b[b].left = get32(p + i + 2 + 8 * b);
				o->v.sack.b[b].right = get32(p + i + 6 + 8 * b);
			}
			break;
		case SEG_OPT_TS:
			if (ol != 10)
				goto bad_len;
			o->v.ts.val = get32(p + i + 2);
			o->v.ts.ecr = get32(p + i + 6);
			break;
		default:
			memcpy(o->v.raw, p + i + 2, ol - 2u);
			break;
		}
		i += ol;
	}
	return 0;
bad_len:
	return err_usage(err, "TCP option kind %u at offset %zu has bad length %u",
			 p[i], i, p[i + 1]);
}

uint32_t inet_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}

uint16_t inet_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static bool tcp4_csum_ok(const uint8_t *ip, const uint8_t *tcp, size_t tcp_len)
{
	uint8_t pseudo[12];
	uint32_t sum;

	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, (uint16_t)tcp_len);
	sum = inet_csum_add(0, pseudo, sizeof(pseudo));
	sum = inet_csum_add(sum, tcp, tcp_len);
	return inet_csum_fold(sum) == 0;
}

int segment_decode_ip(struct segment *s, const uint8_t *pkt, size_t len,
		      struct tr_err *err)
{
	size_t ihl, tot, doff;
	const uint8_t *tcp;

	if (len && pkt[0] >> 4 == 6)
		return segment_decode_ip6(s, pkt, len, err);
	segment_init(s);
	if (len < IPV4_HLEN_MIN || pkt[0] >> 4 != 4)
		return err_usage(err, "not an IPv4 packet (%zu bytes)", len);
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	tot = get16(pkt + 2);
	if (ihl < IPV4_HLEN_MIN || tot < ihl || tot > len)
		return err_usage(err, "IPv4 header: bad lengths (ihl %zu, total %zu, captured %zu)",
				 ihl, tot, len);
	if (pkt[9] != IPPROTO_TCP)
		return err_usage(err, "IPv4 protocol %u is not TCP", pkt[9]);
	s->family = AF_INET;
	s->tos = pkt[1];
	s->ip_id = get16(pkt + 4);
	s->ttl = pkt[8];
	memcpy(&s->src.v4, pkt + 12, 4);
	memcpy(&s->dst.v4, pkt + 16, 4);

	tcp = pkt + ihl;
	if (tot - ihl < TCP_HLEN_MIN)
		return err_usage(err, "TCP header truncated (%zu bytes)", tot - ihl);
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < TCP_HLEN_MIN || doff > tot - ihl)
		return err_usage(err, "TCP data offset %zu out of range", doff);
	s->sport = get16(tcp);
	s->dport = get16(tcp + 2);
	s->seq = get32(tcp + 4);
	s->ack = get32(tcp + 8);
	s->flags = tcp[13];
	s->win = get16(tcp + 14);
	s->urg = get16(tcp + 18);
	if (segment_opts_decode(s, tcp + TCP_HLEN_MIN, doff - TCP_HLEN_MIN, err))
		return -1;
	s->payload = tcp + doff;
	s->payload_len = (uint32_t)(tot - ihl - doff);
	s->bad_csum = !tcp4_csum_ok(pkt, tcp, tot - ihl);
	return 0;
}

int segment_decode_frame(struct segment *s, const uint8_t *frame, size_t len,
			 struct tr_err *err)
{
	if (len < ETH_HLEN_)
		return err_usage(err, "Ethernet frame truncated (%zu bytes)", len);
	if (get16(frame + 12) == ETHERTYPE_IPV6_)
		return segment_decode_frame6(s, frame, len, err);
	if (get16(frame + 12) != ETHERTYPE_IPV4_)
		return 0;
	if (len < ETH_HLEN_ + IPV4_HLEN_MIN ||
	    frame[ETH_HLEN_ + 9] != IPPROTO_TCP)
		return 0;
	if (segment_decode_ip(s, frame + ETH_HLEN_, len - ETH_HLEN_, err))
		return -1;
	return 1;
}

/* snprintf that keeps appending after the buffer is full, counting. */
struct strbuf {
	char *p;
	size_t cap, n;
};

static void sb_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(b->n < b->cap ? b->p + b->n : NULL,
		      b->n < b->cap ? b->cap - b->n : 0, fmt, ap);
	va_end(ap);
	if (r > 0)
		b->n += (size_t)r;
}

/* `FO cookie` and `FOEXP cookie` in hex, as packetdrill writes them; an
 * experimental option of another magic by its kind and length. */
static void format_fastopen(struct strbuf *b, const struct seg_opt *o)
{
	unsigned skip = 0;

	if (o->kind == SEG_OPT_EXP) {
		if (o->len < 4 || (o->v.raw[0] << 8 | o->v.raw[1]) != SEG_EXP_FASTOPEN_MAGIC) {
			sb_printf(b, "kind %u len %u", o->kind, o->len);
			return;
		}
		skip = 2;
	}
	sb_printf(b, o->kind == SEG_OPT_EXP ? "FOEXP" : "FO");
	for (unsigned k = skip; k + 2u < o->len && k < sizeof(o->v.raw); k++)
		sb_printf(b, k == skip ? " %02x" : "%02x", o->v.raw[k]);
}

static void format_opts(struct strbuf *b, const struct segment *s)
{
	if (!s->nopts)
		return;
	sb_printf(b, "<");
	for (unsigned i = 0; i < s->nopts; i++) {
		const struct seg_opt *o = &s->opts[i];

		if (i)
			sb_printf(b, ",");
		switch ((enum seg_opt_kind)o->kind) {
		case SEG_OPT_EOL:
			sb_printf(b, "eol");
			break;
		case SEG_OPT_NOP:
			sb_printf(b, "nop");
			break;
		case SEG_OPT_MSS:
			sb_printf(b, "mss %u", o->v.mss);
			break;
		case SEG_OPT_WSCALE:
			sb_printf(b, "wscale %u", o->v.wscale);
			break;
		case SEG_OPT_SACK_PERM:
			sb_printf(b, "sackOK");
			break;
		case SEG_OPT_SACK:
			sb_printf(b, "sack");
			for (unsigned k = 0; k < o->v.sack.n; k++)
				sb_printf(b, " %u:%u", o->v.sack.b[k].left,
					  o->v.sack.b[k].right);
			break;
		case SEG_OPT_TS:
			sb_printf(b, "TS val %u ecr %u", o->v.ts.val, o->v.ts.ecr);
			break;
		case SEG_OPT_FASTOPEN:
		case SEG_OPT_EXP:
			format_fastopen(b, o);
			break;
		case SEG_OPT_MD5:
			sb_printf(b, s->md5_sign ? "md5" : "md5 ");
			for (unsigned k = 0; !s->md5_sign && k + 2u < o->len && k < sizeof(o->v.raw);
			     k++)
				sb_printf(b, "%02x", o->v.raw[k]);
			break;
		default:
			sb_printf(b, "kind %u len %u", o->kind, o->len);
			break;
		}
	}
	sb_printf(b, ">");
}

int segment_opts_format(const struct segment *s, char *buf, size_t cap)
{
	struct strbuf b = { buf, cap, 0 };

	if (cap)
		buf[0] = '\0';
	format_opts(&b, s);
	return (int)b.n;
}

int segment_format(const struct segment *s, char *buf, size_t cap)
{
	struct strbuf b = { buf, cap, 0 };
	char flags[9];

	if (cap)
		buf[0] = '\0';
	sb_printf(&b, "%s %u:%u(%u)", segment_flags_format(s->flags, flags),
		  s->seq, (uint32_t)(s->seq + s->payload_len), s->payload_len);
	if (s->flags & SEG_ACK)
		sb_printf(&b, " ack %u", s->ack);
	sb_printf(&b, " win %u", s->win);
	if (s->flags & SEG_URG)
		sb_printf(&b, " urg %u", s->urg);
	if (s->nopts) {
		sb_printf(&b, " ");
		format_opts(&b, s);
	}
	if (s->bad_csum)
		sb_printf(&b, " [bad tcp checksum]");
	return (int)b.n;
}

bool seg_ipv4_lab_usable(uint32_t a)
{
	uint32_t h = ntohl(a);

	return (h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) < 14;
}
