/* craft.h - the crafter: a segment becomes an Ethernet frame once (libnet
 * builds it, checksums included), and the frame is put on the wire as often
 * as the caller likes without being rebuilt.
 *
 * A crafter opened on an interface sends only if that interface is the rig
 * end of a tcprig lab and the calling thread is in that lab's rig namespace
 * (lab_check_rig_side), unless the caller names a remote target explicitly.
 * An offline crafter builds frames and never sends (unit tests, pcap making).
 */
#ifndef TCPRIG_CRAFT_H
#define TCPRIG_CRAFT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/segment.h"

#define FRAME_MAX 16384 /* the lab's devices take 16000-byte packets */

struct frame {
	size_t len;
	uint8_t bytes[FRAME_MAX];
};

struct l2_addrs {
	uint8_t src[6], dst[6];
};

struct crafter;

enum craft_scope {
	CRAFT_LAB_ONLY,       /* refuse anything but a lab's rig end */
	CRAFT_REMOTE_NAMED,   /* the user named a remote target explicitly */
};

struct crafter *craft_open(const char *ifname, enum craft_scope scope,
			   struct tr_err *err);
struct crafter *craft_open_offline(struct tr_err *err);
void craft_close(struct crafter *c);

/* Builds the frame for s. Fails on an option list over 40 bytes, a payload
 * that does not fit, or an address family not supported yet; nothing is sent. */
int craft_build(struct crafter *c, const struct segment *s,
		const struct l2_addrs *l2, struct frame *out, struct tr_err *err);

/* From now on craft_send refuses any frame that is not IPv4 to dst: a
 * crafter on a real interface sends only to the --target it was opened for. */
void craft_restrict_to(struct crafter *c, struct in_addr dst);

/* Puts a built frame on the wire: no allocation, no rebuilding. */
int craft_send(struct crafter *c, const struct frame *f, struct tr_err *err);

#endif
