/* callcheck.h - a case refused before its run when a line of it could not
 * be played as written: every socket-call line (and `|` alternative) built
 * into its agent request by the same code that builds it during the run
 * (call.h), an icmp line checked against the family on the wire (icmp.h).
 *
 * What only the run knows - the lab's addresses, the fds the script's
 * numbers name, the ports - is not needed: the builders judge a line's
 * shape and its sockets' family, and only copy those values (call_args.h).
 * So a malformed line is TR_USAGE before any lab, namespace or frame exists:
 *	path:line:col: setsockopt: a tcp_md5sig has no member 'tcpm_kye' (...)
 *	the offending line
 *	      ^ (under the argument; the call's name when no argument is to blame)
 * A statement written over several lines is placed on its own line.
 */
#ifndef TCPRIG_RUN_CALLCHECK_H
#define TCPRIG_RUN_CALLCHECK_H

#include <stdbool.h>

#include "case/case.h"
#include "core/err.h"
#include "run/config.h"

/* Every call line of s built for sockets on wire family wire (AF_INET or
 * AF_INET6; AF_INET6 sockets over IPv4 when v4_mapped): 0, or -1 and a
 * TR_USAGE error at the first line that cannot be. The runner's own calls
 * (sock_state, nstat) are the parser's to check. */
int call_check_case(const struct case_script *s, int wire, bool v4_mapped, struct tr_err *err);

/* The family s runs in on the wire under cfg: the script's --ip_version,
 * else run --family's, else the case's own (IPv4 unless its icmp lines name
 * ICMPv6 messages only); IPv4 against a remote target. */
int runner_wire_family(const struct case_script *s, const struct run_config *cfg);

/* All of the above for s as cfg would run it: 0, or -1 and TR_USAGE. */
int runner_check(const struct case_script *s, const struct run_config *cfg, struct tr_err *err);

#endif
