/* parse_options.h - --name=value lines before the first event.
 */
#ifndef TCPRIG_CASE_PARSE_OPTIONS_H
#define TCPRIG_CASE_PARSE_OPTIONS_H

#include "case/parse_util.h"

int case_options_line(struct case_ctx *c);

#endif
