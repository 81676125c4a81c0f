/* call_args.c - reading a socket-call line's arguments. */
#include "run/call_args.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

void call_env_shape(struct call_env *env, struct run_ends *ends, int wire, int sock)
{
	memset(ends, 0, sizeof(*ends));
	ends->wire = wire;
	ends->sock = sock;
	*env = (struct call_env){ .ends = ends };
}

int call_int(const struct case_call *c, size_t i, int64_t def, int64_t *out,
	     struct tr_err *err)
{
	const struct case_expr *e;

	if (i >= c->nargs)
		return err_usage(err, "%s: argument %zu is missing", c->name, i + 1);
	e = &c->args[i];
	switch (e->kind) {
	case CASE_EXPR_INT:
	case CASE_EXPR_OR:
	case CASE_EXPR_CALL:
		*out = e->num;
		return 0;
	case CASE_EXPR_ELLIPSIS:
		*out = def;
		return 0;
	case CASE_EXPR_LIST:
		/* [1], and a flag set [A | B] (SO_TIMESTAMPING's). */
		if (e->nkids == 1 &&
		    (e->kids[0].kind == CASE_EXPR_INT || e->kids[0].kind == CASE_EXPR_OR)) {
			*out = e->kids[0].num;
			return 0;
		}
		break;
	case CASE_EXPR_STRING:
	case CASE_EXPR_STRUCT:
		break;
	}
	return err_usage_at(err, e->col, "%s: argument %zu must be a number", c->name, i + 1);
}

bool call_is_null(const struct case_call *c, size_t i)
{
	return i < c->nargs && c->args[i].kind == CASE_EXPR_INT && c->args[i].text &&
	       !strcmp(c->args[i].text, "NULL");
}

int call_fd(const struct case_call *c, const struct call_env *env, size_t i, int64_t *out,
	    struct tr_err *err)
{
	if (call_int(c, i, 0, out, err))
		return -1;
	if (env->fds)
		*out = fd_map_live(env->fds, *out);
	return 0;
}

/* "a" or "an", as what is said. */
static const char *call_article(const char *what)
{
	return strchr("aeiou", what[0]) ? "an" : "a";
}

int call_members(const struct case_call *c, const struct case_expr *e, const char *what,
		 const char *const *known, struct tr_err *err)
{
	char list[256];
	size_t n = 0;

	for (size_t i = 0; i < e->nkids; i++) {
		const char *f = e->kids[i].field;
		size_t k = 0;

		while (f && known[k] && strcmp(f, known[k]))
			k++;
		if (f && known[k])
			continue;
		list[0] = '\0';
		for (k = 0; known[k]; k++)
			n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0,
					      "%s%s", k ? ", " : "", known[k]);
		if (!f)
			return err_usage_at(err, e->kids[i].col,
					    "%s: %s %s's members are named (%s=...)", c->name,
					    call_article(what), what, known[0]);
		return err_usage_at(err, e->kids[i].field_col,
				    "%s: %s %s has no member '%s' (it has %s)", c->name,
				    call_article(what), what, f, list);
	}
	return 0;
}

const struct case_expr *call_field(const struct case_expr *e, const char *field)
{
	for (size_t i = 0; i < e->nkids; i++)
		if (e->kids[i].field && !strcmp(e->kids[i].field, field))
			return &e->kids[i];
	return NULL;
}

/* A struct's field by either of its names (sin_port or sin6_port). */
static const struct case_expr *call_field2(const struct case_expr *e, const char *a,
					   const char *b)
{
	const struct case_expr *f = call_field(e, a);

	return f ? f : call_field(e, b);
}

/* An address expression into an AF_INET6 sockaddr: inet_addr("...") and
 * inet6_addr("...") by their text, a number (INADDR_ANY ...) v4-mapped. */
