/* call_io.c - send/recv and friends, ioctl, poll, epoll. */
#include "run/call_io.h"
#include "run/call_cmsg.h"

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

/* A number, a symbol or `A|B`. */
static bool call_is_num(const struct case_expr *e)
{
	return e->kind == CASE_EXPR_INT || e->kind == CASE_EXPR_OR;
}

/* The length to read or write from argument i (0..UINT32_MAX). */
static int call_len(const struct case_call *c, size_t i, struct agent_req *req,
		    struct tr_err *err)
{
	int64_t v;

	if (call_int(c, i, 0, &v, err))
		return -1;
	if (v < 0 || v > UINT32_MAX)
		return err_usage_at(err, c->args[i].col, "%s: length %lld out of range", c->name,
				    (long long)v);
	req->len = (uint32_t)v;
	return 0;
}

/* An iovec: {..., LENGTH} or {iov_base=..., iov_len=LENGTH}; its length. */
static int call_iovec(const struct case_call *c, const struct case_expr *v, int64_t *len,
		      struct tr_err *err)
{
	static const char *const members[] = { "iov_base", "iov_len", NULL };
	const struct case_expr *l = NULL;

	if (v->kind == CASE_EXPR_STRUCT && v->nkids == 2 && !v->kids[0].field &&
	    !v->kids[1].field)
		l = &v->kids[1];
	else if (v->kind == CASE_EXPR_STRUCT && call_members(c, v, "iovec", members, err))
		return -1;
	else if (v->kind == CASE_EXPR_STRUCT)
		l = call_field(v, "iov_len");
	if (!l || l->kind != CASE_EXPR_INT || l->num < 0)
		return err_usage_at(err, l ? l->col : v->col,
				    "%s: an iovec is {..., LENGTH} or {iov_base=..., iov_len=LENGTH}",
				    c->name);
	*len = l->num;
	return 0;
}

/* A msghdr: the iovecs' lengths summed into req->len. */
static int call_msghdr(const struct case_call *c, struct agent_req *req, struct tr_err *err)
{
	static const char *const members[] = { "msg_name", "msg_iov", "msg_control",
					       "msg_flags", NULL };
	const struct case_expr *m = c->nargs > 1 ? &c->args[1] : NULL, *iov, *ctl;
	uint64_t sum = 0;

	if (!m || m->kind == CASE_EXPR_ELLIPSIS)
		return 0;
	if (m->kind != CASE_EXPR_STRUCT)
		return err_usage_at(err, m->col, "%s: argument 2 must be a msghdr {...}", c->name);
	if (call_members(c, m, "msghdr", members, err))
		return -1;
	ctl = call_field(m, "msg_control");
	if (ctl && req->op == AGENT_RECVFROM && call_cmsg_valid(c, ctl, err))
		return -1;
	if (ctl && req->op != AGENT_RECVFROM && ctl->kind == CASE_EXPR_LIST && ctl->nkids)
		return err_usage_at(err, ctl->col, "%s: sendmsg with cmsgs is not supported",
				    c->name);
	iov = call_field(m, "msg_iov");
	if (iov && iov->kind != CASE_EXPR_LIST)
		return err_usage_at(err, iov->col, "%s: msg_iov is a list of iovecs [{..., LENGTH}]",
				    c->name);
	for (size_t i = 0; iov && i < iov->nkids; i++) {
		int64_t len = 0;

		if (call_iovec(c, &iov->kids[i], &len, err))
			return -1;
		sum += (uint64_t)len;
		/* A sendmsg's iovecs go to the agent one by one (proto.h). */
		if (req->op == AGENT_SENDTO) {
			if (i >= AGENT_IOV_MAX)
				return err_usage_at(err, iov->kids[i].col, "%s: %zu iovecs; at most %d",
						    c->name, iov->nkids, AGENT_IOV_MAX);
			req->iov_len[i] = (uint32_t)len;
			req->niov = (uint32_t)(i + 1);
		}
	}
	if (sum > UINT32_MAX)
		return err_usage_at(err, iov->col, "%s: %" PRIu64 " bytes in the iovecs", c->name,
				    sum);
	req->len = (uint32_t)sum;
	return 0;
}

