/* test_tcp_md5.c - RFC 2385 digests of a segment, against vectors computed
 * apart from this code (Python's hashlib over the pseudo-header, the
 * option-less header, the payload and the key, laid out by hand). */
#include "core/tcp_md5.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "tap.h"

static const uint8_t key[] = "tcprig-secret";

/* 192.0.2.2:40000 > 192.0.2.1:8080 P. seq 1000 ack 2000 win 257
 * <nop,nop,md5 ...> with 5 bytes of payload. */
static void segment_v4(struct segment *s, const uint8_t *payload)
{
	segment_init(s);
	inet_pton(AF_INET, "192.0.2.2", &s->src.v4);
	inet_pton(AF_INET, "192.0.2.1", &s->dst.v4);
	s->sport = 40000;
	s->dport = 8080;
	s->seq = 1000;
	s->ack = 2000;
	s->flags = SEG_ACK | SEG_PSH;
	s->win = 257;
	segment_opt_add(s, SEG_OPT_NOP)->len = 1;
	segment_opt_add(s, SEG_OPT_NOP)->len = 1;
	segment_opt_add(s, SEG_OPT_MD5)->len = 18;
	s->payload = payload;
	s->payload_len = 5;
}

static const char *hex(const uint8_t d[TCP_MD5_LEN], char out[33])
{
	for (int i = 0; i < TCP_MD5_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return out;
}

static void test_v4(void)
{
	struct segment s;
	struct tr_err err;
	uint8_t d[TCP_MD5_LEN], d2[TCP_MD5_LEN];
	char h[33];

	segment_v4(&s, (const uint8_t *)"hello");
	ok(tcp_md5_digest(&s, key, sizeof(key) - 1, d, &err) == 0 &&
	       !strcmp(hex(d, h), "00557e6f84d98a93b0d4b9e39cb66949"),
	   "IPv4: the digest of pseudo-header, header, payload and key (%s)", h);
	memset(tcp_md5_opt(&s)->v.raw, 0xab, TCP_MD5_LEN);
	ok(tcp_md5_digest(&s, key, sizeof(key) - 1, d2, &err) == 0 && !memcmp(d, d2, sizeof(d)),
	   "the option's own bytes are not in it");
	s.seq++;
	ok(tcp_md5_digest(&s, key, sizeof(key) - 1, d2, &err) == 0 && memcmp(d, d2, sizeof(d)),
	   "another seq is another digest");
	s.seq--;
	ok(tcp_md5_digest(&s, key, sizeof(key) - 2, d2, &err) == 0 && memcmp(d, d2, sizeof(d)),
	   "so is another key");
}

static void test_v6_zeros(void)
{
	struct segment s;
	struct tr_err err;
	uint8_t d[TCP_MD5_LEN], big[TCP_MD5_KEY_MAX + 1] = {0};
	char h[33];

	segment_v4(&s, NULL);
	s.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", &s.src.v6);
	inet_pton(AF_INET6, "2001:db8::1", &s.dst.v6);
	ok(tcp_md5_digest(&s, key, sizeof(key) - 1, d, &err) == 0 &&
	       !strcmp(hex(d, h), "859fdd79e21bf9234a2ea90ff0b07d72"),
	   "IPv6 (RFC 8200's pseudo-header), a NULL payload as zeros (%s)", h);
	ok(tcp_md5_digest(&s, big, sizeof(big), d, &err) == -1 && err.status == TR_USAGE,
	   "a key over 80 bytes is refused: %s", err.msg);
	ok(tcp_md5_opt(&s) == &s.opts[2], "the md5 option is found");
}

int main(void)
{
	test_v4();
	test_v6_zeros();
	return tap_done();
}
