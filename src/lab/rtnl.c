/* rtnl.c - rtnetlink over libmnl: links, veth, addresses, neighbours. */
#include "lab/rtnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab/netns.h"

/* Requests are a few hundred bytes; a link reply with its stats fits in a few
 * kilobytes. */
#define RTNL_REQ_SIZE 1024
#define RTNL_RECV_SIZE 16384

/* What one request's replies leave behind for the caller. */
struct rtnl_reply {
	int error;           /* errno from the kernel's NLMSG_ERROR, 0 = ACK */
	char ext_msg[160];   /* the kernel's extended-ack text, if any */
	mnl_cb_t data_cb;
	void *data;
};

int rtnl_open(struct rtnl *r, int nsfd, struct tr_err *err)
{
	int fd, one = 1;

	r->nl = NULL;
	r->seq = 0;
	fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, err);
	if (fd < 0)
		return -1;
	r->nl = mnl_socket_fdopen(fd);
	if (!r->nl) {
		err_sys(err, "rtnl: open netlink socket");
		close(fd);
		return -1;
	}
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_sys(err, "rtnl: bind netlink socket");
		rtnl_close(r);
		return -1;
	}
	/* Only for better messages: a kernel without it still answers. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	r->portid = mnl_socket_get_portid(r->nl);
	return 0;
}

void rtnl_close(struct rtnl *r)
{
	if (r->nl)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

static int rtnl_ext_ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct rtnl_reply *reply = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(reply->ext_msg, sizeof(reply->ext_msg), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* Replaces libmnl's own NLMSG_ERROR handling, which keeps only errno and
 * drops the extended-ack text. */
static int rtnl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_reply *reply = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		reply->error = EBADMSG;
		return MNL_CB_STOP;
	}
	reply->error = -e->error;
	if (e->error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		/* Unless capped, the whole request is echoed before the TLVs. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, off, rtnl_ext_ack_attr_cb, reply);
	}
	return MNL_CB_STOP;
}

static int rtnl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static int rtnl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_reply *reply = data;

	if (!reply->data_cb)
		return MNL_CB_OK;
	return reply->data_cb(nlh, reply->data);
}

/* Sends one request with NLM_F_ACK and reads until its ACK or error. what
 * names the operation for the error message. */
static int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb,
		     void *data, const char *what, struct tr_err *err)
{
	/* Not const: libmnl's prototype wants a plain array. */
	static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = rtnl_error_cb,
		[NLMSG_DONE] = rtnl_done_cb,
	};
	struct rtnl_reply reply = { .data_cb = cb, .data = data };
	char buf[RTNL_RECV_SIZE];
	ssize_t n;
	int ret;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++r->seq;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return err_sys(err, "rtnl: %s: send", what);
	for (;;) {
		n = mnl_socket_recvfrom(r->nl, buf, sizeof(buf));
		if (n < 0)
			return err_sys(err, "rtnl: %s: receive", what);
		ret = mnl_cb_run2(buf, n, nlh->nlmsg_seq, r->portid,
				  rtnl_data_cb, &reply, ctl_cbs,
				  NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return err_sys(err, "rtnl: %s", what);
		if (ret == MNL_CB_STOP)
			break;
	}
	if (!reply.error)
		return 0;
	errno = reply.error;
	if (reply.ext_msg[0])
		return err_env(err, "rtnl: %s: %s (%s)", what,
			       strerror(reply.error), reply.ext_msg);
	return err_sys(err, "rtnl: %s", what);
}

static int rtnl_check_ifname(const char *ifname, struct tr_err *err)
{
	if (!ifname[0] || strlen(ifname) >= IFNAMSIZ)
		return err_usage(err, "rtnl: bad interface name '%s'", ifname);
	return 0;
}

/* A request starts in a zeroed buffer: libmnl 1.0.4 does not zero the
 * padding after an attribute, and those bytes would go to the kernel as
 * whatever the stack held (valgrind: "sendto points to uninitialised byte(s)"). */
static struct nlmsghdr *rtnl_msg_start(char buf[RTNL_REQ_SIZE])
{
	memset(buf, 0, RTNL_REQ_SIZE);
	return mnl_nlmsg_put_header(buf);
}

