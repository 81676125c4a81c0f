/* override.h - a case run under sysctl values from the command line
 * (`run --sysctl`, `matrix --sysctl`): each replaces the case's own
 * --sysctl line for the same knob, or is added to them.
 *
 * The result is a shallow copy of the script: it shares everything with the
 * original (which must outlive it) but its list of sysctls, and it is freed
 * with case_override_free(), never case_script_free().
 */
#ifndef TCPRIG_CASE_OVERRIDE_H
#define TCPRIG_CASE_OVERRIDE_H

#include <stddef.h>

#include "case/case.h"
#include "core/err.h"

/* "net.ipv4.tcp_rfc1337=1": a net.* name of [a-z0-9_./-], '=', a value
 * (blanks only between its fields: "net.ipv4.ip_local_port_range=40000
 * 40001"). A TR_USAGE error quoting what is wrong otherwise. */
int case_override_check(const char *what, const char *spec, struct tr_err *err);
/* A command's --sysctl SPEC: checked, then appended to list (*n of max). */
int case_override_add(const char *spec, char **list, size_t *n, size_t max, struct tr_err *err);

int case_override_sysctls(const struct case_script *s, char *const *set, size_t nset,
			  struct case_script *out, struct tr_err *err);
void case_override_free(struct case_script *out);

#endif
