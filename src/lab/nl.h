/* nl.h - what every netlink user in lab/ but rtnl does (rtnl opens its
 * socket inside another namespace): a socket of the calling thread's
 * namespace, bound, and one request waited for to its end.
 */
#ifndef TCPRIG_LAB_NL_H
#define TCPRIG_LAB_NL_H

#include <libmnl/libmnl.h>

#include "core/err.h"

/* A bound socket on bus (NETLINK_SOCK_DIAG, NETLINK_GENERIC); NULL with err
 * ("who: open netlink socket: ..."). */
struct mnl_socket *nl_open(int bus, const char *who, struct tr_err *err);

/* Sends nlh (NLM_F_ACK set by the caller) and runs each answer through cb
 * (NULL: none) until the kernel's ACK or the dump's end: 0, or -1 with
 * errno as the kernel said. */
int nl_ask(struct mnl_socket *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

#endif
