/* coalesce.c - one `>` line met by the consecutive segments that cover it. */
#include "run/coalesce.h"

#include "run/pump.h"
#include "run/state.h"

#define SEG_LOOSE_FLAGS (SEG_PSH | SEG_FIN | SEG_CWR)

/* Does next continue prev, as the piece after it of one larger segment? */
static bool continues(const struct segment *prev, const struct segment *next)
{
	return next->sport == prev->sport && next->dport == prev->dport &&
	       next->seq == prev->seq + prev->payload_len && next->ack == prev->ack &&
	       (next->flags & ~SEG_LOOSE_FLAGS) == (prev->flags & ~SEG_LOOSE_FLAGS) &&
	       next->payload_len > 0;
}

/* live becomes the one segment first..last stand for: len bytes from
 * first's seq, last's flags but CWR, which only a first piece carries. */
static void join(struct segment *live, const struct segment *first, const struct segment *last,
		 uint32_t len, bool bad_csum)
{
	uint32_t seq = first->seq;
	uint8_t cwr = first->flags & SEG_CWR;

	*live = *last;
	live->seq = seq;
	live->flags = (uint8_t)((last->flags & ~SEG_CWR) | cwr);
	live->payload_len = len;
	live->payload = NULL; /* the bytes lie in several frames */
	live->bad_csum = bad_csum;
}

/* The i-th waiting segment after the oldest, waiting for it up to hi:
 * 1 and *seg decoded, 0 when none comes in time, -1 on error. */
static int waiting_at(struct runner *r, size_t i, int64_t hi, struct segment *seg)
{
	struct tr_err derr;

	while (!r->done && r->rx_n <= i) {
		if (runner_now(r) > hi) {
			if (runner_drain(r))
				return -1;
			if (r->rx_n <= i)
				return 0;
			break;
		}
		if (runner_pump(r, hi + 1))
			return -1;
	}
	if (r->done || r->rx_n <= i)
		return 0;
	{
		const struct rx *rx = &r->rx[(r->rx_head + i) % RX_RING];

		if (rx->t > hi)
			return 0;
		return reseg_decode(rx->f.bytes, rx->f.len, rx->skip, seg, &derr) == 1;
	}
}

/* --loose_segments: the line's bytes out of pieces cut elsewhere, once a
 * cut at the rig's window edge moved the boundaries (reseg.h): allowed when
 * the first piece is what an earlier line left of a segment, or the line or
 * one of the pieces before its end ends at a window edge. The last piece
 * may run past the line: *tail is then what the line takes of it. 1 when
 * the pieces were joined so, 0 when not allowed (the strict rules apply). */
static int coalesce_loose(struct runner *r, const struct rx *head, int64_t hi, uint32_t want,
			  struct segment *live, size_t *n, uint32_t *tail)
{
	struct segment first = *live, prev = *live, next;
	uint32_t got = live->payload_len;
	bool edge = head->skip || reseg_at_edge(&r->win, first.seq + want) ||
		    (got < want && reseg_at_edge(&r->win, first.seq + got));
	bool bad_csum = live->bad_csum;
	size_t k = 1;
	int rc;

	while (got < want) {
		rc = waiting_at(r, k, hi, &next);
		if (rc <= 0)
			return rc;
		if (!continues(&prev, &next))
			return 0;
		if (got + next.payload_len < want && reseg_at_edge(&r->win, next.seq + next.payload_len))
			edge = true;
		bad_csum |= next.bad_csum;
		prev = next;
		k++;
		if (got + next.payload_len > want) {
			*tail = want - got;
			got = want;
			break;
		}
		got += next.payload_len;
	}
	if (!edge)
		return 0;
	if (k == 1 && got > want)
		*tail = want;
	*n = k;
	join(live, &first, &prev, want, bad_csum);
	/* A piece cut short ends neither a push nor the stream. */
	if (*tail)
		live->flags &= (uint8_t)~(SEG_PSH | SEG_FIN);
	return 1;
}

int runner_coalesce(struct runner *r, const struct case_packet *exp, int64_t hi,
		    struct segment *live, size_t *n, uint32_t *tail)
{
	uint32_t want = exp->seg.payload_len, got = live->payload_len;
	struct segment first = *live, prev = *live, next;
	bool bad_csum = live->bad_csum;
	int rc;

	*n = 1;
	*tail = 0;
	if (r->s->opt.strict_segments || got == 0 || got == want ||
	    (live->flags & (SEG_SYN | SEG_RST)))
		return 0;
	if (r->s->opt.loose_segments && want) {
		rc = coalesce_loose(r, &r->rx[r->rx_head], hi, want, live, n, tail);
		if (rc)
			return rc < 0 ? -1 : 0;
		*n = 1;
		*tail = 0;
	}
	if (got > want)
		return 0;
	while (got < want) {
		rc = waiting_at(r, *n, hi, &next);
		if (rc <= 0)
			return rc;
		if (!continues(&prev, &next))
			break;
		/* Every piece but the last is as long as the one before. */
		if (got + next.payload_len < want && next.payload_len != prev.payload_len)
			break;
		got += next.payload_len;
		bad_csum |= next.bad_csum;
		prev = next;
		++*n;
	}
	if (*n > 1)
		join(live, &first, &prev, got, bad_csum);
	return 0;
}
