/* casegen_writes.h - where the target's writes ended, seen from its segments
 * (pcap2case infers its application's write calls).
 *
 * A write ends at a segment with PSH or FIN (Linux pushes at the end of a
 * write). Bulk data (loose_psh): PSH marks where Linux pushed, not where the
 * program's writes ended, so chunks that followed each other closely (a
 * gap under CASEGEN_MERGE_NS, no data from the rig between) are one write, at
 * most CASEGEN_WRITE_MAX bytes, into a send buffer that holds it. The program
 * kept its window full; one write the size of them keeps the live target as
 * busy, where small late writes would leave it idle when ACKs came, its
 * congestion window unopened. Nor does a write end where the target's data
 * reached the right edge of the window the rig last advertised (cg_rec's
 * edge): the sender stopped for the window, not for want of data (a 64 KB
 * write cut at the edge by the rig's window would end, live, in a short
 * segment that Nagle and the TSO deferral hold back until an ACK the rig
 * only sends later).
 * It looks ahead in the window of segments (casegen_win.h) as far as the
 * write's last segment and the next data after it. Pure, no I/O.
 */
#ifndef TCPRIG_RUN_CASEGEN_WRITES_H
#define TCPRIG_RUN_CASEGEN_WRITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/casegen_win.h"

#define CASEGEN_MERGE_NS 1000000
#define CASEGEN_WRITE_MAX (1u << 20)

/* The bytes of the write whose first segment is record i: 1 and *c, or 0
 * when the window ends before that is known (read more, then ask again);
 * merge: the target's full segment size, past whose PSH a write may go on
 * (0: none, and no write goes on past the window's edge either). A shorter
 * segment is where a write really ended: Linux sent what it had. *fin (if
 * not NULL): the length of the write's last segment when it carried the
 * FIN too, else 0. */
int casegen_chunk(const struct cg_win *w, uint32_t merge, size_t i, uint64_t *c, uint32_t *fin);

#endif
