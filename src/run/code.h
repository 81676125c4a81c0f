/* code.h - packetdrill's `%{ ... }%` blocks: Python assertions over the
 * socket's TCP_INFO. At a block's time the rig asks the agent for the
 * TCP_INFO of the case's connection (the socket connected to the rig's
 * address, else the socket made or accepted last); after the case, if every
 * line held, python3 runs the blocks in order, each over the values read for
 * it, with packetdrill's names (tcpi_*, TCP_CA_*, TCPI_OPT_*, the TCP
 * states). An assertion that fails, or any error, fails the case at the
 * block's line with the Python line that failed and the values it read.
 * Without python3 the case cannot say anything: SKIP.
 */
#ifndef TCPRIG_RUN_CODE_H
#define TCPRIG_RUN_CODE_H

#include "run/runner_int.h"

/* Reads the TCP_INFO for block ev at its time. */
int runner_code(struct runner *r, const struct case_event *ev);
/* After the case: runs the blocks read, if the case passed so far. */
int runner_code_review(struct runner *r);
void runner_code_free(struct runner *r);

#endif
