/* parse_shell.h - backtick lines, which may run over several lines.
 */
#ifndef TCPRIG_CASE_PARSE_SHELL_H
#define TCPRIG_CASE_PARSE_SHELL_H

#include "case/parse_util.h"

int case_shell(struct case_ctx *c, struct case_event *ev, int tcol);
int case_shell_more(struct case_ctx *c);

#endif