/* send(fd, buf, len, flags), sendto(..., addr, addrlen), sendmsg(fd, msg,
 * flags); recv, recvfrom, recvmsg the same way. */
static int call_transfer(const struct case_call *c, const struct call_env *env, bool msg,
			 struct agent_req *req, struct tr_err *err)
{
	size_t flags_at = msg ? 2 : 3;

	if (call_fd(c, env, 0, &req->arg[0], err) || call_int(c, flags_at, 0, &req->arg[1], err))
		return -1;
	if (msg ? call_msghdr(c, req, err) : call_len(c, 2, req, err))
		return -1;
	req->arg[3] = !msg && call_is_null(c, 1);
	/* recvmsg: what the kernel puts in the msghdr comes back. */
	req->arg[2] = msg && req->op == AGENT_RECVFROM;
	/* Only a Fast Open connect takes the address (sendto's fifth
	 * argument, a msghdr's msg_name); `...` is the peer's. */
	if (req->op == AGENT_SENDTO && (req->arg[1] & MSG_FASTOPEN) && msg) {
		const struct case_expr *name = call_field(&c->args[1], "msg_name");
		static const struct case_expr peer = { .kind = CASE_EXPR_ELLIPSIS };

		return call_sockaddr_expr(c, name ? name : &peer, env, true, env->rig_port, req,
					  err);
	}
	if (req->op == AGENT_SENDTO && (req->arg[1] & MSG_FASTOPEN))
		return call_sockaddr(c, 4, env, true, env->rig_port, req, err);
	return 0;
}

/* poll([{fd=, events=, revents=}, ...], nfds, timeout) */
static int call_poll(const struct case_call *c, const struct call_env *env,
		     struct agent_req *req, struct tr_err *err)
{
	static const char *const members[] = { "fd", "events", "revents", NULL };
	const struct case_expr *l = c->nargs ? &c->args[0] : NULL;
	struct pollfd pfd[AGENT_OPTVAL_MAX / sizeof(struct pollfd)];

	if (!l || l->kind != CASE_EXPR_LIST)
		return err_usage_at(err, l ? l->col : 0,
				    "poll: argument 1 must be a list of {fd=, events=}");
	if (l->nkids > sizeof(pfd) / sizeof(pfd[0]))
		return err_usage_at(err, l->col, "poll: at most %zu pollfds",
				    sizeof(pfd) / sizeof(pfd[0]));
	for (size_t i = 0; i < l->nkids; i++) {
		const struct case_expr *s = &l->kids[i], *fd, *ev, *rev;

		if (s->kind == CASE_EXPR_STRUCT && call_members(c, s, "pollfd", members, err))
			return -1;
		fd = s->kind == CASE_EXPR_STRUCT ? call_field(s, "fd") : NULL;
		ev = s->kind == CASE_EXPR_STRUCT ? call_field(s, "events") : NULL;
		rev = s->kind == CASE_EXPR_STRUCT ? call_field(s, "revents") : NULL;
		if (!fd || !ev || fd->kind != CASE_EXPR_INT || !call_is_num(ev) ||
		    (rev && !call_is_num(rev)))
			return err_usage_at(err, s->col,
					    "poll: a pollfd is {fd=N, events=E[, revents=R]}");
		pfd[i] = (struct pollfd){ .fd = (int)(env->fds ? fd_map_live(env->fds, fd->num)
								: fd->num),
					  .events = (short)ev->num };
	}
	memcpy(req->optval, pfd, l->nkids * sizeof(pfd[0]));
	req->optlen = (uint32_t)(l->nkids * sizeof(pfd[0]));
	req->arg[1] = (int64_t)l->nkids;
	return call_int(c, 2, 0, &req->arg[2], err);
}

/* An epoll_event's data as the script wrote it: fd=, u32=, u64= or ptr=. */
static uint64_t call_epoll_data(const struct case_expr *s)
{
	static const char *const names[] = { "fd", "u32", "u64", "ptr" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct case_expr *f = call_field(s, names[i]);

		if (f)
			return (uint64_t)f->num;
	}
	return 0;
}

