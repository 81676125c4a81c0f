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
 * reached the right edge of the window the rig last advertised: the sender
 * stopped for the window, not for want of data (a 64 KB write cut at the
 * edge by the rig's window would end, live, in a short segment that Nagle
 * and the TSO deferral hold back until an ACK the rig only sends later).
 * Pure, no I/O.
 */
#ifndef TCPRIG_RUN_CASEGEN_WRITES_H
#define TCPRIG_RUN_CASEGEN_WRITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/casegen_num.h"
#include "wire/flow.h"

#define CASEGEN_MERGE_NS 1000000
#define CASEGEN_WRITE_MAX (1u << 20)

/* The bytes of the write whose first segment is p[i]; merge: the target's
 * full segment size, past whose PSH a write may go on (0: none, and no write
 * goes on past the window's edge either); rig_wscale: the shift of the rig's
 * window (0 when the handshake did not agree on scaling). A shorter segment
 * is where a write really ended: Linux sent what it had. */
uint64_t casegen_chunk(const struct flow_pkt *p, size_t n, const enum cg_side *side,
		       const bool *rtx, uint32_t merge, unsigned rig_wscale, size_t i);

/* The shift of the rig's windows: its SYN's wscale when both SYNs offered
 * one (RFC 7323), else 0. */
unsigned casegen_rig_wscale(const struct flow_pkt *p, size_t n, const enum cg_side *side);

#endif
