#include "run/call.h"

#include "run/call_args.h"
#include "run/call_file.h"
#include "run/call_io.h"
#include "run/call_md5.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

enum call_name {
	CALL_SOCKET, CALL_BIND, CALL_LISTEN, CALL_ACCEPT, CALL_CONNECT,
	CALL_READ, CALL_WRITE, CALL_SHUTDOWN, CALL_CLOSE, CALL_SETSOCKOPT,
	CALL_GETSOCKOPT, CALL_FCNTL, CALL_UNKNOWN,
};

static const struct {
	const char *name;
	enum agent_op op;
} call_ops[] = {
	[CALL_SOCKET] = { "socket", AGENT_SOCKET },
	[CALL_BIND] = { "bind", AGENT_BIND },
	[CALL_LISTEN] = { "listen", AGENT_LISTEN },
	[CALL_ACCEPT] = { "accept", AGENT_ACCEPT },
	[CALL_CONNECT] = { "connect", AGENT_CONNECT },
	[CALL_READ] = { "read", AGENT_READ },
	[CALL_WRITE] = { "write", AGENT_WRITE },
	[CALL_SHUTDOWN] = { "shutdown", AGENT_SHUTDOWN },
	[CALL_CLOSE] = { "close", AGENT_CLOSE },
	[CALL_SETSOCKOPT] = { "setsockopt", AGENT_SETSOCKOPT },
	[CALL_GETSOCKOPT] = { "getsockopt", AGENT_GETSOCKOPT },
	[CALL_FCNTL] = { "fcntl", AGENT_FCNTL },
};

static enum call_name call_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(call_ops) / sizeof(call_ops[0]); i++)
		if (!strcmp(call_ops[i].name, name))
			return (enum call_name)i;
	return CALL_UNKNOWN;
}

uint16_t call_named_port(const struct case_call *c)
{
	const struct case_expr *port;

	if (c->nargs < 2 || c->args[1].kind != CASE_EXPR_STRUCT)
		return 0;
	port = call_field(&c->args[1], "sin_port");
	if (!port)
		port = call_field(&c->args[1], "sin6_port");
	return port ? (uint16_t)port->num : 0;
}

/* setsockopt's value: [N] is an int, {onoff=, linger=} a struct linger,
 * {tcpm_...} a struct tcp_md5sig (call_md5.h). */
static int call_optval(const struct case_call *c, const struct call_env *env,
		       struct agent_req *req, struct tr_err *err)
{
	static const char *const linger_members[] = { "onoff", "linger", NULL };
	const struct case_expr *e = &c->args[3], *onoff, *linger;
	int v;

	if (call_is_md5sig(e))
		return call_md5sig(c, env, req, err);
	switch (e->kind) {
	case CASE_EXPR_STRUCT:
		if (call_members(c, e, "struct linger", linger_members, err))
			return -1;
		onoff = call_field(e, "onoff");
		linger = call_field(e, "linger");
		if (!onoff || !linger || onoff->kind != CASE_EXPR_INT || linger->kind != CASE_EXPR_INT)
			return err_usage_at(err, e->col,
					    "setsockopt: a struct value is {onoff=N, linger=N} "
					    "or a tcp_md5sig {tcpm_addr=..., tcpm_key=\"...\"}");
		{
			struct linger l = { .l_onoff = (int)onoff->num,
					    .l_linger = (int)linger->num };

			memcpy(req->optval, &l, sizeof(l));
			req->optlen = sizeof(l);
		}
		return 0;
	case CASE_EXPR_LIST:
	case CASE_EXPR_INT:
	case CASE_EXPR_OR:
	case CASE_EXPR_CALL:
	case CASE_EXPR_ELLIPSIS:
	case CASE_EXPR_STRING:
		break;
	}
	{
		int64_t n;

		if (call_int(c, 3, 0, &n, err))
			return -1;
		v = (int)n;
	}
	memcpy(req->optval, &v, sizeof(v));
	req->optlen = sizeof(v);
	return 0;
}

static int call_build(const struct case_call *c, const struct call_env *env,
		      struct agent_req *req, struct tr_err *err);

/* What getsockopt's value may say: [N] (checked: call_check), or `...`. */
static int call_getsockopt_value(const struct case_call *c, struct tr_err *err)
{
	const struct case_expr *e = &c->args[3];

	if (e->kind == CASE_EXPR_ELLIPSIS ||
	    (e->kind == CASE_EXPR_LIST && e->nkids == 1 &&
	     (e->kids[0].kind == CASE_EXPR_INT || e->kids[0].kind == CASE_EXPR_OR)))
		return 0;
	return err_usage_at(err, e->col,
			    "getsockopt: the value is [N] (the int it must be) or ... (not "
			    "checked)");
}

int call_request(const struct case_call *c, const struct call_env *env,
		 struct agent_req *req, struct tr_err *err)
{
	int rc = call_io_request(c, env, req, err);

	if (!rc)
		rc = call_file_request(c, env, req, err);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (call_build(c, env, req, err))
		return -1;
	/* Every call but socket() takes an fd first: the script's name for it. */
	if (req->op != AGENT_SOCKET && env->fds)
		req->arg[0] = fd_map_live(env->fds, req->arg[0]);
	return 0;
}

bool call_returns_fd(const struct agent_req *req)
{
	return req->op == AGENT_SOCKET || req->op == AGENT_ACCEPT || req->op == AGENT_EPOLL_CREATE ||
	       req->op == AGENT_OPEN;
}

