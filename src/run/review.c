/* review.c - after a case with a target-side capture: what the wire did
 * to each segment (lost, late, reordered on the way), paired frame by frame
 * with what the rig sent and got, and whether that turns the verdict into
 * INCONCLUSIVE (runner.h says when). Only the rig's view drives a case; this
 * record is read once the case is over, so a case plays the same with and
 * without it. */
#include "run/review.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "run/line.h"
#include "run/state.h"
#include "run/wire.h"

void wire_pair(const struct runner *r, struct wire_review *v)
{
	const struct wire *w = r->wire;
	bool used_seen[WIRE_LOG] = {false}, used_got[WIRE_LOG] = {false};
	int last = -1;

	/* The rig's segments, in the order it sent them, each to the first
	 * unclaimed identical frame the target received. */
	for (unsigned i = 0; i < w->nsent; i++) {
		int found = -1;

		for (unsigned j = 0; j < w->nseen && found < 0; j++)
			if (!used_seen[j] && !w->seen[j].from_target &&
			    w->seen[j].hash == w->sent[i].hash)
				found = (int)j;
		v->tx[i] = WIRE_OK;
		if (found < 0) {
			v->tx[i] = WIRE_LOST;
			continue;
		}
		used_seen[found] = true;
		v->tx_at[i] = w->seen[found].t;
		if (w->seen[found].t - w->sent[i].t > r->tol_us)
			v->tx[i] = WIRE_LATE;
		else if (found < last)
			v->tx[i] = WIRE_REORDERED;
		if (found > last)
			last = found;
	}
	/* The target's, in the order it sent them, to what reached the rig. */
	last = -1;
	for (unsigned j = 0; j < w->nseen; j++) {
		int found = -1;

		v->rx_got[j] = -1;
		v->rx[j] = WIRE_OK;
		if (!w->seen[j].from_target)
			continue;
		for (unsigned k = 0; k < w->ngot && found < 0; k++)
			if (!used_got[k] && w->got[k].hash == w->seen[j].hash)
				found = (int)k;
		if (found < 0) {
			v->rx[j] = WIRE_LOST;
			continue;
		}
		used_got[found] = true;
		v->rx_got[j] = found;
		if (w->got[found].t - w->seen[j].t > r->tol_us)
			v->rx[j] = WIRE_LATE;
		else if (found < last)
			v->rx[j] = WIRE_REORDERED;
		if (found > last)
			last = found;
	}
}

/* A checked line after ev: something that depends on what the target got. */
static bool wire_checked_after(const struct runner *r, const struct case_event *ev)
{
	for (const struct case_event *e = ev + 1; e < r->s->events + r->s->nevents; e++)
		if (e->time.kind != CASE_TIME_NONE && e->kind != CASE_EV_INJECT)
			return true;
	return false;
}

/* The fault layer still keeps that frame: delayed, not lost, when the case
 * ended. */
static bool wire_fault_holds(const struct runner *r, enum fault_dir dir, uint64_t hash)
{
	for (unsigned i = 0; r->fault && i < r->fault->n; i++)
		if (r->fault->q[i].dir == dir &&
		    wire_hash(r->fault->q[i].f.bytes, r->fault->q[i].f.len) == hash)
			return true;
	return false;
}

/* Which way a segment went, for the words that say how it fared. */
struct wire_way {
	const char *to;	       /* "the target" */
	enum fault_dir dir;    /* the fault layer's direction */
	const char *late;      /* "late": "... 1.0 ms late" */
	const char *reordered; /* where it came in the order */
};

static const struct wire_way wire_to_target = { "the target", FAULT_TX, "late",
						"before one the rig sent earlier" };
static const struct wire_way wire_to_rig = { "the rig", FAULT_RX, "later",
					     "after one the target sent later" };

/* What befell a segment sent at t=sent, after "... at t=T, " in buf. */
static void wire_fate_text(const struct runner *r, const struct wire_way *w, enum wire_fate fate,
			   uint64_t hash, int64_t sent, int64_t arrived, char *buf, size_t cap)
{
	switch (fate) {
	case WIRE_OK:
	case WIRE_LOST:
		if (wire_fault_holds(r, w->dir, hash))
			snprintf(buf, cap,
				 "but it had not reached %s when the case ended at t=%.6f "
				 "(delayed on the wire)",
				 w->to, us_to_s(r->wire_end));
		else
			snprintf(buf, cap, "but it never reached %s (lost on the wire)", w->to);
		break;
	case WIRE_LATE:
		snprintf(buf, cap, "but it reached %s only at t=%.6f, %.1f ms %s (delayed on the wire)",
			 w->to, us_to_s(arrived), (double)(arrived - sent) / 1e3, w->late);
		break;
	case WIRE_REORDERED:
		snprintf(buf, cap, "but it reached %s %s (reordered on the wire)", w->to,
			 w->reordered);
		break;
	}
}

