/* icmp.h - icmp lines: the rig sends an ICMP error about a segment of the
 * target's, on the case's connection, its seq mapped like a `>` line's.
 */
#ifndef TCPRIG_RUN_ICMP_H
#define TCPRIG_RUN_ICMP_H

#include "run/runner_int.h"

int runner_icmp(struct runner *r, const struct case_event *ev);

#endif
