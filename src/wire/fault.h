/* fault.h - faults on the wire, emulated by the rig at the lab's edge.
 *
 * This kernel has no sch_netem, so `tcprig run --faults` plays the lossy
 * wire itself, between its sniffer and the runner (a target segment that
 * reached rig0) and between the runner and its crafter (a segment the rig
 * injects). Each frame that enters the emulated wire gets one decision:
 *  - loss=P%     dropped (a target segment never reaches the runner; an
 *                injected one is never sent);
 *  - reorder=P%  held back behind the next frame in the same direction, and
 *                released right after it (or after FAULT_HOLD_US if none
 *                comes);
 *  - delay=D     kept for D (every frame), delay=D@P% (that share of them).
 * The draws come from a generator seeded by the caller, one stream per
 * direction and three draws per frame whatever the outcome, so the n-th
 * frame of a direction always meets the same fate for a given seed. At most
 * FAULT_QUEUE frames are kept at once; one more is dropped, as netem's
 * queue limit does. Times are the caller's (script microseconds).
 */
#ifndef TCPRIG_FAULT_H
#define TCPRIG_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/craft.h"
#include "core/err.h"

#define FAULT_QUEUE 32
/* A frame held for reordering waits at most this long for the next one. */
#define FAULT_HOLD_US 20000
/* The longest delay --faults takes. */
#define FAULT_DELAY_MAX_US 10000000

struct fault_spec {
	double loss, reorder; /* probabilities, 0..1 */
	int64_t delay_us;     /* 0: no delay */
	double delay_share;   /* of the frames delayed, 0..1 */
};

enum fault_dir {
	FAULT_RX, /* target -> rig: a segment that reached the rig end */
	FAULT_TX, /* rig -> target: a segment the rig injects */
};

enum fault_action {
	FAULT_PASS,  /* deliver or send it now */
	FAULT_DROP,  /* gone */
	FAULT_DELAY, /* kept until fault_take() gives it back */
	FAULT_HOLD,  /* kept behind the next frame of its direction */
};

struct fault_item {
	enum fault_dir dir;
	enum fault_action why; /* FAULT_DELAY or FAULT_HOLD */
	int64_t in_t, due;     /* when it entered, when it leaves */
	uint64_t order;
	struct frame f;
};

struct fault_stats {
	unsigned seen[2], dropped[2], delayed[2], held[2], full[2];
};

struct fault {
	struct fault_spec spec;
	uint64_t rng[2]; /* one stream per direction */
	struct fault_item *q;
	unsigned n;
	uint64_t order;
	struct fault_stats st;
};

/* "loss=5%", "loss=20%,delay=50ms", "reorder=10%", "delay=50ms@25%".
 * Percentages take a '%', delays a unit (us, ms, s). TR_USAGE errors name
 * the part that is wrong. */
int fault_spec_parse(const char *text, struct fault_spec *spec, struct tr_err *err);
/* The spec as fault_spec_parse reads it back. */
int fault_spec_format(const struct fault_spec *spec, char *buf, size_t cap);

/* The seed a case's faults use: the run's seed mixed with the case's file
 * name, so that cases differ and one case run alone meets the same faults. */
uint64_t fault_case_seed(uint64_t seed, const char *path);

int fault_init(struct fault *f, const struct fault_spec *spec, uint64_t seed, struct tr_err *err);
void fault_free(struct fault *f);

/* A frame enters the wire in direction dir at time t: what happens to it.
 * After FAULT_PASS the caller delivers (or sends) it, then calls
 * fault_take(): a frame held behind it is due now. */
enum fault_action fault_on_frame(struct fault *f, enum fault_dir dir, int64_t t,
				 const uint8_t *frame, size_t len);
/* When the first kept frame leaves; INT64_MAX if none is kept. */
int64_t fault_next_due(const struct fault *f);
/* The kept frame of direction dir that leaves first, if it is due by now:
 * moved to *out, returns 1; 0 if none is due. */
int fault_take(struct fault *f, enum fault_dir dir, int64_t now, struct fault_item *out);

#endif
