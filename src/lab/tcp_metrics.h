/* tcp_metrics.h - forgetting what a host's kernel learnt about the rig's
 * phantom: the tcp_metrics entry for that address (RTT, cwnd, the TCP Fast
 * Open cookie the rig handed out), deleted over generic netlink as
 * `ip tcp_metrics delete ADDR` does. A lab needs none of this: its namespace
 * goes with its metrics. On another host the next case, or the next try of
 * the same case, would start with the last one's cookie and RTT.
 */
#ifndef TCPRIG_TCP_METRICS_H
#define TCPRIG_TCP_METRICS_H

#include <netinet/in.h>
#include <stdbool.h>

#include "core/err.h"

/* Deletes every entry whose destination is peer, in the calling thread's
 * namespace; *forgot says whether there was one. -1 with err if the kernel
 * refused (no tcp_metrics family, or no CAP_NET_ADMIN). */
int tcp_metrics_forget(struct in_addr peer, bool *forgot, struct tr_err *err);

#endif
