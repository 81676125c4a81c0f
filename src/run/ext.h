/* ext.h - the dialect's extensions: --sysctl options, sock_state() and nstat().
 */
#ifndef TCPRIG_RUN_EXT_H
#define TCPRIG_RUN_EXT_H

#include "run/runner_int.h"

int runner_sysctls_apply(struct runner *r);
void runner_sysctls_restore(struct runner *r);
int runner_counters_baseline(struct runner *r);
/* 1 if ev is an extension call it handled, 0 if not one, -1 on error. */
int runner_ext_call(struct runner *r, const struct case_event *ev);

#endif
