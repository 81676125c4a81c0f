/* sysctl.h - read and set net.* sysctls through /proc/sys.
 *
 * A /proc/sys/net file speaks for the network namespace of the thread that
 * opens it, so these act on the calling thread's namespace: the agent calls
 * them from inside the target's. Only net.* knobs are accepted: every other
 * tree is shared with the host.
 *
 * Names are sysctl(8)'s: "net.ipv4.tcp_rfc1337", or with slashes when a
 * component holds a dot ("net/ipv4/conf/eth0.100/rp_filter"). Values are
 * strings as the kernel prints them, without the final newline; a knob with
 * several fields reads as "32768\t60999", and writing that string back
 * restores it exactly.
 *
 * A knob this kernel (or this namespace) lacks is not an error: the call
 * returns 1, so that a case can be skipped with "knob absent: NAME".
 */
#ifndef TCPRIG_SYSCTL_H
#define TCPRIG_SYSCTL_H

#include <stddef.h>

#include "core/err.h"

#define SYSCTL_VALUE_MAX 1024

/* Reads NAME into value (len bytes, NUL-terminated). 0, 1 if absent, -1. */
int sysctl_get(const char *name, char *value, size_t len, struct tr_err *err);
/* Writes value to NAME; old (may be NULL) receives what it held before.
 * 0, 1 if absent (nothing written), -1. */
int sysctl_set(const char *name, const char *value, char *old, size_t oldlen, struct tr_err *err);

#endif
