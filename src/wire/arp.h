/* arp.h - the little ARP a rig needs on a real segment: asking who has an
 * address (the target's MAC, or whether a would-be phantom is taken), and
 * answering for the phantom itself while cases run, so that the target's
 * replies come to the rig's MAC.
 *
 * Every exchange is bounded: a question is asked at most ARP_TRIES times,
 * and the responder answers only requests for the phantom, at most
 * ARP_REPLIES_PER_S a second, and dies with its parent.
 */
#ifndef TCPRIG_WIRE_ARP_H
#define TCPRIG_WIRE_ARP_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"
#include "wire/iface.h"

#define ARP_TRIES 3
#define ARP_WAIT_MS 200
#define ARP_REPLIES_PER_S 100

/* Asks who has `who`, from `sender` (0.0.0.0: an RFC 5227 probe, which
 * makes no neighbour entry anywhere). 0 with mac filled if answered, 1 if
 * nobody answered ARP_TRIES times, -1 with err. */
int arp_ask(const struct iface_info *ifi, struct in_addr sender, struct in_addr who,
	    uint8_t mac[6], struct tr_err *err);
/* Forks a responder for phantom on ifi; its pid, or -1 with err. */
pid_t arp_responder_start(const struct iface_info *ifi, struct in_addr phantom,
			  struct tr_err *err);
/* Ends and reaps it (pid <= 0: nothing). */
void arp_responder_stop(pid_t pid);

#endif
