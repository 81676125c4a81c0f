/* addr6.c - a lab's IPv6 side: address, path MTU, the phantom's neighbour. */
#include "lab/addr6.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "core/segment.h"

void lab6_default_addrs(struct in6_addr *target, struct in6_addr *phantom)
{
	inet_pton(AF_INET6, LAB_TARGET_ADDR6, target);
	inet_pton(AF_INET6, LAB_PHANTOM_ADDR6, phantom);
}

int lab6_addrs_check(const struct in6_addr *target, const struct in6_addr *phantom,
		     struct tr_err *err)
{
	const struct in6_addr *ends[2] = { target, phantom };

	for (int i = 0; i < 2; i++) {
		char text[INET6_ADDRSTRLEN];

		if (!seg_ipv6_lab_usable(ends[i])) {
			inet_ntop(AF_INET6, ends[i], text, sizeof(text));
			return err_usage(err, "lab: %s is no unicast IPv6 address a lab can use",
					 text);
		}
	}
	if (!memcmp(target, phantom, sizeof(*target)))
		return err_usage(err, "lab: the target and the rig cannot share an address");
	return 0;
}

int lab6_set_path(struct rtnl *tgt, const char *ifname, const struct in6_addr *target,
		  const struct in6_addr *phantom, unsigned mtu, struct tr_err *err)
{
	unsigned mtu6 = mtu + LAB_MTU6_EXTRA > 65535 ? 65535 : mtu + LAB_MTU6_EXTRA;

	/* A host route: more specific than the connected /64 whatever its
	 * metric, and made the same way whether the phantom is inside the
	 * target's /64 or not. IPv6's minimum MTU is 1280; a smaller path
	 * asked for still gets a route, the kernel clamps what it sends. */
	return rtnl_route_set_path(tgt, ifname, AF_INET6, phantom, 128, target, mtu6,
				   mtu6 - LAB_TCP_IP6_HDRS, err);
}

int lab6_build(struct rtnl *tgt, const char *ifname, const struct in6_addr *target,
	       const struct in6_addr *phantom, const uint8_t rig_mac[6], unsigned mtu,
	       struct tr_err *err)
{
	if (rtnl_addr_add(tgt, ifname, AF_INET6, target, LAB_PREFIXLEN6, err) ||
	    lab6_set_path(tgt, ifname, target, phantom, mtu, err))
		return -1;
	return rtnl_neigh_add_permanent(tgt, ifname, AF_INET6, phantom, rig_mac, err);
}
