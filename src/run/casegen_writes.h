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
 * congestion window unopened.
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
 * full segment size, past whose PSH a write may go on (0: none). A shorter
 * segment is where a write really ended: Linux sent what it had. */
uint64_t casegen_chunk(const struct flow_pkt *p, size_t n, const enum cg_side *side,
		       const bool *rtx, uint32_t merge, size_t i);

#endif
