/* coalesce.h - one `>` line met by the consecutive segments that cover it.
 *
 * As in packetdrill: unless the script says --strict_segments, a `>` line
 * whose payload is longer than the oldest waiting segment's (a TSO-sized
 * `P. 1:4001(4000)` against what the target sent in MSS-sized pieces) is
 * held against those pieces joined. The pieces that follow are joined in
 * arrival order while each continues the previous one exactly: the same
 * ports, the next seq, the same ack and flags but for PSH, FIN and CWR,
 * and, but for the last, the same length as the one before. The join takes
 * the first piece's seq and CWR and the last one's other header fields.
 * Every piece must come within the line's window (more are waited for up
 * to its end); the lines after it count from the last piece's arrival.
 * Under --loose_segments the pieces may also be cut elsewhere than the
 * lines, after a cut at the rig's window edge (reseg.h): a line may then
 * take only part of its last piece, the rest left for the next line.
 */
#ifndef TCPRIG_RUN_COALESCE_H
#define TCPRIG_RUN_COALESCE_H

#include <stddef.h>

#include "core/segment.h"
#include "run/runner_int.h"

/* live: the oldest waiting segment, decoded. For `>` line exp (in script
 * terms) whose window ends at hi, joins the waiting segments after it into
 * live while they continue it; *n: how many segments live now stands for
 * (1 if none was joined); *tail: how many bytes of the last of them the
 * line takes, the rest staying for the next (0: all of it). -1 on error. */
int runner_coalesce(struct runner *r, const struct case_packet *exp, int64_t hi,
		    struct segment *live, size_t *n, uint32_t *tail);

#endif
