/* addr6.h - a lab's IPv6 side, the twin of its IPv4 one: the target end
 * gets LAB_TARGET_ADDR6/64 without duplicate address detection (nodad: the
 * address works at once), the rig's phantom LAB_PHANTOM_ADDR6 exists only as
 * a permanent neighbour entry pointing at the rig end's MAC, and a host route
 * to the phantom carries the path MTU. The rig end keeps IPv6 disabled, so
 * its own kernel never answers for the phantom.
 *
 * The MTU given is the lab's (IPv4's); IPv6's path is 20 bytes more, so that
 * the target's MSS is the same in both families (MTU - 40 in IPv4, MTU + 20
 * - 60 in IPv6) and one case's `mss 1460` holds in both, as packetdrill's
 * own harness runs IPv6 (run_all.py: --mtu=1520).
 *
 * Addresses come from the documentation prefix 2001:db8::/32 (RFC 3849).
 */
#ifndef TCPRIG_LAB_ADDR6_H
#define TCPRIG_LAB_ADDR6_H

#include <netinet/in.h>
#include <stdint.h>

#include "core/err.h"
#include "lab/rtnl.h"

#define LAB_TARGET_ADDR6 "2001:db8::1"
#define LAB_PHANTOM_ADDR6 "2001:db8::2"
#define LAB_PREFIXLEN6 64
#define LAB_TCP_IP6_HDRS 60 /* IPv6 and TCP headers: MSS = MTU - 60 */
#define LAB_MTU6_EXTRA 20   /* IPv6's path MTU over the lab's */

/* Fills target and phantom with the defaults above. */
void lab6_default_addrs(struct in6_addr *target, struct in6_addr *phantom);
/* Whether target and phantom may be a lab's (seg_ipv6_lab_usable, and not
 * the same); TR_USAGE naming the address if not. */
int lab6_addrs_check(const struct in6_addr *target, const struct in6_addr *phantom,
		     struct tr_err *err);
/* On the target's side (tgt, ifname up): the address, the path and the
 * phantom's neighbour entry at rig_mac. */
int lab6_build(struct rtnl *tgt, const char *ifname, const struct in6_addr *target,
	       const struct in6_addr *phantom, const uint8_t rig_mac[6], unsigned mtu,
	       struct tr_err *err);
/* The path MTU of the target's route to the phantom: mtu + LAB_MTU6_EXTRA. */
int lab6_set_path(struct rtnl *tgt, const char *ifname, const struct in6_addr *target,
		  const struct in6_addr *phantom, unsigned mtu, struct tr_err *err);

#endif
