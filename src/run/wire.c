/* wire.c - between the runner and the wire: frames the sniffers hand over
 * (the target's to the receive queue, the rig's own to time its sends),
 * the fault layer's plumbing, and the record of both captures that the
 * review (review.c) reads once the case is over. */
#include "run/wire.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/state.h"

uint64_t wire_hash(const uint8_t *frame, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ frame[i]) * 0x100000001b3u;
	return h;
}

int runner_wire_open(struct runner *r, const struct run_config *cfg, const char *case_path)
{
	if (cfg->faults) {
		r->fault = calloc(1, sizeof(*r->fault));
		if (!r->fault)
			return err_sys(r->err, "faults");
		if (fault_init(r->fault, &cfg->fault_spec,
			       fault_case_seed(cfg->fault_seed, case_path), r->err)) {
			free(r->fault);
			r->fault = NULL;
			return -1;
		}
	}
	if (!cfg->faults && !cfg->target_capture)
		return 0;
	r->wire = calloc(1, sizeof(*r->wire));
	if (r->wire)
		r->wire->seen = calloc(WIRE_LOG, sizeof(*r->wire->seen));
	if (!r->wire || !r->wire->seen)
		return err_sys(r->err, "wire record");
	return 0;
}

void runner_wire_close(struct runner *r)
{
	if (r->fault)
		fault_free(r->fault);
	free(r->fault);
	if (r->wire)
		free(r->wire->seen);
	free(r->wire);
	r->fault = NULL;
	r->wire = NULL;
}

static int64_t runner_script_time(const struct runner *r, const struct timeval *ts)
{
	return (int64_t)ts->tv_sec * 1000000 + ts->tv_usec - r->real_minus_mono - (int64_t)r->t0;
}

static struct timeval runner_wall_time(const struct runner *r, int64_t t)
{
	int64_t real = t + (int64_t)r->t0 + r->real_minus_mono;

	return (struct timeval){.tv_sec = real / 1000000, .tv_usec = real % 1000000};
}

/* A target segment reaches the runner at script time t. */
static void runner_deliver(struct runner *r, int64_t t, const uint8_t *frame, size_t len)
{
	struct rx *slot;

	if (r->rx_n == RX_RING) {
		r->rx_overflow = true;
		return;
	}
	slot = &r->rx[(r->rx_head + r->rx_n++) % RX_RING];
	slot->t = t;
	slot->skip = 0;
	slot->f.len = len;
	memcpy(slot->f.bytes, frame, len);
	slot->hash = wire_hash(frame, len);
	if (r->wire) {
		if (r->wire->ngot == WIRE_LOG)
			r->wire->overflow = true;
		else
			r->wire->got[r->wire->ngot++] = (struct wire_got){t, slot->hash};
	}
	/* With faults the rig's capture file is what reached the runner. */
	if (r->fault) {
		struct timeval tv = runner_wall_time(r, t);

		sniff_dump(r->io.sn, &tv, frame, len);
	}
}

static void runner_fault_release_rx(struct runner *r, int64_t now)
{
	struct fault_item it;

	while (fault_take(r->fault, FAULT_RX, now, &it))
		runner_deliver(r, it.due, it.f.bytes, it.f.len);
}

void runner_on_frame(void *ctx, const struct timeval *ts, const uint8_t *frame, size_t len)
{
	struct runner *r = ctx;
	int64_t t = runner_script_time(r, ts);

	if (len < 14 || len > FRAME_MAX)
		return;
	/* The sniffer sees the rig's own frames too: those really left, and
	 * the capture's stamp says when. */
	if (!memcmp(frame + 6, r->lab.rig_mac, 6)) {
		if (r->tx_wait && !r->tx_seen && wire_hash(frame, len) == r->tx_hash) {
			r->tx_seen = true;
			r->tx_t = t;
		}
		if (r->fault)
			sniff_dump(r->io.sn, ts, frame, len);
		return;
	}
	if (!r->fault) {
		runner_deliver(r, t, frame, len);
		return;
	}
	/* What the fault layer let go before this frame came goes first. */
	runner_fault_release_rx(r, t);
	if (fault_on_frame(r->fault, FAULT_RX, t, frame, len) == FAULT_PASS) {
		runner_deliver(r, t, frame, len);
		runner_fault_release_rx(r, t);
	}
}

void runner_on_target_frame(void *ctx, const struct timeval *ts, const uint8_t *frame, size_t len)
{
	struct runner *r = ctx;
	struct wire *w = r->wire;
	struct wire_seen *s;
	struct tr_err derr;

	if (!w || len < 14)
		return;
	if (w->nseen == WIRE_LOG) {
		w->overflow = true;
		return;
	}
	s = &w->seen[w->nseen++];
	s->t = runner_script_time(r, ts);
	s->hash = wire_hash(frame, len);
	s->from_target = !memcmp(frame + 6, r->lab.target_mac, 6);
	s->decoded = s->from_target && segment_decode_frame(&s->seg, frame, len, &derr) == 1;
	s->seg.payload = NULL;
}

int runner_fault_release(struct runner *r, int64_t now)
{
	struct fault_item it;

	if (!r->fault)
		return 0;
	runner_fault_release_rx(r, now);
	while (fault_take(r->fault, FAULT_TX, now, &it))
		if (craft_send(r->io.cr, &it.f, r->err))
			return -1;
	return 0;
}

int64_t runner_fault_next(const struct runner *r)
{
	return r->fault ? fault_next_due(r->fault) : INT64_MAX;
}

