/* twrfc.h - the TIME_WAIT matrix as a conformance report: RFC statements
 * about what a TIME-WAIT socket does with a segment, as data (twrfc.c), and
 * the cells whose observed outcome contradicts one.
 *
 * A rule covers a set of cells (kinds, positions, timestamps, rfc1337
 * values, as bit masks over twcell.h's enums) and allows a set of replies
 * and states. A cell a rule covers whose observed reply or state is not
 * among those allowed is flagged with the rule's RFC and section. Only
 * observed cells (a PASS run) are judged. Sections are those the RFCs
 * give, every rule with its own ("3" for RFC 1337's fix F1).
 */
#ifndef TCPRIG_REPORT_TWRFC_H
#define TCPRIG_REPORT_TWRFC_H

#include <stddef.h>

#include "report/twcell.h"

#define TWRFC_BIT(x) (1u << (x))
#define TWRFC_ALL 0xffffu

struct twrfc_rule {
	const char *rfc;     /* "RFC 5961" */
	const char *section; /* "3.2", or "" */
	const char *says;    /* what it asks of TIME-WAIT, in a line */
	unsigned kinds, positions, tss, rfc1337s; /* the cells it covers */
	unsigned replies, states;		  /* what it allows */
};

/* The table, in order; *n gets its length. */
const struct twrfc_rule *twrfc_rules(size_t *n);

/* The rules an observed cell contradicts, up to max, in table order;
 * returns how many (0 for a cell not observed). */
size_t twrfc_check(const struct tw_cell *c, const struct twrfc_rule **out, size_t max);

/* The sysctl that rate-limits the cell's observed reply on Linux, or NULL:
 * a TIME_WAIT socket's ACKs (dup-ack, chal-ack) go through the per-socket
 * out-of-window limit, net.ipv4.tcp_invalid_ratelimit. */
const char *twrfc_ratelimit(const struct tw_cell *c);

#endif