void call_name_fds(const struct case_call *held, const struct agent_req *req,
		   const struct agent_reply *rep, struct fd_map *fds)
{
	if (call_returns_fd(req) && rep->ret >= 0)
		fd_map_name(fds, held->ret, rep->ret);
	else if (req->op == AGENT_PIPE)
		call_file_name_pipe(held, rep, fds);
	else if (req->op == AGENT_CLOSE && rep->ret == 0)
		fd_map_forget(fds, held->args[0].num);
}

static int call_build(const struct case_call *c, const struct call_env *env,
		      struct agent_req *req, struct tr_err *err)
{
	enum call_name n = call_lookup(c->name);
	int64_t v;

	if (n == CALL_UNKNOWN)
		return err_usage(err, "%s: the agent cannot make this call", c->name);
	agent_req_init(req, call_ops[n].op);
	switch (n) {
	case CALL_SOCKET:
		if (call_int(c, 0, env->ends->sock, &req->arg[0], err) ||
		    call_int(c, 1, SOCK_STREAM, &req->arg[1], err) ||
		    call_int(c, 2, IPPROTO_TCP, &req->arg[2], err))
			return -1;
		return 0;
	case CALL_BIND:
		if (call_int(c, 0, 0, &req->arg[0], err))
			return -1;
		return call_sockaddr(c, 1, env, false, env->target_port, req, err);
	case CALL_CONNECT:
		if (call_int(c, 0, 0, &req->arg[0], err))
			return -1;
		return call_sockaddr(c, 1, env, true, env->rig_port, req, err);
	case CALL_LISTEN:
	case CALL_SHUTDOWN:
		return call_int(c, 0, 0, &req->arg[0], err) ||
		       call_int(c, 1, 0, &req->arg[1], err);
	case CALL_ACCEPT:
	case CALL_CLOSE:
		return call_int(c, 0, 0, &req->arg[0], err);
	case CALL_READ:
	case CALL_WRITE:
		if (call_int(c, 0, 0, &req->arg[0], err) ||
		    call_int(c, 2, 0, &v, err))
			return -1;
		if (v < 0 || v > UINT32_MAX)
			return err_usage_at(err, c->args[2].col, "%s: length %lld out of range",
					    c->name, (long long)v);
		req->len = (uint32_t)v;
		req->arg[3] = call_is_null(c, 1);
		return 0;
	case CALL_SETSOCKOPT:
		if (call_int(c, 0, 0, &req->arg[0], err) ||
		    call_int(c, 1, 0, &req->arg[1], err) ||
		    call_int(c, 2, 0, &req->arg[2], err))
			return -1;
		return call_optval(c, env, req, err);
	case CALL_GETSOCKOPT:
		if (call_int(c, 0, 0, &req->arg[0], err) ||
		    call_int(c, 1, 0, &req->arg[1], err) ||
		    call_int(c, 2, 0, &req->arg[2], err) ||
		    call_int(c, 4, sizeof(int), &v, err) || call_getsockopt_value(c, err))
			return -1;
		req->optlen = v > AGENT_OPTVAL_MAX ? AGENT_OPTVAL_MAX : (uint32_t)v;
		return 0;
	case CALL_FCNTL:
		if (call_int(c, 0, 0, &req->arg[0], err) ||
		    call_int(c, 1, 0, &req->arg[1], err))
			return -1;
		return c->nargs > 2 ? call_int(c, 2, 0, &req->arg[2], err) : 0;
	case CALL_UNKNOWN:
		break;
	}
	return err_usage(err, "%s: the agent cannot make this call", c->name);
}

static const char *errno_text(int e)
{
	const char *name = e ? case_errno_name(e) : NULL;

	return name ? name : "no errno";
}

int call_check(const struct case_call *c, const struct agent_req *req,
	       const struct agent_reply *rep, char *why, size_t cap)
{
	bool named = call_returns_fd(req) && c->ret >= 0 && rep->ret >= 0;

	/* `= -1` with no errno name takes any errno, as in packetdrill. */
	if ((rep->ret != c->ret && !named) || (c->ret == -1 && c->err && rep->err != c->err)) {
		if (rep->ret == -1)
			snprintf(why, cap, "%s returned -1 (%s: %s), expected %lld%s%s",
				 c->name, errno_text(rep->err), strerror(rep->err),
				 (long long)c->ret, c->errname ? " " : "",
				 c->errname ? c->errname : "");
		else
			snprintf(why, cap, "%s returned %lld, expected %lld%s%s",
				 c->name, (long long)rep->ret, (long long)c->ret,
				 c->errname ? " " : "", c->errname ? c->errname : "");
		return -1;
	}
	if (call_io_check(c, req, rep, why, cap))
		return -1;
	/* getsockopt(fd, level, name, [expected], [len]) also checks the value. */
	if (req->op == AGENT_GETSOCKOPT && c->nargs > 3 &&
	    c->args[3].kind == CASE_EXPR_LIST && c->args[3].nkids == 1 &&
	    rep->ret == 0 && rep->optlen >= sizeof(int)) {
		int got;

		memcpy(&got, rep->optval, sizeof(got));
		if (got != c->args[3].kids[0].num) {
			snprintf(why, cap, "getsockopt value %d, expected %lld", got,
				 (long long)c->args[3].kids[0].num);
			return -1;
		}
	}
	return 0;
}