static int call_addr6(const struct case_call *c, const struct case_expr *f,
		      struct in6_addr *out, struct tr_err *err)
{
	struct in_addr a4 = { .s_addr = htonl((uint32_t)f->num) };
	const char *text = f->kind == CASE_EXPR_CALL && f->nkids == 1 ? f->kids[0].text : NULL;

	if (text && inet_pton(AF_INET6, text, out) == 1)
		return 0;
	if (text && inet_pton(AF_INET, text, &a4) != 1)
		return err_usage_at(err, f->col, "%s: '%s' is no address", c->name, text);
	memset(out, 0, sizeof(*out));
	if (a4.s_addr == htonl(INADDR_ANY))
		return 0;
	out->s6_addr[10] = out->s6_addr[11] = 0xff;
	memcpy(&out->s6_addr[12], &a4, 4);
	return 0;
}

/* What call_sockaddr reads; nothing else may be written. */
static const char *const sockaddr_members[] = { "sa_family", "sin_port",  "sin_addr",
						"sin6_port", "sin6_addr", NULL };

int call_sockaddr(const struct case_call *c, size_t i, const struct call_env *env, bool rig,
		  uint16_t def_port, struct agent_req *req, struct tr_err *err)
{
	if (c->nargs <= i)
		return err_usage(err, "%s: the address argument is missing", c->name);
	return call_sockaddr_expr(c, &c->args[i], env, rig, def_port, req, err);
}

int call_sockaddr_expr(const struct case_call *c, const struct case_expr *e,
		       const struct call_env *env, bool rig, uint16_t def_port,
		       struct agent_req *req, struct tr_err *err)
{
	const struct case_expr *f;
	struct run_ends ends = *env->ends;

	if (e->kind == CASE_EXPR_INT && e->num >= 0 && e->num <= 0xffff) {
		/* A family alone (AF_UNSPEC): a sockaddr of that family and
		 * nothing else, as packetdrill passes it; connect() to one
		 * dissolves an association. */
		memset(&req->addr, 0, sizeof(req->addr));
		req->addr.ss_family = (sa_family_t)e->num;
		req->addrlen = sizeof(struct sockaddr_in);
		return 0;
	}
	if (e->kind != CASE_EXPR_STRUCT && e->kind != CASE_EXPR_ELLIPSIS)
		return err_usage_at(err, e->col,
				    "%s: the address must be ..., a family (AF_UNSPEC) or a sockaddr",
				    c->name);
	if (e->kind == CASE_EXPR_STRUCT && call_members(c, e, "sockaddr", sockaddr_members, err))
		return -1;
	if (e->kind == CASE_EXPR_STRUCT && (f = call_field(e, "sa_family"))) {
		if (f->num != AF_INET && f->num != AF_INET6)
			return err_usage_at(err, f->col, "%s: sa_family must be AF_INET or AF_INET6",
					    c->name);
		ends.sock = (int)f->num;
	}
	req->addrlen = rig ? run_ends_sockaddr(&ends, true, def_port, &req->addr) :
			     run_ends_any(&ends, def_port, &req->addr);
	if (e->kind == CASE_EXPR_ELLIPSIS)
		return 0;
	if (ends.sock == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&req->addr;

		if ((f = call_field2(e, "sin6_port", "sin_port")))
			sin6->sin6_port = htons((uint16_t)f->num);
		if ((f = call_field2(e, "sin6_addr", "sin_addr")))
			return call_addr6(c, f, &sin6->sin6_addr, err);
		return 0;
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)&req->addr;

	if ((f = call_field(e, "sin_port")))
		sin->sin_port = htons((uint16_t)f->num);
	if ((f = call_field(e, "sin_addr"))) {
		if (f->kind == CASE_EXPR_CALL && f->nkids == 1 && f->kids[0].text &&
		    strchr(f->kids[0].text, ':'))
			return err_usage_at(err, f->col, "%s: an IPv6 address in an AF_INET sockaddr",
					    c->name);
		sin->sin_addr.s_addr = htonl((uint32_t)f->num);
	}
	return 0;
}
