/* proto.c - building and naming requests, failing replies, and the check a
 * request passes before the agent acts on it: what both ends of the agent's
 * channel share. */
#include "agent/proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

void agent_req_init(struct agent_req *req, enum agent_op op)
{
	memset(req, 0, sizeof(*req));
	req->op = op;
}

const char *agent_op_name(enum agent_op op)
{
	switch (op) {
	case AGENT_SOCKET:
		return "socket";
	case AGENT_BIND:
		return "bind";
	case AGENT_LISTEN:
		return "listen";
	case AGENT_ACCEPT:
		return "accept";
	case AGENT_CONNECT:
		return "connect";
	case AGENT_READ:
		return "read";
	case AGENT_WRITE:
		return "write";
	case AGENT_SHUTDOWN:
		return "shutdown";
	case AGENT_CLOSE:
		return "close";
	case AGENT_SETSOCKOPT:
		return "setsockopt";
	case AGENT_GETSOCKOPT:
		return "getsockopt";
	case AGENT_FCNTL:
		return "fcntl";
	case AGENT_SHELL:
		return "shell";
	case AGENT_SOCK_STATE:
		return "sock_state";
	case AGENT_COUNTER:
		return "counter";
	case AGENT_SYSCTL_GET:
		return "sysctl_get";
	case AGENT_SYSCTL_SET:
		return "sysctl_set";
	case AGENT_TCP_INFO:
		return "tcp_info";
	case AGENT_SENDTO:
		return "sendto";
	case AGENT_RECVFROM:
		return "recvfrom";
	case AGENT_IOCTL:
		return "ioctl";
	case AGENT_POLL:
		return "poll";
	case AGENT_EPOLL_CREATE:
		return "epoll_create";
	case AGENT_EPOLL_CTL:
		return "epoll_ctl";
	case AGENT_EPOLL_WAIT:
		return "epoll_wait";
	case AGENT_OPEN:
		return "open";
	case AGENT_PIPE:
		return "pipe";
	case AGENT_SPLICE:
		return "splice";
	case AGENT_SENDFILE:
		return "sendfile";
	}
	return "unknown";
}

void agent_fail(struct agent_reply *rep, int errnum, const char *fmt, ...)
{
	va_list ap;

	rep->ret = -1;
	rep->err = errnum;
	va_start(ap, fmt);
	vsnprintf(rep->out, sizeof(rep->out), fmt, ap);
	va_end(ap);
}

static bool agent_fcntl_cmd_ok(int64_t cmd)
{
	return cmd == F_GETFL || cmd == F_SETFL || cmd == F_GETFD || cmd == F_SETFD;
}

bool agent_op_is_call(enum agent_op op)
{
	switch (op) {
	case AGENT_SOCKET:
	case AGENT_BIND:
	case AGENT_LISTEN:
	case AGENT_ACCEPT:
	case AGENT_CONNECT:
	case AGENT_READ:
	case AGENT_WRITE:
	case AGENT_SHUTDOWN:
	case AGENT_CLOSE:
	case AGENT_SETSOCKOPT:
	case AGENT_GETSOCKOPT:
	case AGENT_FCNTL:
	case AGENT_SENDTO:
	case AGENT_RECVFROM:
	case AGENT_IOCTL:
	case AGENT_POLL:
	case AGENT_EPOLL_CREATE:
	case AGENT_EPOLL_CTL:
	case AGENT_EPOLL_WAIT:
	case AGENT_OPEN:
	case AGENT_PIPE:
	case AGENT_SPLICE:
	case AGENT_SENDFILE:
		return true;
	case AGENT_SHELL:
	case AGENT_SOCK_STATE:
	case AGENT_COUNTER:
	case AGENT_SYSCTL_GET:
	case AGENT_SYSCTL_SET:
	case AGENT_TCP_INFO:
		break;
	}
	return false;
}

bool agent_op_takes_fd(enum agent_op op)
{
	return op != AGENT_SOCKET && op != AGENT_EPOLL_CREATE && op != AGENT_OPEN &&
	       op != AGENT_PIPE;
}

static bool agent_fd_fits(int64_t fd)
{
	return fd >= 0 && fd <= INT32_MAX;
}

/* How many items of size each fit in optval, where an op carries count of
 * them (pollfds, epoll events). */
