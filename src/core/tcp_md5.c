/* tcp_md5.c - RFC 2385 signatures, through libcrypto's MD5. */
#include "core/tcp_md5.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/socket.h>

struct seg_opt *tcp_md5_opt(struct segment *s)
{
	for (unsigned i = 0; i < s->nopts; i++)
		if (s->opts[i].kind == SEG_OPT_MD5 && s->opts[i].len == 2 + TCP_MD5_LEN)
			return &s->opts[i];
	return NULL;
}

/* The pseudo-header into p: its length. */
static size_t md5_pseudo(const struct segment *s, uint32_t tcp_len, uint8_t p[40])
{
	if (s->family == AF_INET6) {
		uint32_t len = htonl(tcp_len);

		memcpy(p, &s->src.v6, 16);
		memcpy(p + 16, &s->dst.v6, 16);
		memcpy(p + 32, &len, 4);
		p[36] = p[37] = p[38] = 0;
		p[39] = IPPROTO_TCP;
		return 40;
	}
	memcpy(p, &s->src.v4, 4);
	memcpy(p + 4, &s->dst.v4, 4);
	p[8] = 0;
	p[9] = IPPROTO_TCP;
	p[10] = (uint8_t)(tcp_len >> 8);
	p[11] = (uint8_t)tcp_len;
	return 12;
}

/* The TCP header without options, checksum zero. */
static void md5_header(const struct segment *s, size_t opts_len, uint8_t h[20])
{
	uint16_t v;
	uint32_t w;

	v = htons(s->sport);
	memcpy(h, &v, 2);
	v = htons(s->dport);
	memcpy(h + 2, &v, 2);
	w = htonl(s->seq);
	memcpy(h + 4, &w, 4);
	w = htonl(s->ack);
	memcpy(h + 8, &w, 4);
	h[12] = (uint8_t)(((20 + opts_len) / 4) << 4);
	h[13] = s->flags;
	v = htons(s->win);
	memcpy(h + 14, &v, 2);
	h[16] = h[17] = 0;
	v = htons(s->urg);
	memcpy(h + 18, &v, 2);
}

int tcp_md5_digest(const struct segment *s, const uint8_t *key, size_t keylen,
		   uint8_t out[TCP_MD5_LEN], struct tr_err *err)
{
	static const uint8_t zeros[1024];
	uint8_t opts[SEG_OPT_SPACE], pseudo[40], hdr[20];
	size_t opts_len, plen;
	unsigned int n = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if (keylen > TCP_MD5_KEY_MAX)
		return err_usage(err, "an MD5 key of %zu bytes (at most %d)", keylen,
				 TCP_MD5_KEY_MAX);
	if (segment_opts_encode(s, opts, &opts_len, err))
		return -1;
	plen = md5_pseudo(s, (uint32_t)(20 + opts_len + s->payload_len), pseudo);
	md5_header(s, opts_len, hdr);
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
	     EVP_DigestUpdate(ctx, pseudo, plen) && EVP_DigestUpdate(ctx, hdr, sizeof(hdr));
	if (s->payload) {
		ok = ok && EVP_DigestUpdate(ctx, s->payload, s->payload_len);
	} else {
		for (uint32_t left = s->payload_len; ok && left;) {
			size_t k = left < sizeof(zeros) ? left : sizeof(zeros);

			ok = EVP_DigestUpdate(ctx, zeros, k);
			left -= (uint32_t)k;
		}
	}
	ok = ok && EVP_DigestUpdate(ctx, key, keylen) && EVP_DigestFinal_ex(ctx, out, &n) &&
	     n == TCP_MD5_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return err_env(err, "libcrypto could not compute an MD5 digest");
	return 0;
}
