/* calls.c - the case's socket calls, made by the agent: the arguments as
 * the runner sent them, the stamps right around the system call, the
 * result and errno as they came. */
#include "agent/calls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "agent/hooks.h"
#include "agent/stamp.h"

/* The socket made or accepted last: %{ }% blocks read its TCP_INFO when
 * no socket of the case's connection is found. */
static int agent_last_socket = -1;

int agent_calls_last_socket(void)
{
	return agent_last_socket;
}

/* A socket's local port, for the session to close what outlives it. */
static void agent_note_port(int fd)
{
	const struct agent_hooks *h = agent_hooks();
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int saved = errno;

	if (h->port_used && fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			h->port_used(h->ctx, ntohs(((struct sockaddr_in *)&ss)->sin_port));
		else if (ss.ss_family == AF_INET6)
			h->port_used(h->ctx, ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
	}
	errno = saved;
}

/* The buffer a read or write of len bytes needs; NULL with rep filled. */
static void *agent_io_buffer(uint32_t len, struct agent_reply *rep)
{
	void *buf;

	if (len > AGENT_IO_MAX) {
		agent_fail(rep, EINVAL, "%u bytes is over the agent's limit of %u", len,
			   AGENT_IO_MAX);
		return NULL;
	}
	/* calloc: write() sends zeros, and malloc(0) may return NULL. */
	buf = calloc(1, len ? len : 1);
	if (!buf)
		agent_fail(rep, ENOMEM, "no memory for %u bytes", len);
	return buf;
}

/* A sendmsg's iovecs, each in a place of its own: a gap after every one,
 * so that no two adjoin in memory (the kernel would merge adjoining
 * zerocopy pages into one fragment; packetdrill's iovecs are separate
 * allocations). Returns the buffer under them, *iov the vector; NULL with
 * rep filled. */
#define AGENT_IOV_GAP 64
static void *agent_iov_buffers(const struct agent_req *req, struct iovec **iov,
			       struct agent_reply *rep)
{
	uint8_t *buf;
	size_t at = 0;

	if (req->len > AGENT_IO_MAX) {
		agent_fail(rep, EINVAL, "%u bytes is over the agent's limit of %u", req->len,
			   AGENT_IO_MAX);
		return NULL;
	}
	buf = calloc(1, (size_t)req->len + (size_t)req->niov * AGENT_IOV_GAP);
	*iov = calloc(req->niov, sizeof(**iov));
	if (!buf || !*iov) {
		free(buf);
		free(*iov);
		*iov = NULL;
		agent_fail(rep, ENOMEM, "no memory for %u iovecs", req->niov);
		return NULL;
	}
	for (uint32_t i = 0; i < req->niov; i++) {
		(*iov)[i] = (struct iovec){ .iov_base = buf + at, .iov_len = req->iov_len[i] };
		at += req->iov_len[i] + AGENT_IOV_GAP;
	}
	return buf;
}

static bool agent_fcntl_cmd_ok(int64_t cmd)
{
	return cmd == F_GETFL || cmd == F_SETFL || cmd == F_GETFD || cmd == F_SETFD;
}

/* Is fd one a case may touch? The agent's own are not. */
static bool agent_case_fd(int64_t fd, int ctl)
{
	return fd >= 0 && fd <= INT32_MAX && fd != ctl && fd != agent_stamp_stat_fd();
}

/* Socket calls: the reply is the syscall's own result. */
void agent_do_call(const struct agent_req *req, struct agent_reply *rep, int ctl)
{
	int fd = (int)req->arg[0];
	socklen_t optlen = req->optlen;
	struct iovec *iov = NULL;
	void *buf = NULL;

	if ((agent_op_takes_fd(req->op) && !agent_case_fd(req->arg[0], ctl)) ||
	    (req->op == AGENT_EPOLL_CTL && !agent_case_fd(req->arg[2], ctl)) ||
	    ((req->op == AGENT_SPLICE || req->op == AGENT_SENDFILE) &&
	     !agent_case_fd(req->arg[1], ctl))) {
		/* The agent's own fds are not the case's to touch. */
		rep->ret = -1;
		rep->err = EBADF;
		return;
	}
	if ((req->op == AGENT_BIND || req->op == AGENT_CONNECT) &&
	    req->addrlen > sizeof(req->addr)) {
		agent_fail(rep, EINVAL, "address length %u", req->addrlen);
		return;
	}
	if ((req->op == AGENT_SETSOCKOPT || req->op == AGENT_GETSOCKOPT) &&
	    req->optlen > AGENT_OPTVAL_MAX) {
		agent_fail(rep, EINVAL, "option length %u is over %d", req->optlen,
			   AGENT_OPTVAL_MAX);
		return;
	}
	if (req->op == AGENT_FCNTL && !agent_fcntl_cmd_ok(req->arg[1])) {
		agent_fail(rep, EINVAL, "fcntl command %lld not served", (long long)req->arg[1]);
		return;
	}
	if ((req->op == AGENT_SENDTO || req->op == AGENT_CONNECT) && req->addrlen > sizeof(req->addr)) {
		agent_fail(rep, EINVAL, "address length %u", req->addrlen);
		return;
	}
	if (req->op == AGENT_POLL &&
	    (req->arg[1] < 0 || (uint64_t)req->arg[1] * sizeof(struct pollfd) > AGENT_OPTVAL_MAX)) {
		agent_fail(rep, EINVAL, "%lld pollfds", (long long)req->arg[1]);
		return;
	}
	if (req->op == AGENT_EPOLL_WAIT &&
	    (req->arg[1] < 0 ||
	     (uint64_t)req->arg[1] * sizeof(struct epoll_event) > AGENT_OPTVAL_MAX)) {
		agent_fail(rep, EINVAL, "%lld epoll events", (long long)req->arg[1]);
		return;
	}
	if (req->op == AGENT_SENDTO && req->niov && !req->arg[3]) {
		buf = agent_iov_buffers(req, &iov, rep);
		if (!buf)
			return;
	} else if ((req->op == AGENT_READ || req->op == AGENT_WRITE || req->op == AGENT_SENDTO ||
		    req->op == AGENT_RECVFROM) && !req->arg[3]) {
		buf = agent_io_buffer(req->len, rep);
		if (!buf)
			return;
	}
	if (req->op == AGENT_POLL)
		memcpy(rep->optval, req->optval, sizeof(rep->optval));
	agent_enter(rep);
	errno = 0;
	switch (req->op) {
	case AGENT_SOCKET:
		rep->ret = socket((int)req->arg[0], (int)req->arg[1], (int)req->arg[2]);
		break;
	case AGENT_BIND:
		rep->ret = bind(fd, (const struct sockaddr *)&req->addr, req->addrlen);
		break;
	case AGENT_LISTEN:
		rep->ret = listen(fd, (int)req->arg[1]);
		break;
	case AGENT_ACCEPT:
		rep->ret = accept(fd, NULL, NULL);
		break;
	case AGENT_CONNECT:
		rep->ret = connect(fd, (const struct sockaddr *)&req->addr, req->addrlen);
		break;
	case AGENT_READ:
		rep->ret = read(fd, buf, req->len);
		break;
	case AGENT_WRITE:
		rep->ret = write(fd, buf, req->len);
		break;
	case AGENT_SHUTDOWN:
		rep->ret = shutdown(fd, (int)req->arg[1]);
		break;
	case AGENT_CLOSE:
		rep->ret = close(fd);
		break;
	case AGENT_SETSOCKOPT:
		rep->ret =
		    setsockopt(fd, (int)req->arg[1], (int)req->arg[2], req->optval, req->optlen);
		break;
	case AGENT_GETSOCKOPT:
		rep->ret = getsockopt(fd, (int)req->arg[1], (int)req->arg[2], rep->optval, &optlen);
		break;
	case AGENT_FCNTL:
		rep->ret = fcntl(fd, (int)req->arg[1], (int)req->arg[2]);
		break;
	case AGENT_SENDTO:
		if (iov) {
			struct msghdr mh = { .msg_name = req->addrlen ? (void *)&req->addr : NULL,
					     .msg_namelen = req->addrlen,
					     .msg_iov = iov, .msg_iovlen = req->niov };

			rep->ret = sendmsg(fd, &mh, (int)req->arg[1]);
			break;
		}
		rep->ret = sendto(fd, buf, req->len, (int)req->arg[1],
				  req->addrlen ? (const struct sockaddr *)&req->addr : NULL,
				  req->addrlen);
		break;
	case AGENT_RECVFROM:
		if (req->arg[2]) {
			/* recvmsg: the kernel's cmsgs and msg_flags come back. */
			struct iovec iov = { .iov_base = buf, .iov_len = buf ? req->len : 0 };
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
					     .msg_control = rep->data,
					     .msg_controllen = sizeof(rep->data) };

			rep->ret = recvmsg(fd, &mh, (int)req->arg[1]);
			rep->value = mh.msg_flags;
			rep->datalen = rep->ret >= 0 ? (uint32_t)mh.msg_controllen : 0;
			break;
		}
		rep->ret = recvfrom(fd, buf, req->len, (int)req->arg[1], NULL, NULL);
		break;
	case AGENT_IOCTL: {
		int v = 0;

		rep->ret = ioctl(fd, (unsigned long)req->arg[1], &v);
		rep->value = v;
		break;
	}
	case AGENT_POLL:
		rep->ret = poll((struct pollfd *)(void *)rep->optval, (nfds_t)req->arg[1],
				(int)req->arg[2]);
		break;
	case AGENT_EPOLL_CREATE:
		rep->ret = epoll_create((int)req->arg[0]);
		break;
	case AGENT_EPOLL_CTL: {
		struct epoll_event ev = { .events = (uint32_t)req->arg[3] };

		memcpy(&ev.data.u64, req->optval, sizeof(ev.data.u64));
		rep->ret = epoll_ctl(fd, (int)req->arg[1], (int)req->arg[2], &ev);
		break;
	}
	case AGENT_EPOLL_WAIT:
		rep->ret = epoll_wait(fd, (struct epoll_event *)(void *)rep->optval,
				      (int)req->arg[1], (int)req->arg[2]);
		break;
	case AGENT_OPEN:
		rep->ret = open(req->text, (int)req->arg[1], (mode_t)req->arg[2]);
		break;
	case AGENT_PIPE: {
		int p[2] = { -1, -1 };

		rep->ret = pipe(p);
		memcpy(rep->optval, p, sizeof(p));
		rep->optlen = sizeof(p);
		break;
	}
	case AGENT_SPLICE: {
		int64_t off[2];
		loff_t in, out;

		memcpy(off, req->optval, sizeof(off));
		in = off[0];
		out = off[1];
		rep->ret = splice(fd, off[0] < 0 ? NULL : &in, (int)req->arg[1],
				  off[1] < 0 ? NULL : &out, (size_t)req->arg[2],
				  (unsigned)req->arg[3]);
		break;
	}
	case AGENT_SENDFILE: {
		off_t off = req->arg[2];

		rep->ret = sendfile(fd, (int)req->arg[1], req->arg[2] < 0 ? NULL : &off,
				    (size_t)req->arg[3]);
		rep->value = off;
		break;
	}
	case AGENT_SHELL:
	case AGENT_SOCK_STATE:
	case AGENT_COUNTER:
	case AGENT_SYSCTL_GET:
	case AGENT_SYSCTL_SET:
	case AGENT_TCP_INFO:
		agent_leave(rep);
		agent_fail(rep, EINVAL, "%s is not a socket call", agent_op_name(req->op));
		return;
	}
	rep->err = rep->ret < 0 ? errno : 0;
	agent_leave(rep);
	if ((req->op == AGENT_SOCKET || req->op == AGENT_ACCEPT) && rep->ret >= 0)
		agent_last_socket = (int)rep->ret;
	if (req->op == AGENT_ACCEPT && rep->ret >= 0)
		agent_note_port((int)rep->ret);
	/* A sendto without an address goes on a socket noted already. */
	else if (req->op == AGENT_BIND || req->op == AGENT_LISTEN || req->op == AGENT_CONNECT ||
		 (req->op == AGENT_SENDTO && req->addrlen))
		agent_note_port(fd);
	if (req->op == AGENT_GETSOCKOPT)
		rep->optlen = optlen;
	if (req->op == AGENT_POLL)
		rep->optlen = (uint32_t)(req->arg[1] * (int64_t)sizeof(struct pollfd));
	if (req->op == AGENT_EPOLL_WAIT && rep->ret > 0)
		rep->optlen = (uint32_t)(rep->ret * (int64_t)sizeof(struct epoll_event));
	free(iov);
	free(buf);
}

