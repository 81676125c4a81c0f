/* parse_call.h - socket-call lines: the call, its arguments as expressions (symbols,
 * lists, structs), the result and errno.
 */
#ifndef TCPRIG_CASE_PARSE_CALL_H
#define TCPRIG_CASE_PARSE_CALL_H

#include "case/parse_util.h"

int case_call(struct case_ctx *c, struct case_event *ev);

#endif
