/* call_args.c - reading a socket-call line's arguments. */
#include "run/call_args.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

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
		if (e->nkids == 1 && e->kids[0].kind == CASE_EXPR_INT) {
			*out = e->kids[0].num;
			return 0;
		}
		break;
	case CASE_EXPR_STRING:
	case CASE_EXPR_STRUCT:
		break;
	}
	return err_usage(err, "%s: argument %zu (column %d) must be a number",
			 c->name, i + 1, e->col);
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

const struct case_expr *call_field(const struct case_expr *e, const char *field)
{
	for (size_t i = 0; i < e->nkids; i++)
		if (e->kids[i].field && !strcmp(e->kids[i].field, field))
			return &e->kids[i];
	return NULL;
}

int call_sockaddr(const struct case_call *c, size_t i, struct in_addr def_addr,
		  uint16_t def_port, struct agent_req *req, struct tr_err *err)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&req->addr;
	const struct case_expr *e, *f;

	if (c->nargs <= i)
		return err_usage(err, "%s: the address argument is missing", c->name);
	e = &c->args[i];
	sin->sin_family = AF_INET;
	sin->sin_addr = def_addr;
	sin->sin_port = htons(def_port);
	if (e->kind == CASE_EXPR_STRUCT) {
		if ((f = call_field(e, "sin_port")))
			sin->sin_port = htons((uint16_t)f->num);
		if ((f = call_field(e, "sin_addr")))
			sin->sin_addr.s_addr = htonl((uint32_t)f->num);
	} else if (e->kind == CASE_EXPR_INT && e->num >= 0 && e->num <= 0xffff) {
		/* A family alone (AF_UNSPEC): a sockaddr of that family and
		 * nothing else, as packetdrill passes it; connect() to one
		 * dissolves an association. */
		memset(&req->addr, 0, sizeof(req->addr));
		req->addr.ss_family = (sa_family_t)e->num;
	} else if (e->kind != CASE_EXPR_ELLIPSIS) {
		return err_usage(err, "%s: the address (column %d) must be ..., a family (AF_UNSPEC) or a sockaddr_in",
				 c->name, e->col);
	}
	req->addrlen = sizeof(*sin);
	return 0;
}
