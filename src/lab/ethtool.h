/* ethtool.h - segmentation and checksum offloads off, as on a plain wire.
 *
 * With TSO/GSO/GRO and tx checksum offload off, a veth carries MSS-sized
 * segments with checksums computed in software, so what the sniffer sees is
 * what a real wire would carry. Uses the legacy SIOCETHTOOL commands, then
 * turns off by name what they missed and checks it is all off, on a
 * socket created inside the interface's namespace.
 */
#ifndef TCPRIG_ETHTOOL_H
#define TCPRIG_ETHTOOL_H

#include "core/err.h"

/* nsfd < 0: the calling thread's current namespace. */
int ethtool_offloads_off(int nsfd, const char *ifname, struct tr_err *err);

#endif
