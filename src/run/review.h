/* review.h - the wire review: what went astray, and INCONCLUSIVE.
 */
#ifndef TCPRIG_RUN_REVIEW_H
#define TCPRIG_RUN_REVIEW_H

#include "run/runner_int.h"
#include "run/wire.h"

enum wire_fate {
	WIRE_OK,
	WIRE_LOST,
	WIRE_LATE,
	WIRE_REORDERED,
};

/* Each segment's fate on the way: the rig's (sent[i]) at the target, the
 * target's (seen[j], from_target) at the rig. */
struct wire_review {
	enum wire_fate tx[WIRE_LOG], rx[WIRE_LOG];
	int64_t tx_at[WIRE_LOG]; /* when the target saw sent[i] */
	int rx_got[WIRE_LOG];	 /* got[] index of seen[j], -1: never */
};

/* After the case, with a target-side capture: what the wire did to it may
 * turn PASS or FAIL into INCONCLUSIVE (see runner.h). */
int runner_wire_review(struct runner *r);
/* Pairs what the rig sent and got with what the target-side capture saw. */
void wire_pair(const struct runner *r, struct wire_review *v);

#endif
