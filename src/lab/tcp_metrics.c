/* tcp_metrics.c - TCP_METRICS_CMD_DEL for one peer over generic netlink. */
#include "lab/tcp_metrics.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/tcp_metrics.h>
#include <string.h>
#include <time.h>

struct tcp_metrics_family {
	uint16_t id;
};

static int tcp_metrics_family_attr(const struct nlattr *attr, void *data)
{
	struct tcp_metrics_family *f = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		f->id = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int tcp_metrics_family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tcp_metrics_family_attr, data);
}

/* One request, its answer run through cb; -1 with errno as the kernel said. */
static int tcp_metrics_ask(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;
	int rc;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -1;
		rc = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, mnl_socket_get_portid(nl), cb,
				data);
	} while (rc > MNL_CB_STOP);
	return rc == MNL_CB_ERROR ? -1 : 0;
}

static struct nlmsghdr *tcp_metrics_put(char *buf, uint16_t type, uint8_t cmd, uint8_t version,
					unsigned seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

int tcp_metrics_forget(struct in_addr peer, bool *forgot, struct tr_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct tcp_metrics_family fam = {0};
	unsigned seq = (unsigned)time(NULL);
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	int ret = 0;

	*forgot = false;
	nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl)
		return err_sys(err, "tcp_metrics: open netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = err_sys(err, "tcp_metrics: bind netlink socket");
		goto out;
	}
	nlh = tcp_metrics_put(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, seq);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCP_METRICS_GENL_NAME);
	if (tcp_metrics_ask(nl, nlh, tcp_metrics_family_cb, &fam) == 0 && !fam.id)
		errno = ENOENT;
	if (!fam.id) {
		ret = err_sys(err, "tcp_metrics: the kernel has no %s family",
			      TCP_METRICS_GENL_NAME);
		goto out;
	}
	nlh = tcp_metrics_put(buf, fam.id, TCP_METRICS_CMD_DEL, TCP_METRICS_GENL_VERSION, seq + 1);
	mnl_attr_put(nlh, TCP_METRICS_ATTR_ADDR_IPV4, sizeof(peer.s_addr), &peer.s_addr);
	if (tcp_metrics_ask(nl, nlh, NULL, NULL) == 0)
		*forgot = true;
	else if (errno != ESRCH && errno != ENOENT) /* ESRCH: nothing known of it */
		ret = err_sys(err, "tcp_metrics: delete the rig's entry");
out:
	mnl_socket_close(nl);
	return ret;
}
