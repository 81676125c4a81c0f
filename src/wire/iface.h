/* iface.h - a real interface the rig sends on to test another host
 * (`run --target ADDR --iface IF`): what the rig needs to know of it (its
 * MAC and MTU, its IPv4 subnet, whether it carries the default route or
 * forwards),
 * and the remote target as the rig end sees it.
 *
 * The rig's address there is a phantom, as in a lab: an address of IF's
 * subnet no host owns (checked by ARP), which the rig answers ARP for itself
 * (arp.h). The target's replies then come to the rig's MAC, and the rig's
 * kernel, which does not own the phantom, neither answers them nor resets
 * the connection; it drops them, unless it forwards (which is refused).
 */
#ifndef TCPRIG_WIRE_IFACE_H
#define TCPRIG_WIRE_IFACE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct iface_info {
	char name[IF_NAMESIZE];
	int ifindex;
	unsigned mtu;
	uint8_t mac[6];
	bool has_addr; /* addr and mask are IF's first IPv4 address */
	struct in_addr addr, mask;
	bool default_route; /* an IPv4 default route goes out of IF */
	bool forwarding;    /* net.ipv4.conf.IF.forwarding is on */
};

/* A remote target as one case's rig end uses it. */
struct wire_remote {
	struct iface_info ifi;
	struct in_addr target, phantom; /* phantom: IF's own with --rig-addr self */
	uint8_t target_mac[6];
	/* The agent connection's port where it runs between the same two
	 * addresses (--rig-addr self): left out of the capture. 0: none. */
	uint16_t skip_port;
};

/* Fills info for the interface of that name in this network namespace; an
 * unknown or non-Ethernet interface is a TR_USAGE error naming it. */
int iface_info_get(const char *ifname, struct iface_info *info, struct tr_err *err);
/* True if a lies in IF's subnet. */
bool iface_on_link(const struct iface_info *info, struct in_addr a);

#endif
