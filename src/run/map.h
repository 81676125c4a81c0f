/* map.h - script numbers <-> wire numbers, per connection.
 *
 * A flow is one 4-tuple (rig addr:port, target addr:port). It has
 * incarnations: a new one starts with each new SYN, so that a TIME_WAIT reuse
 * case can carry connection 2 on the ports of connection 1. Older
 * incarnations stay in the flow; every mapping uses the current (last) one.
 *
 * Sequence numbers (tcpdump style). A segment carrying SYN has an absolute
 * seq, its sender's ISN; every other seq and ack is relative to the sender's
 * ISN in the current incarnation.
 *  - The rig's ISN is the seq its SYN or SYN-ACK line writes: a SYN's script
 *    number is its wire number.
 *  - The target's ISN is learned from its SYN or SYN-ACK. The seq a `>` SYN
 *    line writes names it (as in packetdrill: 0 in most scripts); the
 *    target's other numbers count from the ISN itself, whatever its name.
 *  - A SYN without ACK whose seq differs from its sender's ISN in the current
 *    incarnation starts a new incarnation; the same seq is a retransmission.
 *    A first SYN from the other side (simultaneous open) or any SYN-ACK joins
 *    the current incarnation.
 *  - Closed ports: a side that has sent no SYN in the current incarnation
 *    has ISN 0, so its numbers are absolute. This lets a script probe a
 *    port nothing listens on (`< . 1000:1000(0) ack 5` then `> R 5:5(0)`).
 *    The one exception is an error: once the rig sent a SYN in this
 *    incarnation, a `<` ack or sack block relative to the target before its
 *    SYN-ACK was seen is a script mistake (a missing `>` SYN-ACK line), not a
 *    probe.
 *  - `ack N` is mapped only with the ACK flag; without it the line asks for
 *    that raw field value and gets it. SACK blocks are relative to the
 *    receiver's ISN, like an ack.
 *
 * Timestamps. The rig's TS val goes on the wire as written (old values too:
 * PAWS cases). The target's TS val maps by an offset (live - script) learned
 * per incarnation from the first target segment that carries TS and matches
 * a line that writes a TS val; the matcher then checks it with a tolerance.
 * A `<` TS ecr that names a TS val the target sent (a ring of the flow's
 * last MAP_TS_RING, keyed by the value the `>` line wrote, or live - offset
 * when the line wrote none) maps to exactly that live value; else it maps
 * through the offset; ecr 0, or any ecr before the target sent a TS, goes as
 * written. A `>` TS ecr is expected as written (rig TS vals are unmapped).
 *
 * Learning is never a side effect of looking at a candidate: map_expected()
 * only computes what a match would teach into a struct map_learned, and the
 * caller applies it with map_commit() when, and only when, the candidate
 * matched, before any other map call. map_outbound() commits by itself: what
 * the rig sends is sent.
 */
#ifndef TCPRIG_MAP_H
#define TCPRIG_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "core/err.h"
#include "core/segment.h"

#define MAP_TS_RING 64

struct map_tuple {
	int family; /* AF_INET or AF_INET6 */
	union seg_ip rig, target;
	uint16_t rig_port, target_port;
};

/* One incarnation's mapping. */
struct map_inc {
	bool rig_known, tgt_known; /* a SYN from that side was seen */
	uint32_t rig_isn, tgt_isn;
	uint32_t tgt_named; /* the seq the target's SYN line wrote for its ISN */
	bool rig_opened; /* the rig sent a SYN without ACK */
	bool ts_known;
	uint32_t ts_off; /* target TS val: live - script */
};

struct map_ts_pair {
	uint32_t script, live;
};

struct map_flow {
	struct map_tuple t;
	struct map_inc *inc; /* oldest first; the last one is current */
	size_t ninc;
	struct map_ts_pair ring[MAP_TS_RING]; /* target TS vals seen */
	unsigned ring_n, ring_next;
};

struct map {
	struct map_flow *flows;
	size_t nflows;
	/* packetdrill's (tcpdump's) numbers: the ack of a segment carrying
	 * SYN is absolute (the rig's space) or named (the target's), like its
	 * seq; ours is relative, like any other ack. They agree when, as in
	 * most scripts, both ISNs are written 0. */
	bool syn_acks_absolute;
};

/* What a matching candidate teaches: the flow's current incarnation as it
 * would be afterwards. Plain data; dropping it undoes nothing. */
struct map_learned {
	struct map_tuple t;
	bool new_inc; /* a new ISN in a SYN: a fresh incarnation */
	struct map_inc inc;
	bool ts_seen; /* the candidate carried TS: remember it */
	struct map_ts_pair ts;
};

enum map_dir {
	MAP_TO_TARGET,	 /* a `<` segment: rig -> target */
	MAP_FROM_TARGET, /* a `>` segment: target -> rig */
};

void map_init(struct map *m);
void map_free(struct map *m);

/* A `<` line's segment as it goes on the wire: addresses and ports from t,
 * numbers mapped. Commits what the line teaches (the rig's ISN, a new
 * incarnation). On error nothing changes. */
int map_outbound(struct map *m, const struct map_tuple *t, const struct case_packet *script,
		 struct segment *wire, struct tr_err *err);

/* Whether live, a target segment on tuple t, is a SYN whose ISN the map
 * has already seen on t (in any incarnation): a retransmission. */
bool map_syn_seen(const struct map *m, const struct map_tuple *t, const struct segment *live);

/* A `>` line's expectation in wire numbers, given the live candidate that
 * may teach the target's ISN or TS offset. Changes nothing: the caller
 * passes learned to map_commit() if the candidate matches. */
int map_expected(const struct map *m, const struct map_tuple *t, const struct case_packet *script,
		 const struct segment *live, struct segment *expected, struct map_learned *learned,
		 struct tr_err *err);
/* Fails only when out of memory. */
int map_commit(struct map *m, const struct map_learned *learned, struct tr_err *err);

/* A wire segment in the script's numbers, for reports. learned, when not
 * NULL, is taken as committed (a candidate's own view of itself). Numbers of
 * a side whose ISN or offset is unknown stay as on the wire. */
void map_to_script(const struct map *m, const struct map_tuple *t, enum map_dir dir,
		   const struct segment *wire, const struct map_learned *learned,
		   struct segment *script_view);

/* The flow's incarnation count (0: the flow is unknown), and its current
 * incarnation (NULL: unknown flow). */
size_t map_incarnations(const struct map *m, const struct map_tuple *t);
const struct map_inc *map_current(const struct map *m, const struct map_tuple *t);
/* The numbers a target segment without SYN is read in by `> any`: the
 * newest incarnation that has seen the target's ISN, so that what an old
 * connection (a TIME_WAIT socket) answers to a SYN that began a new
 * incarnation reads in that connection's numbers; the current one when
 * none has. False when the flow is unknown. */
bool map_reply_view(const struct map *m, const struct map_tuple *t, struct map_learned *l);

#endif