static bool agent_count_fits(int64_t count, size_t each)
{
	return count >= 0 && (uint64_t)count * each <= AGENT_OPTVAL_MAX;
}

/* At most AGENT_IOV_MAX iovecs, and their lengths sum to len. */
static bool agent_iov_ok(const struct agent_req *req)
{
	uint64_t sum = 0;

	if (req->niov > AGENT_IOV_MAX)
		return false;
	for (uint32_t i = 0; i < req->niov; i++)
		sum += req->iov_len[i];
	return sum == req->len;
}

/* The checks of the socket calls' arguments: the same as calls.c makes
 * before each call, made here too for a request that came off a socket. */
static int agent_call_check(const struct agent_req *req, struct agent_reply *rep)
{
	bool io = req->op == AGENT_READ || req->op == AGENT_WRITE || req->op == AGENT_SENDTO ||
		  req->op == AGENT_RECVFROM;

	if ((agent_op_takes_fd(req->op) && !agent_fd_fits(req->arg[0])) ||
	    (req->op == AGENT_EPOLL_CTL && !agent_fd_fits(req->arg[2])) ||
	    ((req->op == AGENT_SPLICE || req->op == AGENT_SENDFILE) &&
	     !agent_fd_fits(req->arg[1]))) {
		rep->ret = -1;
		rep->err = EBADF;
		return -1;
	}
	if ((req->op == AGENT_BIND || req->op == AGENT_CONNECT || req->op == AGENT_SENDTO) &&
	    req->addrlen > sizeof(req->addr)) {
		agent_fail(rep, EINVAL, "address length %u", req->addrlen);
		return -1;
	}
	if ((req->op == AGENT_SETSOCKOPT || req->op == AGENT_GETSOCKOPT) &&
	    req->optlen > AGENT_OPTVAL_MAX) {
		agent_fail(rep, EINVAL, "option length %u is over %d", req->optlen,
			   AGENT_OPTVAL_MAX);
		return -1;
	}
	if (req->op == AGENT_FCNTL && !agent_fcntl_cmd_ok(req->arg[1])) {
		agent_fail(rep, EINVAL, "fcntl command %lld not served", (long long)req->arg[1]);
		return -1;
	}
	if (req->op == AGENT_POLL && !agent_count_fits(req->arg[1], sizeof(struct pollfd))) {
		agent_fail(rep, EINVAL, "%lld pollfds", (long long)req->arg[1]);
		return -1;
	}
	if (req->op == AGENT_EPOLL_WAIT &&
	    !agent_count_fits(req->arg[1], sizeof(struct epoll_event))) {
		agent_fail(rep, EINVAL, "%lld epoll events", (long long)req->arg[1]);
		return -1;
	}
	if (req->op == AGENT_SENDTO && req->niov && !agent_iov_ok(req)) {
		agent_fail(rep, EINVAL, "%u iovecs (at most %d) that do not sum to %u bytes",
			   req->niov, AGENT_IOV_MAX, req->len);
		return -1;
	}
	/* arg[3] 1: a NULL buffer, nothing allocated for len. */
	if (io && !req->arg[3] && req->len > AGENT_IO_MAX) {
		agent_fail(rep, EINVAL, "%u bytes is over the agent's limit of %u", req->len,
			   AGENT_IO_MAX);
		return -1;
	}
	return 0;
}

int agent_req_check(const struct agent_req *req, bool allow_shell, struct agent_reply *rep)
{
	/* Checked before any switch: the enum came off a socket. */
	if (req->op < AGENT_SOCKET || req->op > AGENT_OP_LAST) {
		agent_fail(rep, EINVAL, "unknown request %d", (int)req->op);
		return -1;
	}
	if (!memchr(req->text, '\0', sizeof(req->text))) {
		agent_fail(rep, EINVAL, "request text not terminated");
		return -1;
	}
	if (req->op == AGENT_OPEN && !allow_shell) {
		agent_fail(rep, EPERM, "open() is off: the agent was started without "
				       "--allow-shell");
		rep->status = AGENT_STATUS_REFUSED;
		return -1;
	}
	if (req->op == AGENT_SHELL && !allow_shell) {
		agent_fail(rep, EPERM, "shell lines are off: the agent was started without "
				       "--allow-shell");
		rep->status = AGENT_STATUS_REFUSED;
		return -1;
	}
	if (!agent_op_is_call(req->op))
		return 0;
	return agent_call_check(req, rep);
}
