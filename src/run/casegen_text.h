/* casegen_text.h - the generator's lines (run/casegen.c): a script built
 * line by line, each with the capture record it stands for, times written
 * as cases write them, segments in script notation. The lines go where the
 * struct cg says: kept in memory (keep), written to a stream (out), or
 * only counted (neither: a dry run that learns what the header says).
 */
#ifndef TCPRIG_RUN_CASEGEN_TEXT_H
#define TCPRIG_RUN_CASEGEN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/segment.h"
#include "run/casegen_opts.h"
#include "wire/flow.h"

struct cg_line {
	char *text;
	unsigned long rec;
};

/* The script being written, and what the generator inferred. */
struct cg {
	bool keep;            /* lines kept in v */
	FILE *out;            /* else written here (NULL: counted only) */
	struct cg_line *v;
	size_t n, cap;        /* n: lines so far, kept or not */
	bool oom;
	bool timed;           /* a timed line was written: the next are relative */
	int64_t last_ns;
	int64_t script_ns;     /* the script's length so far */
	int fd;
	/* The script's fd names: the listener (0: none yet) and the next new
	 * socket's (0: 3). One script of several conversations keeps them. */
	int lfd, next_fd;
	/* Packet lines name their ports (several conversations in a script). */
	bool ports;
	uint16_t rig_port, tgt_port;
	bool app, closed, shut;
	uint32_t rcv;         /* the rig's data the target read, in order */
	uint64_t chunk_left;
	/* What was inferred, for the header. */
	uint64_t wr_bytes, rd_bytes;
	unsigned wr_chunks, reads;
	char ending[160];
	unsigned dropped_opts;   /* options of kinds the dialect cannot write */
	char dropped_kinds[64];  /* "30, 34" */
	unsigned ecr_ranges;     /* `>` lines whose TS ecr is written A~B */
	/* Delayed ACKs (casegen_body.c): the rig's last segment's time, the
	 * target's last ack, and how many `>` lines got a window of their own. */
	int64_t rig_ns;
	bool rig_seen, tgt_acked;
	uint32_t tgt_ack;
	unsigned delacks;
	/* The rig's segments with data or FIN since the target's last ACK,
	 * and the target's pure ACKs that covered two or more (--loose_acks). */
	unsigned rig_unacked, folded;
	/* The target's SYN was seen; its timer's segments given a window. */
	bool tgt_syn;
	unsigned timers;
	/* The next timed line is written "+range_lo~+range" (range 0: as
	 * recorded). The range may open before the recorded moment: its TS
	 * val still names that moment to the runner. */
	int64_t range_lo_ns, range_ns;
	/* Sysctls the recording changed on the way (casegen_knobs.h): each a
	 * shell line before the first timed line at or after its moment
	 * (knob_next: those placed; knobs_start: placed at the script's
	 * start, having changed before its first line). Set once, kept
	 * across the conversations of one script. */
	const struct casegen_knob *knobs;
	size_t nknobs, knob_next, knobs_start;
};

/* A line as it is; on failure to allocate, g->oom and nothing more. */
void cg_add(struct cg *g, unsigned long rec, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A line at capture time ns: "0" for the first timed one, then relative;
 * "+L~+R" when g->range_ns says so (then cleared);
 * before it the shell lines of the knobs changed by then (g->knobs). */
void cg_timed(struct cg *g, int64_t ns, unsigned long rec, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "+0.000016" from nanoseconds (trailing zeros cut; "+0" for none). */
void cg_delta(int64_t ns, char *buf, size_t cap);
/* A segment in script notation; no window on a `>` line (out); its TS ecr
 * written as the range "ecr A~ecr_hi" when ecr_hi is not A. */
void cg_segment(const struct segment *s, bool out, uint32_t ecr_hi, char *buf, size_t cap);
/* A captured segment's time in nanoseconds. */
int64_t cg_ts_ns(const struct flow_pkt *p);
void cg_free(struct cg *g);
/* g sets o's knobs, unless it has them already (a later conversation). */
void cg_knobs_use(struct cg *g, const struct casegen_opts *o);
/* The header's line on them: how many placed (g: the pass that placed them). */
void cg_knobs_note(struct cg *h, const struct cg *g);

#endif