/* An epoll_event: {events=E, fd=N} (or u32=, u64=, ptr= for the data). */
static int call_epoll_event(const struct case_call *c, const struct case_expr *s,
			    struct tr_err *err)
{
	static const char *const members[] = { "events", "fd", "u32", "u64", "ptr", NULL };
	const struct case_expr *ev;

	if (s->kind != CASE_EXPR_STRUCT)
		return err_usage_at(err, s->col, "%s: an epoll_event is {events=E, fd=N}",
				    c->name);
	if (call_members(c, s, "epoll_event", members, err))
		return -1;
	ev = call_field(s, "events");
	if (!ev || !call_is_num(ev))
		return err_usage_at(err, ev ? ev->col : s->col,
				    "%s: an epoll_event is {events=E, fd=N}: events is missing",
				    c->name);
	for (size_t i = 0; i < s->nkids; i++)
		if (!call_is_num(&s->kids[i]))
			return err_usage_at(err, s->kids[i].col, "%s: %s must be a number",
					    c->name, s->kids[i].field);
	return 0;
}

/* epoll_wait's events as written: `...`, an epoll_event or a list of them
 * (what call_check_epoll compares). */
static int call_epoll_events(const struct case_call *c, struct tr_err *err)
{
	const struct case_expr *e = &c->args[1];

	if (e->kind == CASE_EXPR_ELLIPSIS)
		return 0;
	if (e->kind != CASE_EXPR_LIST)
		return call_epoll_event(c, e, err);
	for (size_t i = 0; i < e->nkids; i++)
		if (call_epoll_event(c, &e->kids[i], err))
			return -1;
	return 0;
}

static int call_epoll_ctl(const struct case_call *c, const struct call_env *env,
			  struct agent_req *req, struct tr_err *err)
{
	const struct case_expr *ev;
	uint64_t data = 0;

	if (call_fd(c, env, 0, &req->arg[0], err) || call_int(c, 1, 0, &req->arg[1], err) ||
	    call_fd(c, env, 2, &req->arg[2], err))
		return -1;
	ev = c->nargs > 3 ? &c->args[3] : NULL;
	if (ev && ev->kind != CASE_EXPR_ELLIPSIS && !call_is_null(c, 3)) {
		if (call_epoll_event(c, ev, err))
			return -1;
		req->arg[3] = call_field(ev, "events")->num;
		data = call_epoll_data(ev);
	}
	memcpy(req->optval, &data, sizeof(data));
	req->optlen = sizeof(data);
	return 0;
}

/* ioctl's value: [N], what the kernel must fill (call_io_check), or `...`. */
static int call_ioctl_value(const struct case_call *c, struct tr_err *err)
{
	const struct case_expr *e = &c->args[2];

	if (e->kind == CASE_EXPR_ELLIPSIS ||
	    (e->kind == CASE_EXPR_LIST && e->nkids == 1 && e->kids[0].kind == CASE_EXPR_INT))
		return 0;
	return err_usage_at(err, e->col, "ioctl: the value is [N] (checked) or ... (not)");
}

int call_io_request(const struct case_call *c, const struct call_env *env,
		    struct agent_req *req, struct tr_err *err)
{
	const char *n = c->name;
	bool send = !strcmp(n, "send") || !strcmp(n, "sendto") || !strcmp(n, "sendmsg");
	bool recv = !strcmp(n, "recv") || !strcmp(n, "recvfrom") || !strcmp(n, "recvmsg");

