/* tcp_metrics.c - TCP_METRICS_CMD_DEL for one peer over generic netlink. */
#include "lab/tcp_metrics.h"
#include "lab/nl.h"

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
	nl = nl_open(NETLINK_GENERIC, "tcp_metrics", err);
	if (!nl)
		return -1;
	nlh = tcp_metrics_put(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, seq);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCP_METRICS_GENL_NAME);
	if (nl_ask(nl, nlh, tcp_metrics_family_cb, &fam) == 0 && !fam.id)
		errno = ENOENT;
	if (!fam.id) {
		ret = err_sys(err, "tcp_metrics: the kernel has no %s family",
			      TCP_METRICS_GENL_NAME);
		goto out;
	}
	nlh = tcp_metrics_put(buf, fam.id, TCP_METRICS_CMD_DEL, TCP_METRICS_GENL_VERSION, seq + 1);
	mnl_attr_put(nlh, TCP_METRICS_ATTR_ADDR_IPV4, sizeof(peer.s_addr), &peer.s_addr);
	if (nl_ask(nl, nlh, NULL, NULL) == 0)
		*forgot = true;
	else if (errno != ESRCH && errno != ENOENT) /* ESRCH: nothing known of it */
		ret = err_sys(err, "tcp_metrics: delete the rig's entry");
out:
	mnl_socket_close(nl);
	return ret;
}