static void wire_tx_text(const struct runner *r, const struct wire_review *v, unsigned i, char *buf,
			 size_t cap)
{
	const struct wire_sent *s = &r->wire->sent[i];
	const char *seg = strchr(s->ev->text, '<');
	int n = snprintf(buf, cap, "%s:%d: the rig sent %s at t=%.6f, ", r->s->path, s->ev->line,
			 seg ? seg : s->ev->text, us_to_s(s->t));

	if (n < 0 || (size_t)n >= cap)
		return;
	wire_fate_text(r, &wire_to_target, v->tx[i], s->hash, s->t, v->tx_at[i], buf + n,
		       cap - (size_t)n);
}

/* seg_text NULL: the segment in the numbers the case knows now. */
static void wire_rx_text(struct runner *r, const struct wire_review *v, unsigned j,
			 const char *prefix, const char *seg_text, char *buf, size_t cap)
{
	const struct wire_seen *s = &r->wire->seen[j];
	/* Only segments that went astray are described; WIRE_OK reads as late. */
	enum wire_fate fate = v->rx[j] == WIRE_OK ? WIRE_LATE : v->rx[j];
	char seg[512];
	int n;

	if (seg_text)
		snprintf(seg, sizeof(seg), "%s", seg_text);
	else if (s->decoded)
		runner_segment_text(r, &s->seg, seg, sizeof(seg));
	else
		snprintf(seg, sizeof(seg), "a frame that is not TCP");
	n = snprintf(buf, cap, "%sthe target sent > %s at t=%.6f, ", prefix, seg, us_to_s(s->t));
	if (n < 0 || (size_t)n >= cap)
		return;
	wire_fate_text(r, &wire_to_rig, fate, s->hash, s->t,
		       v->rx_got[j] >= 0 ? r->wire->got[v->rx_got[j]].t : s->t, buf + n,
		       cap - (size_t)n);
}

/* Appends text to buf (cap bytes, '\0' ended), cutting it if it must. */
static void wire_append(char *buf, size_t cap, const char *text)
{
	size_t n = strnlen(buf, cap), k = strlen(text);

	if (n + 1 >= cap)
		return;
	if (k > cap - n - 1)
		k = cap - n - 1;
	memcpy(buf + n, text, k);
	buf[n + k] = '\0';
}

/* The verdict becomes INCONCLUSIVE: why first, then what the rig had said. */
static void wire_inconclusive(struct runner *r, int line, const char *why, const char *then)
{
	char old[sizeof(r->res->reason)];

	memcpy(old, r->res->reason, sizeof(old));
	r->done = true;
	r->res->verdict = RUN_INCONCLUSIVE;
	r->res->line = line;
	r->res->reason[0] = '\0';
	wire_append(r->res->reason, sizeof(r->res->reason), why);
	wire_append(r->res->reason, sizeof(r->res->reason), "\n");
	wire_append(r->res->reason, sizeof(r->res->reason), then ? then : old);
}

/* The first segment that went astray, sent by time `by`; for a PASS (pass
 * true) a rig segment counts only if a checked line came after it. Returns
 * false if none did; else fills why and *line. */
static bool wire_first_astray(struct runner *r, const struct wire_review *v, int64_t by, bool pass,
			      char *why, size_t cap, int *line)
{
	const struct wire *w = r->wire;
	int tx = -1, rx = -1;

	for (unsigned i = 0; i < w->nsent && tx < 0; i++)
		if (v->tx[i] != WIRE_OK && w->sent[i].t <= by &&
		    (!pass || wire_checked_after(r, w->sent[i].ev)))
			tx = (int)i;
	for (unsigned j = 0; j < w->nseen && rx < 0; j++)
		if (w->seen[j].from_target && v->rx[j] != WIRE_OK && w->seen[j].t <= by)
			rx = (int)j;
	if (tx < 0 && rx < 0)
		return false;
	if (tx >= 0 && (rx < 0 || w->sent[tx].t <= w->seen[rx].t)) {
		wire_tx_text(r, v, (unsigned)tx, why, cap);
		*line = w->sent[tx].ev->line;
	} else {
		char prefix[PATH_MAX + 8];

		snprintf(prefix, sizeof(prefix), "%s: ", r->s->path);
		wire_rx_text(r, v, (unsigned)rx, prefix, NULL, why, cap);
		*line = 0;
	}
	return true;
}

/* Lets what is still in flight be seen by both captures; no verdict moves. */
static int wire_settle(struct runner *r)
{
	int64_t until = runner_now(r) + WIRE_SETTLE_US;

	for (int64_t now = runner_now(r); now < until; now = runner_now(r)) {
		struct pollfd pfd[2] = {{.fd = sniff_fd(r->io.sn), .events = POLLIN},
					{.fd = sniff_fd(r->io.target_sn), .events = POLLIN}};
		int rc = poll(pfd, 2, (int)((until - now + 999) / 1000));

		if (rc < 0 && errno != EINTR)
			return err_sys(r->err, "poll");
		if (sniff_dispatch(r->io.sn, runner_on_frame, r, r->err) < 0 ||
		    sniff_dispatch(r->io.target_sn, runner_on_target_frame, r, r->err) < 0)
			return -1;
	}
	return 0;
}

