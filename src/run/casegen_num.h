/* casegen_num.h - a captured conversation's numbers rewritten into script
 * space, the way cases write them (pcap2case).
 *
 * Sides are CG_RIG (the side the rig plays: its segments become `<` lines)
 * and CG_TARGET (its segments become `>` expectations). Seq and ack become
 * relative to each side's ISN (a SYN's seq is 0, its ISN as the script
 * writes it), SACK blocks relative to the ISN of the side they acknowledge;
 * TS val starts at CG_TS_RIG / CG_TS_TARGET for each side's first TS val,
 * and TS ecr echoes the other side's rewritten value (0 stays 0). A side
 * that sent no SYN in the capture takes its first segment's seq as its ISN.
 *
 * Retransmission: a segment that occupies sequence space (data, SYN or FIN)
 * all of which its side already sent. Pure, no I/O.
 */
#ifndef TCPRIG_RUN_CASEGEN_NUM_H
#define TCPRIG_RUN_CASEGEN_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/segment.h"

enum cg_side { CG_RIG, CG_TARGET };

/* The TS vals the catalogue's cases start from: 100 for the rig, 700 for
 * the target. */
#define CG_TS_RIG 100u
#define CG_TS_TARGET 700u

struct casegen_num {
	uint32_t isn[2];
	bool has_isn[2];
	bool syn[2];       /* the ISN came from a SYN */
	uint32_t ts0[2];
	bool has_ts[2];
	uint32_t nxt[2];   /* relative: the end of what the side sent so far */
	bool has_nxt[2];
};

/* Learns each side's ISN and first TS val from the conversation's segments;
 * side[i] says who sent seg[i]. */
void casegen_num_init(struct casegen_num *m, const struct segment *const *seg,
		      const enum cg_side *side, size_t n);

/* Whether s (sent by side, in capture order) is a retransmission; call it
 * on every segment in order, it keeps the highest sequence sent. */
bool casegen_num_retransmit(struct casegen_num *m, enum cg_side side,
			    const struct segment *s);

/* s, sent by side, rewritten in place into script space. */
void casegen_num_rewrite(const struct casegen_num *m, enum cg_side side,
			 struct segment *s);

#endif
