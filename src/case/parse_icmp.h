/* parse_icmp.h - an icmp line: `< icmp TYPE [CODE] [mtu N] [[a:b(n)]]`,
 * packetdrill's syntax for an ICMP error the rig sends about a segment the
 * target sent (its seq range in the target's numbers). */
#ifndef TCPRIG_CASE_PARSE_ICMP_H
#define TCPRIG_CASE_PARSE_ICMP_H

#include "case/parse_util.h"

/* The line's direction token is read (dir); the next token is `icmp`. */
int case_icmp_line(struct case_ctx *c, struct case_event *ev, const struct lex_token *dir);

#endif
