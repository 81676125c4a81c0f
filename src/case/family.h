/* family.h - the address families a case may run in: IPv4 and IPv6 unless
 * it says otherwise, either in its header,
 *	// family: ipv4  it checks the IPv4 header's DF bit
 * (the first word names the one family, the rest of the line says why), or
 * with packetdrill's --ip_version option, which pins the case to that
 * family (ipv4-mapped-ipv6 is IPv4 on the wire), or by an icmp line that
 * names one family's message only (`packet_too_big` is ICMPv6's,
 * `unreachable frag_needed` ICMPv4's). The header is read from the file's
 * text, like the other header lines (meta.h), since the parser drops
 * comments.
 */
#ifndef TCPRIG_CASE_FAMILY_H
#define TCPRIG_CASE_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "case/case.h"
#include "core/err.h"

struct case_family {
	bool ipv4, ipv6;  /* which families the case may run in */
	char why[160];    /* when one is barred: why, for a SKIP line */
};

/* Reads s's header and icmp lines. A `// family:` line naming something
 * else than ipv4 or ipv6 is TR_USAGE at its path:line:col, as is an icmp
 * line that leaves the case no family. */
int case_family_read(const struct case_script *s, struct case_family *f, struct tr_err *err);
/* Whether f allows family (AF_INET or AF_INET6). */
bool case_family_allows(const struct case_family *f, int family);
/* run --family's value: "ipv4", "ipv6" or "both" into *ipv4 and *ipv6;
 * anything else is TR_USAGE naming it. */
int case_family_parse(const char *arg, bool *ipv4, bool *ipv6, struct tr_err *err);
/* "ipv4" for AF_INET, "ipv6" for AF_INET6. */
const char *case_family_name(int family);

#endif
