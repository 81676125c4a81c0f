/* fold.h - --loose_acks: an ACK of the target's that the recording folded
 * into a later one.
 *
 * Whether a kernel ACKs the rig's data at once (quick-ACK mode) or waits
 * and ACKs it together with what comes next (delayed ACK, "pingpong" mode)
 * follows its application's timing to the microsecond: a recording whose
 * kernel folded the ACK of the rig's data into the one of the rig's FIN
 * 50 us later replays against a live kernel that ACKs the data first. Under
 * --loose_acks (pcap2case writes it), while a `>` pure-ACK line is waited
 * for, a pure ACK of the target's on its connection that acknowledges less
 * than the line, and more than the target acknowledged before, is passed
 * over: traced with a note (the ladder shows it), not held against the
 * line. Anything else about it (a flag, a seq, data) is still a difference.
 */
#ifndef TCPRIG_RUN_FOLD_H
#define TCPRIG_RUN_FOLD_H

#include "run/line.h"
#include "run/runner_int.h"

/* live came for `>` line m and did not hold it (c: why). 1 if it is an ACK
 * folded into m's, passed over (traced); 0 if not. */
int runner_fold_pass(struct runner *r, const struct case_event *m, const struct candidate *c,
		     const struct segment *live, const struct rx *rx);

/* rx came before the window of group head opened: 1 if it is an ACK folded
 * into its first `>` member's, passed over; 0 if not (it is early). */
int runner_fold_early(struct runner *r, const struct case_event *head, const struct rx *rx);

/* A `>` line held live: what the target acknowledged so far, for the next. */
void runner_fold_held(struct runner *r, const struct segment *live);

#endif