/* An RTM_NEWLINK for an existing link, addressed by name. */
static struct nlmsghdr *rtnl_link_msg(char *buf, const char *ifname,
				      struct ifinfomsg **ifi)
{
	struct nlmsghdr *nlh = rtnl_msg_start(buf);

	nlh->nlmsg_type = RTM_NEWLINK;
	*ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(**ifi));
	(*ifi)->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nlh;
}

int rtnl_veth_add(struct rtnl *r, const char *ifname, const char *peer,
		  int peer_nsfd, struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[96];
	struct nlattr *linkinfo, *data, *peer_nest;
	struct ifinfomsg *ifi, *peer_ifi;
	struct nlmsghdr *nlh;

	if (rtnl_check_ifname(ifname, err) || rtnl_check_ifname(peer, err))
		return -1;
	nlh = rtnl_msg_start(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer is described as a whole link message: an ifinfomsg, then
	 * its own attributes, inside the VETH_INFO_PEER nest. */
	peer_ifi = mnl_nlmsg_get_payload_tail(nlh);
	memset(peer_ifi, 0, sizeof(*peer_ifi));
	peer_ifi->ifi_family = AF_UNSPEC;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*peer_ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_nsfd);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	snprintf(what, sizeof(what), "create veth %s <-> %s", ifname, peer);
	return rtnl_talk(r, nlh, NULL, NULL, what, err);
}

static int rtnl_link_attr_cb(const struct nlattr *attr, void *data)
{
	struct rtnl_link *link = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(attr) == sizeof(link->mac))
			memcpy(link->mac, mnl_attr_get_payload(attr),
			       sizeof(link->mac));
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			link->mtu = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int rtnl_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_link *link = data;
	const struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_OK;
	ifi = mnl_nlmsg_get_payload(nlh);
	link->ifindex = ifi->ifi_index;
	link->up = ifi->ifi_flags & IFF_UP;
	return mnl_attr_parse(nlh, sizeof(*ifi), rtnl_link_attr_cb, link);
}

int rtnl_link_get(struct rtnl *r, const char *ifname, struct rtnl_link *link,
		  struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[64];
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	if (rtnl_check_ifname(ifname, err))
		return -1;
	memset(link, 0, sizeof(*link));
	nlh = rtnl_link_msg(buf, ifname, &ifi);
	nlh->nlmsg_type = RTM_GETLINK;
	snprintf(what, sizeof(what), "get link %s", ifname);
	if (rtnl_talk(r, nlh, rtnl_link_cb, link, what, err))
		return -1;
	if (link->ifindex <= 0)
		return err_env(err, "rtnl: %s: no link in the reply", what);
	return 0;
}

static int rtnl_link_set_flag(struct rtnl *r, const char *ifname, unsigned flag,
			      const char *name, struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[64];
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	if (rtnl_check_ifname(ifname, err))
		return -1;
	nlh = rtnl_link_msg(buf, ifname, &ifi);
	ifi->ifi_change = flag;
	ifi->ifi_flags = flag;
	snprintf(what, sizeof(what), "set link %s %s", ifname, name);
	return rtnl_talk(r, nlh, NULL, NULL, what, err);
}

int rtnl_link_set_up(struct rtnl *r, const char *ifname, struct tr_err *err)
{
	return rtnl_link_set_flag(r, ifname, IFF_UP, "up", err);
}

int rtnl_link_set_noarp(struct rtnl *r, const char *ifname, struct tr_err *err)
{
	return rtnl_link_set_flag(r, ifname, IFF_NOARP, "noarp", err);
}

int rtnl_link_set_mtu(struct rtnl *r, const char *ifname, unsigned mtu,
		      struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[64];
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	if (rtnl_check_ifname(ifname, err))
		return -1;
	nlh = rtnl_link_msg(buf, ifname, &ifi);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	snprintf(what, sizeof(what), "set mtu %u on %s", mtu, ifname);
	return rtnl_talk(r, nlh, NULL, NULL, what, err);
}

