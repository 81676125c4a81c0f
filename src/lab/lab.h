/* lab.h - a throwaway pair of network namespaces (rig, target) joined by a
 * veth pair: where every case runs unless a remote target is named.
 *
 * The target end ("tgt0") has LAB_TARGET_ADDR/24 and LAB_TARGET_ADDR6/64. The
 * rig end ("rig0") has NO address: the rig's addresses, LAB_PHANTOM_ADDR and
 * LAB_PHANTOM_ADDR6, exist only as permanent neighbour entries on the target
 * side pointing at the rig end's MAC (lab/addr6.h: the IPv6 side). The rig's
 * own kernel therefore owns no address the target talks to and never answers
 * crafted connections with RSTs. TSO/GSO/GRO and checksum offload are off on
 * both ends, so segments cross the veth MSS-sized with real checksums, as on
 * a wire. Loopback is up in both namespaces.
 *
 * Namespaces are named mounts under /run/netns (so `ip netns exec` works):
 *   throwaway:  tcprig-<pid>-<n>-rig, tcprig-<pid>-<n>-tgt  (pid = creator)
 *   persistent: tcprig-keep-<name>-rig, tcprig-keep-<name>-tgt
 * A throwaway lab is removed by lab_destroy, by the signal cleanup on
 * SIGINT/SIGTERM/SIGHUP, or by a later run's lab_reap_stale once it is
 * stale: its owner holds a lock (/run/tcprig/labs/<lab>.lock, flock) for
 * the lab's lifetime, and a lab whose lock is free has no owner left. A
 * persistent lab (`tcprig lab up`) is never reaped.
 *
 * Everything goes through netlink (libmnl) and plain syscalls: no ip(8).
 */
#ifndef TCPRIG_LAB_H
#define TCPRIG_LAB_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "lab/names.h"

#define LAB_TARGET_ADDR "192.0.2.1"
#define LAB_PHANTOM_ADDR "192.0.2.2"
#define LAB_PREFIXLEN 24
/* The target's path MTU into a new lab (IPv4's; addr6.h adds IPv6's 20), so
 * it advertises MSS LAB_DEFAULT_MTU - LAB_TCP_IP4_HDRS. */
#define LAB_DEFAULT_MTU 1500
#define LAB_TCP_IP4_HDRS 40 /* IPv4 and TCP headers */

struct lab {
	char name[LAB_NAME_MAX];   /* "tcprig-1234-0" or "tcprig-keep-demo" */
	char rig_ns[LAB_NAME_MAX + 8];    /* name under /run/netns */
	char target_ns[LAB_NAME_MAX + 8];
	int rig_nsfd, target_nsfd;        /* open namespace fds, -1 if closed */
	int family;                       /* AF_INET */
	struct in_addr target_addr, phantom_addr;
	struct in6_addr target_addr6, phantom_addr6; /* every lab has both */
	uint8_t rig_mac[6], target_mac[6];
	int rig_ifindex, target_ifindex;  /* inside their own namespaces */
	unsigned mtu;                     /* the target's path MTU */
	bool noarp;                       /* the target end is IFF_NOARP (lab_addrs) */
	bool persistent;
	int lock_fd; /* a throwaway lab's lock, held while it lives; else -1 */
};

/* A lab's two addresses, where they are not the defaults above; an IPv6
 * one left all zeros (::) is the default. */
struct lab_addrs {
	struct in_addr target, phantom;
	struct in6_addr target6, phantom6;
	/* The target end resolves no neighbours (IFF_NOARP), as packetdrill's
	 * tun device: whatever it routes out of the link reaches the rig, a
	 * route via any gateway on it too (`ip route change ... via
	 * 192.168.0.2 dev tun0`), where ARP would wait for an answer forever. */
	bool noarp;
};

/* Checks once what a lab needs (root or CAP_SYS_ADMIN + CAP_NET_ADMIN +
 * CAP_NET_RAW, netns support); names what is missing. Status TR_ENV. */
int lab_check_privileges(struct tr_err *err);

/* Makes a lab. persistent_name NULL: a throwaway lab named after this process,
 * registered for the signal cleanup. On failure nothing is left behind. */
int lab_create(struct lab *lab, const char *persistent_name,
	       struct tr_err *err);
/* The same with the target at addrs->target (a /24) and the rig's phantom
 * at addrs->phantom, inside that /24 or not; NULL: the defaults. Addresses
 * no lab can use are TR_USAGE. */
int lab_create_at(struct lab *lab, const char *persistent_name, const struct lab_addrs *addrs,
		  struct tr_err *err);
/* Attaches to an existing lab by its name ("tcprig-keep-demo", or just "demo"
 * for a persistent one): fills lab, opens the namespace fds. */
int lab_open(struct lab *lab, const char *name, struct tr_err *err);
/* Removes both namespaces (the veth and neighbour entries go with them) and
 * closes the fds. Safe to call twice. */
int lab_destroy(struct lab *lab, struct tr_err *err);
/* Closes the fds only; the lab stays. */
void lab_close(struct lab *lab);

/* Moves the calling thread into a namespace (a lab's nsfd, or the fd from
 * netns_open_self() to come back). */
int lab_enter(int nsfd, struct tr_err *err);
/* An fd of the namespace the process runs in now, to come back to. */
int lab_self_netns(struct tr_err *err);

/* Sets the path MTU of the target's route into the lab (it advertises MSS =
 * MTU - 40 and sends no larger segment); the devices keep taking more. */
int lab_set_mtu(struct lab *lab, unsigned mtu, struct tr_err *err);
/* The same, with the MSS left to the kernel (MTU - 40 on IPv4, - 60 on
 * IPv6), as a device of that MTU would give it: packetdrill's --mtu. */
int lab_set_path_mtu(struct lab *lab, unsigned mtu, struct tr_err *err);

#endif
