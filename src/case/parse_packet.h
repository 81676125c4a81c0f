/* parse_packet.h - '<' and '>' lines: flags, numbers, window, options, ports.
 */
#ifndef TCPRIG_CASE_PARSE_PACKET_H
#define TCPRIG_CASE_PARSE_PACKET_H

#include "case/parse_util.h"

int case_packet(struct case_ctx *c, struct case_event *ev);

#endif
