/* icmp.h - icmp lines: the rig sends an ICMP error (ICMPv6 on an IPv6 wire)
 * about a segment of the target's, on the case's connection, its seq mapped
 * like a `>` line's.
 */
#ifndef TCPRIG_RUN_ICMP_H
#define TCPRIG_RUN_ICMP_H

#include "run/runner_int.h"

int runner_icmp(struct runner *r, const struct case_event *ev);
/* Before anything is sent: TR_USAGE (path:line:col) when an icmp line of s
 * names no message of the family on the wire (wire: AF_INET or AF_INET6),
 * such as packet_too_big on IPv4 (err NULL: just -1). run --family skips
 * such a run before it gets here (case/family.h); other ways in meet this. */
int runner_icmp_check(const struct case_script *s, int wire, struct tr_err *err);

#endif
