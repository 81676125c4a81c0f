/* pool_check.h - the cases a command is about to hand to the pool, checked
 * all before the first starts (callcheck.h): a line that cannot be played is
 * bad input, exit 2, with nothing made or sent - not the FAIL of a target
 * that was never asked. Every command that runs cases (run, run --target,
 * matrix, replay) calls it before it makes or opens anything.
 */
#ifndef TCPRIG_RUN_POOL_CHECK_H
#define TCPRIG_RUN_POOL_CHECK_H

#include <stddef.h>

#include "core/err.h"
#include "run/pool.h"

/* Each case as its cfg would run it; a case marked skip in its own family
 * (the one asked may be one the case bars). 0, or -1 and TR_USAGE at the
 * first line that cannot be played. */
int run_pool_check(const struct run_pool_case *cases, size_t n, struct tr_err *err);

#endif
