/* parse_ipinfo.h - the IP marks a packet line may carry right after its
 * direction, packetdrill's `[ip_info]`: an ECN codepoint (`[ect0]`,
 * `[ect1]`, `[ce]`, `[noecn]`; `[ect01]`, either ECT, on `>` lines only) or
 * a whole TOS byte (`[tos 0x10]`), in brackets or parentheses. On a `<`
 * line the mark is what the rig puts in the IPv4 TOS byte / IPv6 traffic
 * class (none: 0); on a `>` line what the target's must hold (none: not
 * checked). packetdrill's `flowlabel` and `ttl` marks are refused by name.
 */
#ifndef TCPRIG_CASE_PARSE_IPINFO_H
#define TCPRIG_CASE_PARSE_IPINFO_H

#include <stdbool.h>

#include "case/parse_util.h"

/* If the next token opens a mark, reads it into ev->u.pkt (seg.tos and the
 * CASE_PKT_ECN / CASE_PKT_ECT01 / CASE_PKT_TOS bits); *given says whether
 * one was there. ev->kind says the line's direction. */
int case_ip_info(struct case_ctx *c, struct case_event *ev, bool *given);

#endif
