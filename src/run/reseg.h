/* reseg.h - the target's data cut elsewhere than the script's `>` lines,
 * where it met the right edge of the rig's window (--loose_segments).
 *
 * A sender that reaches the right edge of the receiver's window sends what
 * fits, a segment shorter than the others, and the segments after it start
 * from there: every boundary of the flight moves. Where the rig's window
 * edge falls when the target reaches it is timing (the rig's ACKs go out at
 * the recorded moments; the live target sends when its congestion window
 * lets it), so under --loose_segments (pcap2case writes it with
 * --loose_psh) a `>` data line may be met by the bytes it names however
 * the live segments cut them, once a cut at a window edge moved the
 * boundaries: a live segment then goes partly to one line and the rest to
 * the next (struct rx's skip). A segment shorter than the line without an
 * edge near (smaller segments from MTU probing, a shorter MSS) is still a
 * difference of length.
 *
 * The runner notes the window of every segment the rig sends (its live
 * ack, its window scaled by the rig's SYN's wscale) and keeps the last
 * RESEG_EDGES right edges.
 */
#ifndef TCPRIG_RUN_RESEG_H
#define TCPRIG_RUN_RESEG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/segment.h"

#define RESEG_EDGES 8

struct rig_window {
	uint32_t edge[RESEG_EDGES]; /* a ring of right edges, live seq space */
	unsigned n;		    /* how many were ever noted */
	uint8_t wscale;		    /* the rig's SYN's, 0: none */
};

/* A segment the rig sent, as it went on the wire. */
void reseg_note_sent(struct rig_window *w, const struct segment *sent);

/* Is seq (the target's, live) a right edge of the rig's window lately? */
bool reseg_at_edge(const struct rig_window *w, uint32_t seq);

/* A frame the target sent, decoded, less the skip bytes of its payload an
 * earlier line took: segment_decode_frame's result. */
int reseg_decode(const uint8_t *frame, size_t len, uint32_t skip, struct segment *s,
		 struct tr_err *err);

#endif
