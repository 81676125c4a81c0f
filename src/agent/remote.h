/* remote.h - the runner's client of `tcprig agent --listen` on another host.
 *
 * agent_start_remote connects, proves the token and checks that the agent
 * knows it too (auth.h), learns the agent's clock, and then forks a relay
 * that speaks the stream to the agent and the lab agent's pipe and board to
 * the runner: everything in agent.h (submit, started, collect, call, stop)
 * works on it unchanged. Times in replies are translated to the rig's clock
 * (and start_at_us to the agent's) by the offset measured at the start,
 * good to half the round trip of the best of a few exchanges.
 *
 * Stopping the agent (agent_stop) ends the session: the agent then closes
 * the case's sockets, and every TCP socket talking to rig_addr (the rig's
 * phantom; 0.0.0.0: none; self: the rig host's own address, whose other
 * connections to the host are spared: only those on a port the session's
 * sockets had), forgets what its kernel learnt of rig_addr (tcp_metrics),
 * and restores the sysctls it set.
 */
#ifndef TCPRIG_AGENT_REMOTE_H
#define TCPRIG_AGENT_REMOTE_H

#include <netinet/in.h>
#include <stdint.h>

#include "agent/agent.h"
#include "agent/auth.h"
#include "core/err.h"

/* A wrong token, or an agent that does not prove its own: TR_USAGE (the
 * user's to fix), nothing was run. An agent busy with another session or
 * unreachable: TR_ENV. */
int agent_start_remote(struct agent *a, const struct sockaddr_in *addr,
		       const struct agent_token *tok, struct in_addr rig_addr, bool self,
		       struct tr_err *err);

#endif
