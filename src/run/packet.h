/* packet.h - packet lines: `<` injected, `>` matched, `> nothing`.
 */
#ifndef TCPRIG_RUN_PACKET_H
#define TCPRIG_RUN_PACKET_H

#include "run/runner_int.h"

int runner_inject(struct runner *r, const struct case_event *ev);
int runner_expect(struct runner *r, const struct case_event *ev);
int runner_quiet(struct runner *r, const struct case_event *ev);
/* The oldest waiting segment, described as unexpected (ev NULL: at the end). */
void runner_describe_unexpected(struct runner *r, const struct rx *rx,
				const struct case_event *ev, const char *why);

/* Puts r->out on the wire for line ev, through the fault layer if any;
 * *wire_t is when it left: the capture's own stamp of the frame (the fault
 * layer's hand-over time under --faults). */
int runner_send(struct runner *r, const struct case_event *ev, int64_t *wire_t);

#endif
