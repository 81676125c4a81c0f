/* casegen_win.h - the stretch of a captured conversation pcap2case holds
 * while it writes lines (run/casegen.c): segments in capture order, each a
 * compact record (about 100 bytes: numbers, flags and the option bytes, no
 * payload), from the oldest one still needed to the newest read.
 *
 * A line needs only a bounded look ahead: a write's size (up to the segment
 * that ends it, casegen_writes.h) and whether the target's next segment
 * crossed the rig's last ones on the wire (a simultaneous close: the
 * target's goes first). So the window holds what is in flight between the
 * two sides, or one write's segments, never the conversation: at most
 * CASEGEN_WINDOW records. A full window is taken as the conversation's end
 * for looking ahead (a write then ends at its last segment, a crossing is
 * looked for no further back): a capture that needs more than that, which
 * no real stack makes, is written as if cut there.
 *
 * The script's order is kept beside it (ord): capture order, except that a
 * target segment goes before the rig's segments it had not seen when it
 * left (it did not acknowledge them), at the earliest one's time; and that
 * a segment goes before one of the other side's that acknowledged it
 * already (a packet socket on "any" may write two packets that crossed two
 * CPUs in the wrong order): a segment cannot acknowledge what was not yet
 * sent. The first `final` entries of ord can no longer move; a target
 * segment that acknowledged more than the rig had sent waits, not final,
 * for the rig's segment it acknowledged. Pure, no I/O.
 */
#ifndef TCPRIG_RUN_CASEGEN_WIN_H
#define TCPRIG_RUN_CASEGEN_WIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/segment.h"
#include "run/casegen_num.h"
#include "wire/flow.h"

#define CASEGEN_WINDOW 65536

struct cg_rec {
	size_t k;              /* the segment's index in the conversation */
	unsigned long rec;     /* its capture record */
	int64_t ns;            /* its capture time */
	int64_t t;             /* when the script writes it (crossed: earlier) */
	uint32_t seq, ack, payload_len;
	uint16_t win, urg;
	uint8_t flags, olen, nopts;
	enum cg_side side;
	bool rtx, echo;        /* a retransmission, an answer to one */
	/* The target's segment ends at the right edge of the window the rig
	 * advertised last before it. */
	bool edge;
	/* The target's pure ACK repeating its previous ack and window: a
	 * duplicate ACK, which only a segment that arrived draws, so it
	 * crossed nothing (a window update may have). */
	bool dup_ack;
	bool done;             /* written (or never to be) */
	uint8_t opts[SEG_OPT_SPACE]; /* encoded: nopts options, then padding */
};

struct cg_win {
	struct cg_rec *v;      /* a ring: v[(head + i) % cap] is record k0 + i */
	size_t cap, head, len, k0;
	bool eof;              /* no more segments */
	size_t *ord;           /* the script's order, as record indexes: a ring */
	size_t ocap, ohead, olen, final;
	unsigned rig_wscale;   /* the shift of the rig's windows */
	bool has_rig_ack;      /* the rig's last ACK so far: its window's edge */
	uint32_t rig_edge;
	bool has_tgt_ack;      /* the target's last ack and window so far */
	uint32_t tgt_ack;
	uint16_t tgt_win;
	bool has_rig_nxt;      /* the end of what the rig sent so far */
	uint32_t rig_nxt;
	bool holding;          /* ord[final]: a target segment ahead of rig_nxt */
};

/* rig_wscale: the shift of the rig's windows (casegen_shape.h). */
void cg_win_init(struct cg_win *w, unsigned rig_wscale);
void cg_win_free(struct cg_win *w);
/* Appends p (its index: k0 + len), judged; in_script: it is at or after the
 * client's SYN, and takes its place in ord. -1 when out of memory. */
int cg_win_push(struct cg_win *w, const struct flow_pkt *p, enum cg_side side, bool rtx,
		bool echo, bool in_script);
/* Nothing more comes: the conversation ended or the window is full. */
bool cg_win_settled(const struct cg_win *w);
/* Marks every entry of ord final (the end, or a full window). */
void cg_win_settle(struct cg_win *w);
struct cg_rec *cg_win_at(const struct cg_win *w, size_t k);
/* The record ord's first entry names; ord's first entry dropped. */
struct cg_rec *cg_win_ord_first(const struct cg_win *w);
void cg_win_ord_pop(struct cg_win *w);
/* Drops the oldest records that are done, up to (not including) keep. */
void cg_win_evict(struct cg_win *w, size_t keep);
/* Whether the target dropped the rig's data segment r (PAWS, outside its
 * window): its first ACK after r that does not cross r is a duplicate ACK,
 * not one that covers r's bytes. As far as the window holds: nothing
 * there, not dropped. */
bool cg_win_dropped(const struct cg_win *w, const struct cg_rec *r);
/* The record's segment, as the capture decoded it (without addresses). */
void cg_win_segment(const struct cg_rec *r, struct segment *s);

#endif
