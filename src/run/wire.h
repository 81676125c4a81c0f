/* wire.h - the runner's side of the wire: the receive queue's feed, the fault
 * layer, the record of what both captures saw.
 */
#ifndef TCPRIG_RUN_WIRE_H
#define TCPRIG_RUN_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include "run/runner_int.h"

/* The wire record, kept when a target-side capture is on: what the rig sent,
 * what reached it, and what the capture inside the target namespace saw.
 * The review pairs them by frame bytes (a frame crosses the veth unchanged)
 * to find segments lost, delayed or reordered on the way. */
#define WIRE_LOG 256
/* Frames still in flight at the end of a case get this long to be seen. */
#define WIRE_SETTLE_US 3000

struct wire_sent { /* a `<` segment the rig put on the wire */
	const struct case_event *ev;
	int64_t t;
	uint64_t hash;
};

struct wire_got { /* a target segment handed to the runner */
	int64_t t;
	uint64_t hash;
};

struct wire_seen { /* a frame the target-side capture saw */
	int64_t t;
	uint64_t hash;
	bool from_target;
	bool decoded;	    /* from_target only: seg holds it */
	struct segment seg; /* payload NULL */
};

struct wire {
	struct wire_sent sent[WIRE_LOG];
	struct wire_got got[WIRE_LOG];
	struct wire_seen *seen; /* WIRE_LOG of them */
	unsigned nsent, ngot, nseen;
	bool overflow;
};

uint64_t wire_hash(const uint8_t *frame, size_t len);
int runner_wire_open(struct runner *r, const struct run_config *cfg, const char *case_path);
void runner_wire_close(struct runner *r);
/* A target segment reached the rig end (sniffer callback): through the
 * fault layer, if any, to the receive queue; the rig's own frame, looked
 * for by tx_hash, gives its send's capture stamp. */
void runner_on_frame(void *ctx, const struct timeval *ts, const uint8_t *frame, size_t len);
/* The capture inside the target namespace (sniffer callback). */
void runner_on_target_frame(void *ctx, const struct timeval *ts, const uint8_t *frame,
			    size_t len);
/* Frames the fault layer keeps that are due by now leave: target segments
 * to the receive queue, the rig's to the wire. */
int runner_fault_release(struct runner *r, int64_t now);
/* When the fault layer next lets a frame go; INT64_MAX if never. */
int64_t runner_fault_next(const struct runner *r);

#endif