	if (send || recv) {
		agent_req_init(req, send ? AGENT_SENDTO : AGENT_RECVFROM);
		return call_transfer(c, env, !strcmp(n + strlen(n) - 3, "msg"), req, err) ? -1 : 1;
	}
	if (!strcmp(n, "ioctl")) {
		agent_req_init(req, AGENT_IOCTL);
		return call_fd(c, env, 0, &req->arg[0], err) || call_int(c, 1, 0, &req->arg[1], err) ||
			       call_ioctl_value(c, err)
			   ? -1 : 1;
	}
	if (!strcmp(n, "poll")) {
		agent_req_init(req, AGENT_POLL);
		return call_poll(c, env, req, err) ? -1 : 1;
	}
	if (!strcmp(n, "epoll_create")) {
		agent_req_init(req, AGENT_EPOLL_CREATE);
		return call_int(c, 0, 1, &req->arg[0], err) ? -1 : 1;
	}
	if (!strcmp(n, "epoll_ctl")) {
		agent_req_init(req, AGENT_EPOLL_CTL);
		return call_epoll_ctl(c, env, req, err) ? -1 : 1;
	}
	if (!strcmp(n, "epoll_wait")) {
		agent_req_init(req, AGENT_EPOLL_WAIT);
		return call_fd(c, env, 0, &req->arg[0], err) || call_epoll_events(c, err) ||
			       call_int(c, 2, 1, &req->arg[1], err) ||
			       call_int(c, 3, 0, &req->arg[2], err)
			   ? -1 : 1;
	}
	return 0;
}

static int call_check_poll(const struct case_call *c, const struct agent_reply *rep, char *why,
			   size_t cap)
{
	const struct case_expr *l = &c->args[0];
	struct pollfd pfd;

	for (size_t i = 0; i < l->nkids && (i + 1) * sizeof(pfd) <= rep->optlen; i++) {
		const struct case_expr *want = call_field(&l->kids[i], "revents");

		memcpy(&pfd, rep->optval + i * sizeof(pfd), sizeof(pfd));
		if (want && (short)want->num != pfd.revents) {
			snprintf(why, cap, "poll: pollfd %zu revents 0x%x, expected 0x%x", i + 1,
				 (unsigned)(unsigned short)pfd.revents,
				 (unsigned)(unsigned short)want->num);
			return -1;
		}
	}
	return 0;
}

static int call_check_epoll(const struct case_call *c, const struct agent_reply *rep, char *why,
			    size_t cap)
{
	const struct case_expr *e = &c->args[1];
	size_t n = e->kind == CASE_EXPR_LIST ? e->nkids : e->kind == CASE_EXPR_STRUCT;
	struct epoll_event got;

	for (size_t i = 0; i < n && (int64_t)i < rep->ret; i++) {
		const struct case_expr *s = e->kind == CASE_EXPR_LIST ? &e->kids[i] : e;
		const struct case_expr *events = call_field(s, "events");

		if (s->kind != CASE_EXPR_STRUCT)
			continue;
		memcpy(&got, rep->optval + i * sizeof(got), sizeof(got));
		if (events && (uint32_t)events->num != got.events) {
			snprintf(why, cap, "epoll_wait: event %zu events 0x%x, expected 0x%x", i + 1,
				 got.events, (uint32_t)events->num);
			return -1;
		}
		if (call_epoll_data(s) != got.data.u64) {
			snprintf(why, cap, "epoll_wait: event %zu data %" PRIu64 ", expected %" PRIu64,
				 i + 1, (uint64_t)got.data.u64, call_epoll_data(s));
			return -1;
		}
	}
	return 0;
}

int call_io_check(const struct case_call *c, const struct agent_req *req,
		  const struct agent_reply *rep, char *why, size_t cap)
{
	if (rep->ret < 0)
		return 0;
	switch (req->op) {
	case AGENT_IOCTL:
		if (c->nargs > 2 && c->args[2].kind == CASE_EXPR_LIST && c->args[2].nkids == 1 &&
		    c->args[2].kids[0].num != rep->value) {
			snprintf(why, cap, "ioctl value %lld, expected %lld", (long long)rep->value,
				 (long long)c->args[2].kids[0].num);
			return -1;
		}
		return 0;
	case AGENT_POLL:
		return call_check_poll(c, rep, why, cap);
	case AGENT_EPOLL_WAIT:
		return c->nargs > 1 ? call_check_epoll(c, rep, why, cap) : 0;
	case AGENT_RECVFROM:
		return req->arg[2] && c->nargs > 1 ? call_cmsg_check(&c->args[1], rep, why, cap) : 0;
	default:
		return 0;
	}
}
