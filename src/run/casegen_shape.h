/* casegen_shape.h - what pcap2case must know of a whole conversation before
 * it writes a line (run/casegen.c's first pass), learned one segment at a
 * time in capture order, in constant memory.
 *
 * Who sent the client's SYN and what answered it, each side's ISN and first
 * TS val, the target's MSS, how many segments are retransmissions and
 * answers to them (the header counts them), where the rig last sent data
 * (a target FIN before it is a shutdown, not a close), whether the target's
 * writes left in several segments (--loose_psh) and its largest segment,
 * the shift of the rig's windows, the SYNs sent again on purpose and where
 * the rig's own SYN came.
 * cg_shape_finish refuses, with the reason (TR_USAGE), a conversation
 * without its SYN or an answer to it, or with a segment bigger than the
 * rig's frames. Pure, no I/O.
 */
#ifndef TCPRIG_RUN_CASEGEN_SHAPE_H
#define TCPRIG_RUN_CASEGEN_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "run/casegen_num.h"
#include "wire/flow.h"

/* One segment as the later passes need it again: its side, whether it is a
 * retransmission, or a target segment that only answered one. */
struct cg_judge {
	enum cg_side side;
	bool rtx, echo;
	/* A SYN its side sent again after a segment without SYN: no loss makes
	 * one, it was sent on purpose (an old duplicate into TIME_WAIT, a
	 * connect trying again after its RST), so it is no retransmission. */
	bool again;
	/* A target RST right after the rig's retransmission (no socket left:
	 * no TIME_WAIT), or the target's answer to the rig's retransmitted FIN
	 * (TIME_WAIT's ACK): that retransmission's record, which the script
	 * keeps with its answer, or it would expect the RST out of nothing, or
	 * never ask what a retransmitted FIN meets; 0: none. */
	unsigned long keeps_rec;
};

/* The running judgement of retransmissions and answers to them. */
struct cg_judging {
	struct casegen_num rt; /* sequence high-water marks only */
	size_t n;
	bool last_rig_rtx;     /* the previous segment: the rig's retransmission */
	bool last_rig_rtx_fin; /* ... of a FIN */
	unsigned long last_rig_rtx_rec;
	bool has_prev_tgt;
	uint32_t prev_tgt_ack; /* the target's previous segment's ack */
	bool past_syn[2];      /* by side: it sent a segment without SYN */
};

/* The next segment, in capture order. */
struct cg_judge cg_judge_next(struct cg_judging *j, bool rig_is_client, const struct flow_pkt *p);

#define CG_KEPT_MAX 64

struct cg_shape {
	size_t n;             /* segments */
	unsigned long first_rec, last_rec;
	size_t syn, answer;   /* flow-local indexes; CG_NONE: none */
	struct flow_pkt syn_pkt, answer_pkt; /* their times and records */
	bool target_server;
	bool refused;         /* the SYN drew an RST */
	size_t last_rig_data; /* CG_NONE: none */
	unsigned mss;         /* the target's MSS option, 0: none */
	/* The target wrote data that left in several segments: where Linux
	 * pushed in it depended on the ACKs' timing (--loose_psh). */
	bool loose_psh;
	uint32_t full;        /* loose_psh: its largest data segment, else 0 */
	uint32_t largest;     /* the target's largest segment */
	uint64_t sndbuf;      /* SO_SNDBUF for the merged writes, 0: none */
	/* The shift of the rig's windows: its SYN's wscale when both sides'
	 * first SYNs offered one (RFC 7323), else 0. */
	unsigned rig_wscale;
	bool syn_seen[2];
	int wscale[2];        /* by side, -1: none */
	size_t nrtx, necho;
	size_t nagain;        /* SYNs sent again on purpose (cg_judge.again) */
	/* The rig's first SYN (or SYN-ACK), CG_NONE: none. A segment of the
	 * rig's before it answered the target's SYN from an older incarnation
	 * (LAST_ACK's FIN): its seq is absolute, as the runner reads a side
	 * that sent no SYN in the current incarnation. */
	size_t rig_syn;
	unsigned long pre_syn_rec; /* the first such segment's record, 0: none */
	/* Retransmissions kept all the same (cg_judge.keeps_rec), the first
	 * CG_KEPT_MAX of them. */
	size_t nkept;
	unsigned long kept_rec[CG_KEPT_MAX];
	unsigned long big_rec; /* the first segment too big for a frame, 0: none */
	uint32_t big_len;
	struct casegen_num m;
	struct cg_judging j;
};

void cg_shape_init(struct cg_shape *sh, bool rig_is_client);
void cg_shape_add(struct cg_shape *sh, bool rig_is_client, const struct flow_pkt *p);
/* Is the rig's retransmission of record rec one the script keeps? */
bool cg_shape_keeps(const struct cg_shape *sh, unsigned long rec);
int cg_shape_finish(struct cg_shape *sh, const char *source, unsigned flow, struct tr_err *err);

#endif