enum wire_expected {
	WIRE_EXP_NONE,	 /* the target sent nothing that holds the line */
	WIRE_EXP_CAME,	 /* it did, and the rig got it in time */
	WIRE_EXP_ASTRAY, /* it did, and the rig did not get it in time: why */
};

/* A failed `>` line: did the target send what it expects, in its window,
 * and the rig not get it in time? */
static enum wire_expected wire_expected_went_astray(struct runner *r, struct wire_review *v,
						    char *why, size_t cap)
{
	const struct case_event *ev = r->fail_ev;
	struct wire *w = r->wire;
	char prefix[PATH_MAX + 16], seg[512];

	for (unsigned j = 0; j < w->nseen; j++) {
		const struct wire_seen *s = &w->seen[j];

		if (!s->decoded || s->t < r->exp_lo || s->t > r->exp_hi ||
		    !runner_line_matches(r, ev, &s->seg, seg, sizeof(seg)))
			continue;
		if (v->rx[j] == WIRE_OK && w->got[v->rx_got[j]].t <= r->exp_hi)
			return WIRE_EXP_CAME; /* the wire is not why */
		snprintf(prefix, sizeof(prefix), "%s:%d: ", r->s->path, ev->line);
		wire_rx_text(r, v, j, prefix, seg, why, cap);
		return WIRE_EXP_ASTRAY;
	}
	return WIRE_EXP_NONE;
}

/* The segment that broke the line came late or out of order. */
static bool wire_breaker_went_astray(struct runner *r, struct wire_review *v, char *why, size_t cap)
{
	struct wire *w = r->wire;
	char prefix[PATH_MAX + 16];

	if (!r->fail_rx_set)
		return false;
	for (unsigned j = 0; j < w->nseen; j++) {
		int k = v->rx_got[j];

		if (k < 0 || w->got[k].hash != r->fail_rx_hash || w->got[k].t != r->fail_rx_t)
			continue;
		if (v->rx[j] == WIRE_OK)
			return false;
		snprintf(prefix, sizeof(prefix), "%s:%d: ", r->s->path, r->res->line);
		wire_rx_text(r, v, j, prefix, NULL, why, cap);
		return true;
	}
	return false;
}

int runner_wire_review(struct runner *r)
{
	struct wire_review v;
	struct wire *w = r->wire;
	struct sniff_stats st = {0};
	struct tr_err serr;
	char why[1536], note[256];
	enum wire_expected seen;
	int64_t end;
	int line = 0;
	bool expect;

	/* A rig that was late has said all there is to say: the script was
	 * not played as written, whatever the wire did. */
	if (!w || r->res->verdict == RUN_SKIP || r->res->verdict == RUN_INCONCLUSIVE)
		return 0;
	end = r->wire_end = runner_now(r);
	if (wire_settle(r))
		return -1;
	sniff_get_stats(r->io.target_sn, &st, &serr);
	if (w->overflow || st.dropped) {
		snprintf(why, sizeof(why),
			 "%s: the target-side record is incomplete (%s): the "
			 "rig cannot tell what the wire did",
			 r->s->path,
			 w->overflow ? "more segments than it holds"
				     : "its capture dropped frames");
		wire_inconclusive(r, r->res->line, why,
				  r->res->verdict == RUN_PASS ? "every line held as the rig saw it"
							      : NULL);
		return 0;
	}
	memset(&v, 0, sizeof(v));
	wire_pair(r, &v);
	if (r->res->verdict == RUN_PASS) {
		if (wire_first_astray(r, &v, end, true, why, sizeof(why), &line))
			wire_inconclusive(r, line, why,
					  "every line held as the rig saw it, but the verdict "
					  "hangs on that segment");
		return 0;
	}
	/* FAIL: the wire's doing, or the target's? */
	expect = r->fail_ev && r->fail_ev->kind == CASE_EV_EXPECT;
	seen = expect ? wire_expected_went_astray(r, &v, why, sizeof(why)) : WIRE_EXP_NONE;
	if (seen == WIRE_EXP_ASTRAY || wire_breaker_went_astray(r, &v, why, sizeof(why)) ||
	    wire_first_astray(r, &v, r->fail_at, false, why, sizeof(why), &line)) {
		wire_inconclusive(r, r->res->line, why, NULL);
		return 0;
	}
	if (expect && seen == WIRE_EXP_NONE) {
		size_t n = strnlen(r->res->reason, sizeof(r->res->reason));

		while (n && r->res->reason[n - 1] == '\n')
			r->res->reason[--n] = '\0';
		snprintf(note, sizeof(note),
			 "\n  the target-side capture agrees: the target sent "
			 "nothing that holds this line by t=%.6f",
			 us_to_s(r->exp_hi));
		wire_append(r->res->reason, sizeof(r->res->reason), note);
	}
	return 0;
}
