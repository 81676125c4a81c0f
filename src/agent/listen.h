/* listen.h - `tcprig agent --listen`: the agent on a host of its own,
 * serving one rig session at a time over TCP (session.h). A rig that comes
 * while a session runs is told the agent is busy. After each session, the
 * sysctls it set are put back. SIGINT or SIGTERM end the session running,
 * restore, and end the listener. It runs until then.
 */
#ifndef TCPRIG_AGENT_LISTEN_H
#define TCPRIG_AGENT_LISTEN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>

#include "agent/auth.h"
#include "core/err.h"

struct agent_listen_config {
	struct sockaddr_in addr;
	struct agent_token token;
	bool allow_shell;
	/* Where the agent says what happens (a line a session start, end,
	 * refusal): the caller's choice, stderr for `tcprig agent`. */
	FILE *log;
};

/* "ADDR:PORT" (IPv4) into a socket address; err names the value. */
int agent_parse_hostport(const char *s, struct sockaddr_in *out, struct tr_err *err);
/* Serves until SIGINT/SIGTERM; 0 then, -1 with err if it could not listen. */
int agent_listen_run(const struct agent_listen_config *cfg, struct tr_err *err);

#endif
