/* sock_diag.c - TCP socket states by address, over NETLINK_SOCK_DIAG. */
#include "lab/sock_diag.h"
#include "lab/nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A dump message is a few hundred bytes; a bigger buffer only means fewer
 * recv() calls. */
#define SOCK_DIAG_RECV_SIZE 32768

static const char *const sock_diag_names[] = {
    [SOCK_DIAG_NONE] = "none",
    [SOCK_DIAG_ESTABLISHED] = "ESTABLISHED",
    [SOCK_DIAG_SYN_SENT] = "SYN_SENT",
    [SOCK_DIAG_SYN_RECV] = "SYN_RECV",
    [SOCK_DIAG_FIN_WAIT1] = "FIN_WAIT1",
    [SOCK_DIAG_FIN_WAIT2] = "FIN_WAIT2",
    [SOCK_DIAG_TIME_WAIT] = "TIME_WAIT",
    [SOCK_DIAG_CLOSE] = "CLOSE",
    [SOCK_DIAG_CLOSE_WAIT] = "CLOSE_WAIT",
    [SOCK_DIAG_LAST_ACK] = "LAST_ACK",
    [SOCK_DIAG_LISTEN] = "LISTEN",
    [SOCK_DIAG_CLOSING] = "CLOSING",
    [SOCK_DIAG_NEW_SYN_RECV] = "NEW_SYN_RECV",
    [SOCK_DIAG_BOUND_INACTIVE] = "BOUND_INACTIVE",
};

#define SOCK_DIAG_NSTATES (sizeof(sock_diag_names) / sizeof(sock_diag_names[0]))

const char *sock_diag_state_name(int state)
{
	if (state < 0 || (unsigned)state >= SOCK_DIAG_NSTATES)
		return NULL;
	return sock_diag_names[state];
}

/* One end of a socket or of a query, reduced to what is compared: IPv4
 * kept as a v4-mapped IPv6 address, so both families compare alike. */
struct sock_diag_end {
	bool any_addr, any_port;
	struct in6_addr addr;
	uint16_t port; /* host order */
};

struct sock_diag_ctx {
	bool v4_only; /* an IPv4 query: native IPv6 sockets never match */
	struct sock_diag_end local, remote;
	struct sock_diag_match *m;
};

static void sock_diag_map_v4(struct in6_addr *a6, const void *v4)
{
	memset(a6, 0, sizeof(*a6));
	a6->s6_addr[10] = 0xff;
	a6->s6_addr[11] = 0xff;
	memcpy(&a6->s6_addr[12], v4, 4);
}

static bool sock_diag_is_any(const struct in6_addr *a)
{
	static const uint8_t mapped_any[16] = {[10] = 0xff, [11] = 0xff};

	return IN6_IS_ADDR_UNSPECIFIED(a) || memcmp(a->s6_addr, mapped_any, 16) == 0;
}

static int sock_diag_end_from_query(struct sock_diag_end *e, const struct sockaddr_storage *ss,
				    struct tr_err *err)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	memset(e, 0, sizeof(*e));
	if (!ss || ss->ss_family == AF_UNSPEC) {
		e->any_addr = e->any_port = true;
		return 0;
	}
	if (ss->ss_family == AF_INET) {
		sock_diag_map_v4(&e->addr, &sin->sin_addr);
		e->port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		e->addr = sin6->sin6_addr;
		e->port = ntohs(sin6->sin6_port);
	} else {
		return err_usage(err, "sock_diag: address family %d is not IP", ss->ss_family);
	}
	e->any_addr = sock_diag_is_any(&e->addr);
	e->any_port = e->port == 0;
	return 0;
}

static void sock_diag_end_from_msg(struct sock_diag_end *e, int family, const __be32 *addr,
				   __be16 port)
{
	memset(e, 0, sizeof(*e));
	if (family == AF_INET)
		sock_diag_map_v4(&e->addr, addr);
	else
		memcpy(&e->addr, addr, 16);
	e->port = ntohs(port);
}

