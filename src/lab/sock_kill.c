/* sock_kill.c - SOCK_DESTROY for every TCP socket talking to one peer. */
#include "lab/sock_kill.h"
#include "lab/sock_diag.h"
#include "lab/nl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


struct sock_kill_ctx {
	struct in_addr peer;
	const uint16_t *ports; /* NULL: any local port */
	unsigned nports;
	struct inet_diag_sockid *ids;
	unsigned n;
};

static int sock_kill_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *msg = mnl_nlmsg_get_payload(nlh);
	struct sock_kill_ctx *ctx = data;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*msg)))
		return MNL_CB_OK;
	if (msg->idiag_family != AF_INET || msg->id.idiag_dst[0] != ctx->peer.s_addr ||
	    ctx->n >= SOCK_KILL_MAX)
		return MNL_CB_OK;
	if (ctx->ports) {
		unsigned i = 0;

		while (i < ctx->nports && ctx->ports[i] != ntohs(msg->id.idiag_sport))
			i++;
		if (i == ctx->nports)
			return MNL_CB_OK;
	}
	ctx->ids[ctx->n++] = msg->id;
	return MNL_CB_OK;
}

static int sock_kill_dump(struct mnl_socket *nl, struct sock_kill_ctx *ctx, struct tr_err *err)
{
	return sock_diag_tcp_dump(nl, AF_INET, sock_kill_msg_cb, ctx, "sock_kill", err);
}

static int sock_kill_one(struct mnl_socket *nl, const struct inet_diag_sockid *id,
			 unsigned seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = AF_INET;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = ~0U;
	req->id = *id;
	return nl_ask(nl, nlh, NULL, NULL);
}

int sock_kill_peer(struct in_addr peer, const uint16_t *ports, unsigned nports, unsigned *killed,
		   struct tr_err *err)
{
	struct sock_kill_ctx ctx = {.peer = peer, .ports = ports, .nports = nports};
	struct mnl_socket *nl;
	int ret = 0, first_errno = 0;

	*killed = 0;
	ctx.ids = calloc(SOCK_KILL_MAX, sizeof(*ctx.ids));
	if (!ctx.ids)
		return err_sys(err, "sock_kill");
	nl = nl_open(NETLINK_SOCK_DIAG, "sock_kill", err);
	if (!nl) {
		free(ctx.ids);
		return -1;
	}
	ret = sock_kill_dump(nl, &ctx, err);
	for (unsigned i = 0; !ret && i < ctx.n; i++) {
		/* ENOENT: gone by itself meanwhile, which is as good. */
		if (sock_kill_one(nl, &ctx.ids[i], i + 1) == 0 || errno == ENOENT)
			(*killed)++;
		else if (!first_errno)
			first_errno = errno;
	}
	mnl_socket_close(nl);
	free(ctx.ids);
	if (!ret && first_errno) {
		errno = first_errno;
		ret = err_sys(err, "sock_kill: SOCK_DESTROY");
	}
	return ret;
}
