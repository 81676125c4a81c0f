/* flow_read.h - a capture file's conversations (flow.h) read through
 * pcap_read: the whole table in one pass, or one flow's segments in a
 * second pass, either one at a time (flow_reader: O(flows) memory, the
 * table that tells a reused port's incarnations apart) or all held
 * (flow_read_packets: O(that flow's packets), never the capture's).
 *
 * Errors are TR_USAGE "FILE: ..." (pcap_read's), or "FILE: record N: ..."
 * for a TCP record that does not decode in the flow asked for.
 */
#ifndef TCPRIG_WIRE_FLOW_READ_H
#define TCPRIG_WIRE_FLOW_READ_H

#include <stddef.h>

#include "core/err.h"
#include "wire/flow.h"

struct flow_read_stats {
	unsigned long records, tcp, other, malformed;
};

/* Every conversation of path into t (initialised here). */
int flow_read_table(const char *path, struct flow_table *t,
		    struct flow_read_stats *st, struct tr_err *err);

/* The segments of flow number `number` (as flow_read_table numbered it), in
 * capture order: *pkts (malloc'd, the caller frees) and *n. A record
 * truncated by the snapshot length inside the flow sets *truncated to its
 * record number (0: none). */
int flow_read_packets(const char *path, unsigned number, struct flow_pkt **pkts,
		      size_t *n, unsigned long *truncated, struct tr_err *err);

/* One flow's segments streamed: open, next until 0, close. A second pass
 * is a second reader. */
struct flow_reader;

struct flow_reader *flow_reader_open(const char *path, unsigned number, struct tr_err *err);
/* The flow's next segment (payload NULL, payload_len kept): 1, 0 at the
 * capture's end, -1 and err. */
int flow_reader_next(struct flow_reader *fr, struct flow_pkt *p, struct tr_err *err);
/* The first of the flow's records read so far that the snapshot length
 * cut (0: none). */
unsigned long flow_reader_truncated(const struct flow_reader *fr);
void flow_reader_close(struct flow_reader *fr);

#endif
