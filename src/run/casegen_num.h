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
 * all of which its side already sent; the judgement compares sequence
 * numbers with each other only, so it needs no ISN (a zeroed casegen_num
 * judges as well as a learned one). Pure, no I/O.
 */
#ifndef TCPRIG_RUN_CASEGEN_NUM_H
#define TCPRIG_RUN_CASEGEN_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/segment.h"

enum cg_side { CG_RIG, CG_TARGET };

/* No segment: an index that none has. */
#define CG_NONE SIZE_MAX

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
	uint32_t first_seq[2]; /* the side's first segment's, for an RST alone */
	bool has_first[2];
	/* Added to a SYN's rewritten seq (0 alone): in a script of several
	 * conversations (casegen_joint.h) the rig's later ISNs keep their
	 * distance from its first, as a TIME_WAIT judging a new SYN saw them. */
	uint32_t syn_seq[2];
};

/* Learns each side's ISN and first TS val from the conversation's segments;
 * side[i] says who sent seg[i]. */
void casegen_num_init(struct casegen_num *m, const struct segment *const *seg,
		      const enum cg_side *side, size_t n);
/* The same one segment at a time, for a conversation read as a stream:
 * memset m to 0, observe every segment in capture order, then finish. */
void casegen_num_observe(struct casegen_num *m, enum cg_side side, const struct segment *s);
void casegen_num_finish(struct casegen_num *m);

/* Whether s (sent by side, in capture order) is a retransmission; call it
 * on every segment in order, it keeps the highest sequence sent. */
bool casegen_num_retransmit(struct casegen_num *m, enum cg_side side,
			    const struct segment *s);

/* s, sent by side, rewritten in place into script space. */
void casegen_num_rewrite(const struct casegen_num *m, enum cg_side side,
			 struct segment *s);

/* The TS vals a data segment of the target may echo. It left when its
 * application and congestion window let it, not in answer to a segment of
 * the rig's: live, it may leave before the rig's newest segment arrives
 * (echoing what the target's previous segment echoed, or, live, the start
 * of that one's range) or after it (echoing it), whichever the recording
 * happened to show. Its echo is written as the range between the two; a
 * segment that answers one of the rig's (no data: an ACK, a FIN, an RST)
 * keeps its exact echo, and the run of ranges starts again from it. */
struct casegen_echo {
	bool rig, tgt;
	uint32_t rig_ts; /* the rig's newest TS val so far, in script order */
	uint32_t tgt_ecr; /* the target's last echo (a range's start) */
};

/* s (rewritten, in script order) seen by the echo tracker: for a `>` data
 * segment returns the range's end (its ecr, when there is no range) and
 * lowers its ecr to the range's start; 0 for a `<` line or no TS. */
uint32_t casegen_echo_hi(struct casegen_echo *e, struct segment *s, bool out);

#endif
