/* md5.c - the case's TCP MD5 keys: learned from setsockopt, used to sign
 * and to verify. */
#include "run/md5.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

/* A sockaddr's address in the segment model's terms: a v4-mapped IPv6
 * address is the IPv4 one it maps. */
static void md5_addr(const struct sockaddr_storage *ss, int *family, union seg_ip *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *v6 = &((const struct sockaddr_in6 *)ss)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(v6)) {
			*family = AF_INET;
			memcpy(&a->v4, &v6->s6_addr[12], 4);
			return;
		}
		*family = AF_INET6;
		a->v6 = *v6;
		return;
	}
	*family = AF_INET;
	a->v4 = ((const struct sockaddr_in *)ss)->sin_addr;
}

static bool md5_same(const struct run_md5_key *k, int family, const union seg_ip *a)
{
	return k->family == family &&
	       (family == AF_INET ? k->addr.v4.s_addr == a->v4.s_addr
				  : !memcmp(&k->addr.v6, &a->v6, sizeof(a->v6)));
}

void run_md5_learn(struct run_md5 *m, const struct agent_req *req)
{
	struct tcp_md5sig sig;
	struct run_md5_key k = {0};
	size_t i;

	if (req->op != AGENT_SETSOCKOPT || req->arg[1] != IPPROTO_TCP ||
	    req->arg[2] != TCP_MD5SIG || req->optlen < sizeof(sig))
		return;
	memcpy(&sig, req->optval, sizeof(sig));
	md5_addr(&sig.tcpm_addr, &k.family, &k.addr);
	k.len = (uint8_t)(sig.tcpm_keylen > TCP_MD5_KEY_MAX ? TCP_MD5_KEY_MAX : sig.tcpm_keylen);
	memcpy(k.key, sig.tcpm_key, k.len);
	for (i = 0; i < m->n && !md5_same(&m->k[i], k.family, &k.addr); i++)
		;
	if (!k.len) { /* deleted */
		if (i < m->n)
			m->k[i] = m->k[--m->n];
		return;
	}
	if (i == m->n && m->n == RUN_MD5_KEYS)
		return; /* more peers than a case has */
	m->k[i] = k;
	if (i == m->n)
		m->n++;
}

/* The key for peer address (family, a): an exact one, else one for the
 * wildcard address. */
static const struct run_md5_key *md5_find(const struct run_md5 *m, int family,
					  const union seg_ip *a)
{
	union seg_ip any = {0};

	for (size_t i = 0; i < m->n; i++)
		if (md5_same(&m->k[i], family, a))
			return &m->k[i];
	for (size_t i = 0; i < m->n; i++)
		if (md5_same(&m->k[i], family, &any))
			return &m->k[i];
	return NULL;
}

static int md5_no_key(int family, const union seg_ip *a, struct tr_err *err)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, a, text, sizeof(text));
	return err_usage(err,
			 "md5: the target holds no key for %s to sign or verify with (give it one: "
			 "setsockopt(fd, SOL_TCP, TCP_MD5SIG, {tcpm_addr=..., tcpm_key=\"...\"}, "
			 "216))",
			 text);
}

int run_md5_sign(const struct run_md5 *m, struct segment *wire, struct tr_err *err)
{
	const struct run_md5_key *k;
	struct seg_opt *o;
	uint8_t d[TCP_MD5_LEN];

	if (!wire->md5_sign || !(o = tcp_md5_opt(wire)))
		return 0;
	k = md5_find(m, wire->family, &wire->src);
	if (!k)
		return md5_no_key(wire->family, &wire->src, err);
	memset(o->v.raw, 0, TCP_MD5_LEN);
	if (tcp_md5_digest(wire, k->key, k->len, d, err))
		return -1;
	memcpy(o->v.raw, d, TCP_MD5_LEN);
	return 0;
}

void run_md5_copy(const struct segment *from, struct segment *to)
{
	const struct seg_opt *f = segment_opt_find(from, SEG_OPT_MD5);
	struct seg_opt *t = tcp_md5_opt(to);

	if (f && t)
		memcpy(t->v.raw, f->v.raw, TCP_MD5_LEN);
	to->md5_sign = false;
}

int run_md5_expect(const struct run_md5 *m, const struct segment *live, struct segment *expected,
		   struct tr_err *err)
{
	const struct run_md5_key *k;
	struct seg_opt *o;

	if (!expected->md5_sign || !(o = tcp_md5_opt(expected)))
		return 0;
	k = md5_find(m, live->family, &live->dst);
	if (!k)
		return md5_no_key(live->family, &live->dst, err);
	/* Compared as bytes from here on, and printed as a digest. */
	expected->md5_sign = false;
	return tcp_md5_digest(live, k->key, k->len, o->v.raw, err);
}
