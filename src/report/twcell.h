/* twcell.h - the TIME_WAIT event matrix's cells: which segment the rig sends
 * to a TIME_WAIT socket, under which settings, and what the target did.
 *
 * A cell is (family, kind, position, timestamp, tcp_rfc1337): the target
 * closes first (active close), so its socket sits in TIME_WAIT with rcv_nxt
 * just past the rig's FIN; the rig then sends ONE segment of `kind` whose
 * seq lies at `position` relative to that rcv_nxt, carrying a TS val newer
 * (fresh) or older (stale) than the socket's TS.Recent, under
 * net.ipv4.tcp_rfc1337 0 or 1. The family is a dimension of its own so that
 * IPv6 cells are the same cells on another stack.
 *
 * What the target did is observed, not expected: its first segment in the
 * observation window (tw_reply) and the socket's state afterwards, through
 * sock_diag (tw_state). tw_cell_observe() reads both from the cell's run: the
 * events of the `> any` line (observe_line) and the outcome label of the
 * sock_state group ("kept", "gone", "new"). Cells are indexed family-major,
 * then kind, position, timestamp, rfc1337 (the last varying fastest), which
 * is the table's order: a row per kind x position, a column per ts x rfc1337.
 */
#ifndef TCPRIG_REPORT_TWCELL_H
#define TCPRIG_REPORT_TWCELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/result.h"

enum tw_family { TW_IPV4, TW_IPV6, TW_FAMILIES };
enum tw_kind {
	TW_SYN,
	TW_SYNACK,
	TW_ACK,
	TW_FIN,
	TW_FINACK,
	TW_RST,
	TW_RSTACK,
	TW_DATA,
	TW_SYNFIN,
	TW_KINDS
};
enum tw_pos {
	TW_BELOW,  /* rcv_nxt - 1: old, the retransmitted FIN's seq */
	TW_AT,	   /* rcv_nxt */
	TW_ABOVE,  /* rcv_nxt + 1 */
	TW_INSIDE, /* rcv_nxt + window / 2 */
	TW_EDGE,   /* rcv_nxt + window - 1: the window's last byte */
	TW_BEYOND, /* rcv_nxt + window: the first byte past it */
	TW_POSITIONS
};
enum tw_ts { TW_FRESH, TW_STALE, TW_TSS };
#define TW_RFC1337S 2
#define TW_COLUMNS (TW_TSS * TW_RFC1337S)
#define TW_ROWS (TW_KINDS * TW_POSITIONS)
#define TW_CELLS_PER_FAMILY (TW_ROWS * TW_COLUMNS)

/* What the target answered with, first segment of the window. */
enum tw_reply {
	TW_SILENT,    /* nothing in the window */
	TW_DUPACK,    /* ACK at snd_nxt acking rcv_nxt, to a segment without RST/SYN */
	TW_CHALLENGE, /* the same ACK to an RST or a SYN: RFC 5961's challenge ACK form */
	TW_ACKOTHER,  /* an ACK with other numbers (data taken, say) */
	TW_RSTREPLY,  /* an RST */
	TW_SYNACKREPLY, /* a SYN-ACK: a new connection is being accepted */
	TW_OTHER,     /* anything else */
	TW_REPLIES
};
enum tw_state { TW_KEPT, TW_GONE, TW_NEW, TW_STATE_UNKNOWN, TW_STATES };

struct tw_params {
	enum tw_family family;
	enum tw_kind kind;
	enum tw_pos pos;
	enum tw_ts ts;
	int rfc1337;
};

struct tw_cell {
	struct tw_params p;
	int observe_line; /* the generated case's `> any` line */
	int ret;	  /* 0: res holds the run; -1: could not run (err) */
	struct tr_err err;
	struct run_result res;
	bool observed;	  /* PASS, and reply/state read from it */
	enum tw_reply reply;
	enum tw_state state;
	char reply_text[160]; /* the reply as recorded, "" for silence */
	unsigned nreplies;    /* segments in the window */
	char text[32];	      /* "dup-ack kept", or "FAIL", "inconclusive", ... */
};

const char *tw_family_name(enum tw_family f);  /* "ipv4" */
const char *tw_kind_name(enum tw_kind k);      /* "SYN", "SYN-ACK", ... */
const char *tw_pos_name(enum tw_pos p);        /* "rcv_nxt-1", ..., "beyond" */
const char *tw_ts_name(enum tw_ts t);	       /* "fresh", "stale" */
const char *tw_reply_name(enum tw_reply r);    /* "silent", "dup-ack", ... */
const char *tw_state_name(enum tw_state s);    /* "kept", "gone", "new" */
/* The names above back to values (case-insensitive for kinds: "syn-ack");
 * -1 when unknown. */
int tw_kind_parse(const char *name);
int tw_family_parse(const char *name);

/* Cell i of a family-major full matrix and back. */
void tw_params_of(size_t i, struct tw_params *p);
size_t tw_index(const struct tw_params *p);
/* The seq offset from rcv_nxt for a window of win bytes. */
int64_t tw_pos_offset(enum tw_pos pos, uint32_t win);
/* A name usable as a file name: "ipv4-syn-ack-rcv_nxt+1-fresh-1337_0". */
void tw_cell_name(const struct tw_params *p, char *buf, size_t cap);

/* Fills observed, reply, state, reply_text, nreplies and text from
 * c->ret, c->res and c->observe_line. A run that did not PASS is not
 * observed: text says its verdict ("FAIL l.N", "inconclusive", "skip",
 * "error"). */
void tw_cell_observe(struct tw_cell *c);

/* The reply's class from its recorded text ("8080>40000 . 2:2(0) ack 2 ...",
 * the old connection's numbers) for a probe of kind k: exposed for tests. */
enum tw_reply tw_reply_classify(enum tw_kind k, const char *text);

#endif