static void sock_diag_end_to_sockaddr(const struct sock_diag_end *e, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (IN6_IS_ADDR_V4MAPPED(&e->addr)) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, &e->addr.s6_addr[12], 4);
		sin->sin_port = htons(e->port);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = e->addr;
		sin6->sin6_port = htons(e->port);
	}
}

static bool sock_diag_end_matches(const struct sock_diag_end *want,
				  const struct sock_diag_end *have)
{
	if (!want->any_port && want->port != have->port)
		return false;
	return want->any_addr || memcmp(&want->addr, &have->addr, sizeof(have->addr)) == 0;
}

static int sock_diag_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *msg = mnl_nlmsg_get_payload(nlh);
	struct sock_diag_ctx *ctx = data;
	struct sock_diag_end local, remote;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*msg)))
		return MNL_CB_OK;
	if (msg->idiag_family != AF_INET && msg->idiag_family != AF_INET6)
		return MNL_CB_OK;
	sock_diag_end_from_msg(&local, msg->idiag_family, msg->id.idiag_src, msg->id.idiag_sport);
	sock_diag_end_from_msg(&remote, msg->idiag_family, msg->id.idiag_dst, msg->id.idiag_dport);
	if (ctx->v4_only && !IN6_IS_ADDR_V4MAPPED(&local.addr))
		return MNL_CB_OK;
	if (!sock_diag_end_matches(&ctx->local, &local) ||
	    !sock_diag_end_matches(&ctx->remote, &remote))
		return MNL_CB_OK;
	if (ctx->m->count++ == 0) {
		ctx->m->state = msg->idiag_state;
		sock_diag_end_to_sockaddr(&local, &ctx->m->local);
		sock_diag_end_to_sockaddr(&remote, &ctx->m->remote);
	}
	return MNL_CB_OK;
}

int sock_diag_tcp_dump(struct mnl_socket *nl, int family, mnl_cb_t cb, void *ctx,
		       const char *who, struct tr_err *err)
{
	char buf[SOCK_DIAG_RECV_SIZE];
	unsigned portid = mnl_socket_get_portid(nl);
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	unsigned seq = (unsigned)time(NULL);
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = ~0U;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return err_sys(err, "%s: send dump request", who);
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return err_sys(err, "%s: receive dump", who);
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, cb, ctx);
		if (ret == MNL_CB_ERROR)
			return err_sys(err, "%s: dump of %s TCP sockets", who,
				       family == AF_INET ? "IPv4" : "IPv6");
	} while (ret > MNL_CB_STOP);
	return 0;
}

/* Dumps one family's TCP sockets in every state through ctx's filter. */
static int sock_diag_dump(struct mnl_socket *nl, int family, struct sock_diag_ctx *ctx,
			  struct tr_err *err)
{
	return sock_diag_tcp_dump(nl, family, sock_diag_msg_cb, ctx, "sock_diag", err);
}

int sock_diag_tcp_find(const struct sockaddr_storage *local, const struct sockaddr_storage *remote,
		       struct sock_diag_match *m, struct tr_err *err)
{
	struct sock_diag_ctx ctx = {.m = m};
	struct mnl_socket *nl;
	bool v4 = true;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	if (sock_diag_end_from_query(&ctx.local, local, err) ||
	    sock_diag_end_from_query(&ctx.remote, remote, err))
		return -1;
	if ((local && local->ss_family == AF_INET6) || (remote && remote->ss_family == AF_INET6))
		v4 = false;
	ctx.v4_only =
	    (local && local->ss_family == AF_INET) || (remote && remote->ss_family == AF_INET);
	if (ctx.v4_only && !v4)
		return err_usage(err, "sock_diag: ends of different families");
	nl = nl_open(NETLINK_SOCK_DIAG, "sock_diag", err);
	if (!nl)
		return -1;
	if (v4)
		ret = sock_diag_dump(nl, AF_INET, &ctx, err);
	/* IPv6 sockets talking IPv4 appear in the AF_INET6 dump only. */
	if (!ret)
		ret = sock_diag_dump(nl, AF_INET6, &ctx, err);
	mnl_socket_close(nl);
	if (ret)
		return -1;
	return m->count ? 0 : 1;
}
