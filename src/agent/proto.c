/* proto.c - building and naming requests, failing replies: what both ends
 * of the agent's channel share. */
#include "agent/proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
