/* queries.c - what the runner asks the agent about the target, rather than
 * asks it to do: a socket's state (sock_diag), a counter, a sysctl, a
 * socket's TCP_INFO. */
#include "agent/queries.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/calls.h"
#include "agent/hooks.h"
#include "agent/stamp.h"
#include "lab/counters.h"
#include "lab/sock_diag.h"
#include "lab/sysctl.h"

/* An errno for a library call that filled a tr_err: bad input is EINVAL,
 * anything else keeps the errno it failed with. */
static void agent_fail_err(struct agent_reply *rep, const struct tr_err *e, int errnum)
{
	if (e->status == TR_USAGE || !errnum)
		errnum = EINVAL;
	agent_fail(rep, errnum, "%s", e->msg);
}

void agent_do_sock_state(const struct agent_req *req, struct agent_reply *rep)
{
	struct sock_diag_match m;
	struct tr_err e;
	const char *name;
	int ret;

	ret = sock_diag_tcp_find(&req->addr, &req->peer, &m, &e);
	if (ret < 0) {
		agent_fail_err(rep, &e, errno);
		return;
	}
	name = sock_diag_state_name(m.state);
	rep->value = m.state;
	rep->status = (int)m.count;
	snprintf(rep->out, sizeof(rep->out), "%s", name ? name : "UNKNOWN");
}

void agent_do_counter(const struct agent_req *req, struct agent_reply *rep)
{
	struct tr_err e;
	int ret;

	ret = netstat_counter_read(req->text, &rep->value, &e);
	if (ret < 0) {
		agent_fail_err(rep, &e, errno);
	} else if (ret > 0) {
		agent_fail(rep, ENOENT, "counter absent: %.512s", req->text);
		rep->status = AGENT_STATUS_ABSENT;
	}
}

/* Journals name's value before it changes, where the transport keeps a
 * journal: a session killed right after still has its old value put back
 * by whoever outlives it. -1 with rep failed if it cannot be kept. */
static int agent_sysctl_journal(const char *name, struct agent_reply *rep)
{
	const struct agent_hooks *h = agent_hooks();
	char old[AGENT_OUT_MAX];
	struct tr_err e;
	int ret;

	if (!h->sysctl_before)
		return 0;
	ret = sysctl_get(name, old, sizeof(old), &e);
	if (ret < 0) {
		agent_fail_err(rep, &e, errno);
		return -1;
	}
	/* An absent knob is not set either: sysctl_set says so. */
	if (ret == 0 && h->sysctl_before(h->ctx, name, old)) {
		agent_fail(rep, ENOSPC, "sysctl: too many knobs set in one session to "
					"restore them all");
		return -1;
	}
	return 0;
}

void agent_do_sysctl(const struct agent_req *req, struct agent_reply *rep)
{
	char name[AGENT_TEXT_MAX], *eq;
	struct tr_err e;
	int ret;

	memcpy(name, req->text, sizeof(name));
	if (req->op == AGENT_SYSCTL_GET) {
		ret = sysctl_get(name, rep->out, sizeof(rep->out), &e);
	} else {
		eq = strchr(name, '=');
		if (!eq) {
			agent_fail(rep, EINVAL, "sysctl: '%.512s' is not NAME=VALUE", name);
			return;
		}
		*eq = '\0';
		if (agent_sysctl_journal(name, rep))
			return;
		ret = sysctl_set(name, eq + 1, rep->out, sizeof(rep->out), &e);
	}
	if (ret < 0) {
		agent_fail_err(rep, &e, errno);
	} else if (ret > 0) {
		agent_fail(rep, ENOENT, "knob absent: %.512s", name);
		rep->status = AGENT_STATUS_ABSENT;
	}
}


/* Whether fd's local port is the one wanted (0: any). */
static bool agent_fd_port_is(int fd, const struct sockaddr_storage *want)
{
	/* sin_port and sin6_port lie at the same offset. */
	const struct sockaddr_in *w = (const struct sockaddr_in *)want;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if ((want->ss_family != AF_INET && want->ss_family != AF_INET6) || !w->sin_port)
		return true;
	return !getsockname(fd, (struct sockaddr *)&ss, &len) && ss.ss_family == want->ss_family &&
	       ((struct sockaddr_in *)&ss)->sin_port == w->sin_port;
}

/* Whether fd is a TCP socket connected to peer (a wildcard address or port
 * 0 in peer match anything). */
static bool agent_fd_peer_is(int fd, const struct sockaddr_storage *want)
{
	const struct sockaddr_in *w = (const struct sockaddr_in *)want;
	const struct sockaddr_in6 *w6 = (const struct sockaddr_in6 *)want;
	struct sockaddr_storage ss;
	struct sockaddr_in *got = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *got6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = sizeof(ss);
	int type = 0;
	socklen_t tlen = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) || type != SOCK_STREAM ||
	    getpeername(fd, (struct sockaddr *)&ss, &len) || ss.ss_family != want->ss_family)
		return false;
	if (want->ss_family == AF_INET6)
		return (IN6_IS_ADDR_UNSPECIFIED(&w6->sin6_addr) ||
			IN6_ARE_ADDR_EQUAL(&w6->sin6_addr, &got6->sin6_addr)) &&
		       (!w6->sin6_port || w6->sin6_port == got6->sin6_port);
	if (want->ss_family != AF_INET)
		return false;
	return (w->sin_addr.s_addr == INADDR_ANY || w->sin_addr.s_addr == got->sin_addr.s_addr) &&
	       (!w->sin_port || w->sin_port == got->sin_port);
}

/* The case's connection's socket: the last fd connected to the peer the
 * runner names from the local port it names, else the socket made or
 * accepted last (one whose connection failed has no peer any more). */
static int agent_tcp_info_fd(const struct agent_req *req, int ctl)
{
	int found = -1;

	for (int fd = 3; fd < ctl; fd++)
		if (fd != agent_stamp_stat_fd() && agent_fd_peer_is(fd, &req->peer) &&
		    agent_fd_port_is(fd, &req->addr))
			found = fd;
	return found >= 0 ? found : agent_calls_last_socket();
}

void agent_do_tcp_info(const struct agent_req *req, struct agent_reply *rep, int ctl)
{
	int fd = agent_tcp_info_fd(req, ctl);
	socklen_t len = sizeof(rep->data);

	if (fd < 0) {
		agent_fail(rep, EBADF, "no socket to read TCP_INFO of");
		return;
	}
	rep->value = fd;
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, rep->data, &len)) {
		agent_fail(rep, errno, "getsockopt(%d, TCP_INFO): %s", fd, strerror(errno));
		return;
	}
	rep->datalen = len;
}
