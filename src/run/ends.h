/* ends.h - the two ends of a case's connection in the family it runs in:
 * on the wire (the flow the rig crafts and matches: the lab's phantom and
 * target addresses of that family) and in the target's sockets (the
 * sockaddrs of calls, TCP_INFO and sock_diag queries). Under packetdrill's
 * ipv4-mapped-ipv6 the wire is IPv4 while the sockets are AF_INET6, their
 * addresses ::ffff:a.b.c.d.
 */
#ifndef TCPRIG_RUN_ENDS_H
#define TCPRIG_RUN_ENDS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lab/lab.h"
#include "run/map.h"

struct run_ends {
	int wire; /* AF_INET or AF_INET6 */
	int sock; /* the target's sockets' family: AF_INET6 also when mapped */
	struct in_addr target4, rig4;
	struct in6_addr target6, rig6;
};

/* The ends of lab in family wire (AF_INET6, else AF_INET); v4_mapped:
 * AF_INET6 sockets over an IPv4 wire. */
void run_ends_init(struct run_ends *e, const struct lab *lab, int wire, bool v4_mapped);
/* The rig's end (rig) or the target's as a sockaddr of e->sock, port in
 * host order; returns its length. */
socklen_t run_ends_sockaddr(const struct run_ends *e, bool rig, uint16_t port,
			    struct sockaddr_storage *ss);
/* The wildcard address of e->sock (bind's default), port in host order. */
socklen_t run_ends_any(const struct run_ends *e, uint16_t port, struct sockaddr_storage *ss);
/* The flow's family and addresses; ports untouched. */
void run_ends_tuple(const struct run_ends *e, struct map_tuple *t);

#endif
