/* call_md5.c - a tcp_md5sig literal into setsockopt's bytes. */
#include "run/call_md5.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <string.h>

#include "core/tcp_md5.h"

bool call_is_md5sig(const struct case_expr *e)
{
	return e->kind == CASE_EXPR_STRUCT &&
	       (call_field(e, "tcpm_key") || call_field(e, "tcpm_addr"));
}

/* What a tcp_md5sig literal and its tcpm_addr may name. */
static const char *const md5sig_members[] = { "tcpm_addr",  "tcpm_key",	      "tcpm_keylen",
					      "tcpm_flags", "tcpm_prefixlen", NULL };
static const char *const addr_members[] = { "sa_family", "sin_addr", "sin6_addr", NULL };

/* tcpm_addr: `...` is the rig's end, else a sockaddr struct. */
static int md5sig_addr(const struct case_call *c, const struct case_expr *a,
		       const struct call_env *env, struct sockaddr_storage *ss,
		       struct tr_err *err)
{
	const struct case_expr *fam, *ip;
	const char *text;

	if (a->kind == CASE_EXPR_ELLIPSIS) {
		run_ends_sockaddr(env->ends, true, 0, ss);
		return 0;
	}
	if (a->kind != CASE_EXPR_STRUCT)
		return err_usage_at(err, a->col,
				    "setsockopt: tcpm_addr is ... or a sockaddr "
				    "{sa_family=AF_INET, sin_addr=inet_addr(\"...\")}");
	if (call_members(c, a, "sockaddr", addr_members, err))
		return -1;
	fam = call_field(a, "sa_family");
	ip = call_field(a, "sin_addr") ? call_field(a, "sin_addr") : call_field(a, "sin6_addr");
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = fam ? (sa_family_t)fam->num : (sa_family_t)env->ends->sock;
	if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
		return err_usage_at(err, fam ? fam->col : a->col,
				    "setsockopt: sa_family must be AF_INET or AF_INET6");
	if (!ip)
		return 0; /* the wildcard address: a key for every peer */
	text = ip->kind == CASE_EXPR_CALL && ip->nkids == 1 ? ip->kids[0].text : NULL;
	if (!text && ip->kind == CASE_EXPR_INT && ss->ss_family == AF_INET) {
		((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl((uint32_t)ip->num);
		return 0;
	}
	if (!text || inet_pton(ss->ss_family, text,
			       ss->ss_family == AF_INET
				   ? (void *)&((struct sockaddr_in *)ss)->sin_addr
				   : (void *)&((struct sockaddr_in6 *)ss)->sin6_addr) != 1)
		return err_usage_at(err, ip->col,
				    "setsockopt: not an address of the sockaddr's family");
	return 0;
}

int call_md5sig(const struct case_call *c, const struct call_env *env, struct agent_req *req,
		struct tr_err *err)
{
	const struct case_expr *e = &c->args[3], *f;
	struct tcp_md5sig sig;
	int64_t optlen;

	memset(&sig, 0, sizeof(sig));
	if (call_members(c, e, "tcp_md5sig", md5sig_members, err))
		return -1;
	f = call_field(e, "tcpm_addr");
	if (md5sig_addr(c, f ? f : &(struct case_expr){.kind = CASE_EXPR_ELLIPSIS}, env,
			&sig.tcpm_addr, err))
		return -1;
	f = call_field(e, "tcpm_key");
	if (f && f->kind != CASE_EXPR_STRING)
		return err_usage_at(err, f->col, "setsockopt: tcpm_key is a string \"...\"");
	if (f && strlen(f->text) > TCP_MD5_KEY_MAX)
		return err_usage_at(err, f->col, "setsockopt: a key of %zu bytes (at most %d)",
				    strlen(f->text), TCP_MD5_KEY_MAX);
	if (f) {
		memcpy(sig.tcpm_key, f->text, strlen(f->text));
		sig.tcpm_keylen = (uint16_t)strlen(f->text);
	}
	if ((f = call_field(e, "tcpm_keylen"))) {
		if ((f->kind != CASE_EXPR_INT && f->kind != CASE_EXPR_OR) || f->num < 0 || f->num > TCP_MD5_KEY_MAX)
			return err_usage_at(err, f->col, "setsockopt: tcpm_keylen is 0..%d",
					    TCP_MD5_KEY_MAX);
		sig.tcpm_keylen = (uint16_t)f->num;
	}
	if ((f = call_field(e, "tcpm_flags")) && ((f->kind != CASE_EXPR_INT && f->kind != CASE_EXPR_OR) || f->num < 0 ||
						  f->num > UINT8_MAX))
		return err_usage_at(err, f->col, "setsockopt: tcpm_flags is 0..255");
	sig.tcpm_flags = f ? (uint8_t)f->num : 0;
	if ((f = call_field(e, "tcpm_prefixlen")) &&
	    ((f->kind != CASE_EXPR_INT && f->kind != CASE_EXPR_OR) || f->num < 0 || f->num > 128))
		return err_usage_at(err, f->col, "setsockopt: tcpm_prefixlen is 0..128");
	sig.tcpm_prefixlen = f ? (uint8_t)f->num : 0;
	if (call_int(c, 4, sizeof(sig), &optlen, err))
		return -1;
	if (optlen < 0 || optlen > (int64_t)sizeof(sig))
		return err_usage_at(err, c->args[4].col,
				    "setsockopt: optlen %lld: a tcp_md5sig is %zu bytes",
				    (long long)optlen, sizeof(sig));
	memcpy(req->optval, &sig, sizeof(sig));
	req->optlen = (uint32_t)optlen;
	return 0;
}
