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

/* tcpm_addr: `...` is the rig's end, else a sockaddr struct. */
static int md5sig_addr(const struct case_expr *a, const struct call_env *env,
		       struct sockaddr_storage *ss, struct tr_err *err)
{
	const struct case_expr *fam, *ip;
	const char *text;

	if (a->kind == CASE_EXPR_ELLIPSIS) {
		run_ends_sockaddr(env->ends, true, 0, ss);
		return 0;
	}
	if (a->kind != CASE_EXPR_STRUCT)
		return err_usage(err,
				 "setsockopt: column %d: tcpm_addr is ... or a sockaddr "
				 "{sa_family=AF_INET, sin_addr=inet_addr(\"...\")}",
				 a->col);
	fam = call_field(a, "sa_family");
	ip = call_field(a, "sin_addr") ? call_field(a, "sin_addr") : call_field(a, "sin6_addr");
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = fam ? (sa_family_t)fam->num : (sa_family_t)env->ends->sock;
	if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
		return err_usage(
		    err, "setsockopt: column %d: sa_family must be AF_INET or AF_INET6", fam->col);
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
		return err_usage(err,
				 "setsockopt: column %d: not an address of the sockaddr's "
				 "family",
				 ip->col);
	return 0;
}

int call_md5sig(const struct case_call *c, const struct call_env *env, struct agent_req *req,
		struct tr_err *err)
{
	const struct case_expr *e = &c->args[3], *f;
	struct tcp_md5sig sig;
	int64_t optlen;

	memset(&sig, 0, sizeof(sig));
	f = call_field(e, "tcpm_addr");
	if (md5sig_addr(f ? f : &(struct case_expr){.kind = CASE_EXPR_ELLIPSIS}, env,
			&sig.tcpm_addr, err))
		return -1;
	f = call_field(e, "tcpm_key");
	if (f && f->kind != CASE_EXPR_STRING)
		return err_usage(err, "setsockopt: column %d: tcpm_key is a string \"...\"",
				 f->col);
	if (f && strlen(f->text) > TCP_MD5_KEY_MAX)
		return err_usage(err, "setsockopt: column %d: a key of %zu bytes (at most %d)",
				 f->col, strlen(f->text), TCP_MD5_KEY_MAX);
	if (f) {
		memcpy(sig.tcpm_key, f->text, strlen(f->text));
		sig.tcpm_keylen = (uint16_t)strlen(f->text);
	}
	if ((f = call_field(e, "tcpm_keylen"))) {
		if (f->kind != CASE_EXPR_INT || f->num < 0 || f->num > TCP_MD5_KEY_MAX)
			return err_usage(err, "setsockopt: column %d: tcpm_keylen is 0..%d", f->col,
					 TCP_MD5_KEY_MAX);
		sig.tcpm_keylen = (uint16_t)f->num;
	}
	if ((f = call_field(e, "tcpm_flags")))
		sig.tcpm_flags = (uint8_t)f->num;
	if ((f = call_field(e, "tcpm_prefixlen")))
		sig.tcpm_prefixlen = (uint8_t)f->num;
	for (size_t i = 0; i < e->nkids; i++) {
		const char *n = e->kids[i].field;

		if (!n ||
		    (strcmp(n, "tcpm_addr") && strcmp(n, "tcpm_key") && strcmp(n, "tcpm_keylen") &&
		     strcmp(n, "tcpm_flags") && strcmp(n, "tcpm_prefixlen")))
			return err_usage(err,
					 "setsockopt: column %d: a tcp_md5sig has tcpm_addr, "
					 "tcpm_key, tcpm_keylen, tcpm_flags, tcpm_prefixlen",
					 e->kids[i].col);
	}
	if (call_int(c, 4, sizeof(sig), &optlen, err))
		return -1;
	if (optlen < 0 || optlen > (int64_t)sizeof(sig))
		return err_usage(err, "setsockopt: optlen %lld: a tcp_md5sig is %zu bytes",
				 (long long)optlen, sizeof(sig));
	memcpy(req->optval, &sig, sizeof(sig));
	req->optlen = (uint32_t)optlen;
	return 0;
}