int rtnl_link_add_altname(struct rtnl *r, const char *ifname, const char *altname,
			  struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[64];
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nlattr *list;

	if (rtnl_check_ifname(ifname, err) || rtnl_check_ifname(altname, err))
		return -1;
	nlh = rtnl_link_msg(buf, ifname, &ifi);
	nlh->nlmsg_type = RTM_NEWLINKPROP;
	nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	list = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, altname);
	mnl_attr_nest_end(nlh, list);
	snprintf(what, sizeof(what), "add the name %s to %s", altname, ifname);
	return rtnl_talk(r, nlh, NULL, NULL, what, err);
}

static int rtnl_addr_len(int family, struct tr_err *err)
{
	if (family == AF_INET)
		return sizeof(struct in_addr);
	if (family == AF_INET6)
		return sizeof(struct in6_addr);
	return err_usage(err, "rtnl: unsupported address family %d", family);
}

/* What adding an address or a neighbour needs first: the address's length
 * for family (returned; -1 on error), the link, the address as text. */
static int rtnl_addr_prepare(struct rtnl *r, const char *ifname, int family, const void *addr,
			     struct rtnl_link *link, char text[INET6_ADDRSTRLEN],
			     struct tr_err *err)
{
	int alen = rtnl_addr_len(family, err);

	if (alen < 0 || rtnl_link_get(r, ifname, link, err))
		return -1;
	inet_ntop(family, addr, text, INET6_ADDRSTRLEN);
	return alen;
}

int rtnl_addr_add(struct rtnl *r, const char *ifname, int family,
		  const void *addr, unsigned prefixlen, struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[128], text[INET6_ADDRSTRLEN];
	struct rtnl_link link;
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	int alen = rtnl_addr_prepare(r, ifname, family, addr, &link, text, err);

	if (alen < 0)
		return -1;
	nlh = rtnl_msg_start(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	/* IPv6: usable at once (nodad), not after a second of DAD. */
	ifa->ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = link.ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	snprintf(what, sizeof(what), "add address %s/%u on %s", text,
		 prefixlen, ifname);
	return rtnl_talk(r, nlh, NULL, NULL, what, err);
}

int rtnl_route_set_path(struct rtnl *r, const char *ifname, int family, const void *net,
			unsigned prefixlen, const void *src, unsigned mtu, unsigned advmss,
			struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[160], text[INET6_ADDRSTRLEN];
	struct rtnl_link link;
	struct nlattr *metrics;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int alen = rtnl_addr_prepare(r, ifname, family, net, &link, text, err);

	if (alen < 0)
		return -1;
	nlh = rtnl_msg_start(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)prefixlen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_KERNEL;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, alen, net);
	mnl_attr_put(nlh, RTA_PREFSRC, alen, src);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)link.ifindex);
	metrics = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u32(nlh, RTAX_MTU, mtu);
	if (advmss)
		mnl_attr_put_u32(nlh, RTAX_ADVMSS, advmss);
	mnl_attr_nest_end(nlh, metrics);
	snprintf(what, sizeof(what), "set mtu %u advmss %u on the route to %s/%u via %s", mtu,
		 advmss, text, prefixlen, ifname);
	return rtnl_talk(r, nlh, NULL, NULL, what, err);
}

int rtnl_neigh_add_permanent(struct rtnl *r, const char *ifname, int family,
			     const void *addr, const uint8_t mac[6],
			     struct tr_err *err)
{
	char buf[RTNL_REQ_SIZE], what[160], text[INET6_ADDRSTRLEN];
	struct rtnl_link link;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	int alen = rtnl_addr_prepare(r, ifname, family, addr, &link, text, err);

	if (alen < 0)
		return -1;
	nlh = rtnl_msg_start(buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	/* REPLACE: an entry the kernel made on its own (incomplete, stale)
	 * must give way to ours. */
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = family;
	ndm->ndm_ifindex = link.ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	ndm->ndm_type = RTN_UNICAST;
	mnl_attr_put(nlh, NDA_DST, alen, addr);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	snprintf(what, sizeof(what),
		 "add neighbour %s lladdr %02x:%02x:%02x:%02x:%02x:%02x on %s",
		 text, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], ifname);
	return rtnl_talk(r, nlh, NULL, NULL, what, err);
}
