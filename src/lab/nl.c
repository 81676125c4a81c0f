/* nl.c - a bound netlink socket, one request answered. */
#include "lab/nl.h"

#include <sys/socket.h>

struct mnl_socket *nl_open(int bus, const char *who, struct tr_err *err)
{
	struct mnl_socket *nl = mnl_socket_open2(bus, SOCK_CLOEXEC);

	if (!nl) {
		err_sys(err, "%s: open netlink socket", who);
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_sys(err, "%s: bind netlink socket", who);
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

int nl_ask(struct mnl_socket *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
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
