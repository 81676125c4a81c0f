/* sock_diag.h - the TCP state of a socket, found by its addresses, through
 * NETLINK_SOCK_DIAG (inet_diag), the interface ss(8) uses.
 *
 * The netlink socket is made per lookup in the calling thread's network
 * namespace, so the agent calls this from inside the target's. The lookup
 * dumps every TCP socket in every state (TIME_WAIT and request sockets
 * included) and keeps those whose ends match:
 *   - an end whose family is AF_UNSPEC matches anything;
 *   - a wildcard address (0.0.0.0, ::) or port 0 in the query matches any
 *     address or port; a socket's own wildcard matches only a wildcard, so
 *     127.0.0.1:8080 <-> 127.0.0.1:40000 does not find the listener on
 *     0.0.0.0:8080.
 * An IPv4 query also finds IPv6 sockets talking IPv4 (::ffff:a.b.c.d).
 */
#ifndef TCPRIG_SOCK_DIAG_H
#define TCPRIG_SOCK_DIAG_H

#include <sys/socket.h>

#include <libmnl/libmnl.h>

#include "core/err.h"

/* The kernel's TCP state numbers (include/net/tcp_states.h). A TIME_WAIT
 * socket left by an orphaned FIN_WAIT2 reports FIN_WAIT2, as ss does. */
enum sock_diag_state {
	SOCK_DIAG_NONE = 0, /* no socket matched */
	SOCK_DIAG_ESTABLISHED = 1,
	SOCK_DIAG_SYN_SENT,
	SOCK_DIAG_SYN_RECV,
	SOCK_DIAG_FIN_WAIT1,
	SOCK_DIAG_FIN_WAIT2,
	SOCK_DIAG_TIME_WAIT,
	SOCK_DIAG_CLOSE,
	SOCK_DIAG_CLOSE_WAIT,
	SOCK_DIAG_LAST_ACK,
	SOCK_DIAG_LISTEN,
	SOCK_DIAG_CLOSING,
	SOCK_DIAG_NEW_SYN_RECV,
	SOCK_DIAG_BOUND_INACTIVE,
};

struct sock_diag_match {
	enum sock_diag_state state;	       /* of the first socket that matched */
	unsigned count;			       /* how many matched */
	struct sockaddr_storage local, remote; /* the first one's ends */
};

/* 0 with m filled when a socket matched, 1 when none did (m->state is
 * SOCK_DIAG_NONE, m->count 0), -1 on error. local or remote may be NULL. */
int sock_diag_tcp_find(const struct sockaddr_storage *local, const struct sockaddr_storage *remote,
		       struct sock_diag_match *m, struct tr_err *err);

/* Dumps family's TCP sockets in every state on nl, each message through
 * cb(nlh, ctx); errors name who asked ("sock_kill: receive dump"). */
int sock_diag_tcp_dump(struct mnl_socket *nl, int family, mnl_cb_t cb, void *ctx,
		       const char *who, struct tr_err *err);

/* "ESTABLISHED", "TIME_WAIT", ... as the kernel's names without "TCP_";
 * "none" for SOCK_DIAG_NONE, NULL for a number it does not know. */
const char *sock_diag_state_name(int state);

#endif
