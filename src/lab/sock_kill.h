/* sock_kill.h - closing the TCP sockets a remote rig's cases left on a
 * host: every IPv4 TCP socket, in any state (TIME_WAIT included), whose
 * remote address is the rig's phantom (or, when the rig uses its host's own
 * address, only those on the local ports a session's sockets had), destroyed
 * through SOCK_DESTROY (as
 * `ss -K dst ADDR` does; the kernel needs CONFIG_INET_DIAG_DESTROY). A lab
 * needs none of this: its namespace goes with its sockets. On another host,
 * the next case would meet the last one's TIME_WAIT.
 */
#ifndef TCPRIG_SOCK_KILL_H
#define TCPRIG_SOCK_KILL_H

#include <netinet/in.h>
#include <stdint.h>

#include "core/err.h"

/* At most this many sockets go in one call. */
#define SOCK_KILL_MAX 1024

/* Destroys them in the calling thread's namespace: every one talking to
 * peer, or with ports (nports of them, host order), only those whose local
 * port is one of them; *killed says how many. -1 with err if the dump
 * failed or the kernel refuses (EOPNOTSUPP without CONFIG_INET_DIAG_DESTROY). */
int sock_kill_peer(struct in_addr peer, const uint16_t *ports, unsigned nports, unsigned *killed,
		   struct tr_err *err);

#endif
