/* counters.h - one kernel SNMP/netstat counter, by the name nstat(8)
 * prints: the section prefix glued to the field, e.g. "TcpExtTCPChallengeACK"
 * or "TcpExtPAWSEstab" (/proc/net/netstat), "TcpOutRsts" (/proc/net/snmp),
 * "Ip6InReceives" (/proc/net/snmp6).
 *
 * Counters are per network namespace; these read the files as the calling
 * thread's namespace sees them (/proc/thread-self/net), so the agent calls
 * them from inside the target's. A name no file carries returns 1: on an
 * older kernel a counter may simply not exist, which is not a read error.
 */
#ifndef TCPRIG_NETSTAT_COUNTERS_H
#define TCPRIG_NETSTAT_COUNTERS_H

#include <stdint.h>

#include "core/err.h"

/* 0 with *value set, 1 if no such counter, -1 on error. A few counters are
 * signed (TcpMaxConn is -1): the value is kept as the kernel prints it. */
int netstat_counter_read(const char *name, int64_t *value, struct tr_err *err);

#endif
