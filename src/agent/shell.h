/* shell.h - the target agent's shell lines: /bin/sh -c in a process group
 * of its own, with a timeout; the tail of what it wrote comes back.
 */
#ifndef TCPRIG_AGENT_SHELL_H
#define TCPRIG_AGENT_SHELL_H

#include "agent/proto.h"

/* How often a child's exit is checked where no pidfd tells. */
#define AGENT_EXIT_POLL_MS 5

/* Serves an AGENT_SHELL request. */
void agent_do_shell(const struct agent_req *req, struct agent_reply *rep);

#endif
