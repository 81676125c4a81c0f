/* rtnl.h - the few rtnetlink requests a lab needs, over libmnl.
 *
 * A netlink socket speaks for the namespace it was created in, so a struct
 * rtnl is opened for one namespace (an nsfd) and every request on it acts
 * there, whatever namespace the calling thread is in later. Every request
 * asks for an ACK and checks it; an error names the operation and the
 * interface, plus the kernel's extended-ack text when it gives one:
 *   "rtnl: add address 192.0.2.1/24 on tgt0: File exists"
 */
#ifndef TCPRIG_RTNL_H
#define TCPRIG_RTNL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct mnl_socket;

struct rtnl {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
};

struct rtnl_link {
	int ifindex;
	uint8_t mac[6];
	unsigned mtu;
	bool up;
};

/* nsfd < 0: the calling thread's current namespace. */
int rtnl_open(struct rtnl *r, int nsfd, struct tr_err *err);
void rtnl_close(struct rtnl *r);

/* Creates veth ifname in r's namespace with its peer created directly in
 * peer_nsfd's namespace: the pair never shows up anywhere else. */
int rtnl_veth_add(struct rtnl *r, const char *ifname, const char *peer,
		  int peer_nsfd, struct tr_err *err);
int rtnl_link_get(struct rtnl *r, const char *ifname, struct rtnl_link *link,
		  struct tr_err *err);
int rtnl_link_set_up(struct rtnl *r, const char *ifname, struct tr_err *err);
/* Sets IFF_NOARP on ifname: it resolves no neighbours (a frame to an
 * address without a permanent entry goes to the link's own MAC). Changing
 * the flag flushes the link's neighbours: set it before adding any. */
int rtnl_link_set_noarp(struct rtnl *r, const char *ifname, struct tr_err *err);
/* Replaces the connected route to net/prefixlen via ifname (source src)
 * with one whose path MTU and advertised MSS are mtu and advmss (0: the
 * kernel's, from the path MTU): the device may take larger frames than the
 * kernel sends or advertises. */
int rtnl_route_set_path(struct rtnl *r, const char *ifname, int family, const void *net,
			unsigned prefixlen, const void *src, unsigned mtu, unsigned advmss,
			struct tr_err *err);
/* Gives ifname a second name (an alternative name, kernels 5.5 and later):
 * tools that address the link by either name reach it. */
int rtnl_link_add_altname(struct rtnl *r, const char *ifname, const char *altname,
			  struct tr_err *err);
int rtnl_link_set_mtu(struct rtnl *r, const char *ifname, unsigned mtu,
		      struct tr_err *err);
/* addr: struct in_addr for AF_INET, struct in6_addr for AF_INET6 (added
 * nodad: no duplicate address detection). */
int rtnl_addr_add(struct rtnl *r, const char *ifname, int family,
		  const void *addr, unsigned prefixlen, struct tr_err *err);
int rtnl_neigh_add_permanent(struct rtnl *r, const char *ifname, int family,
			     const void *addr, const uint8_t mac[6],
			     struct tr_err *err);

#endif
