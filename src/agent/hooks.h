/* hooks.h - what a transport adds to the agent's serving: a notice when a
 * call starts (a stream has no board the rig can read), a journal of each
 * sysctl before it changes, and whether shell lines are served. The lab's
 * pipe sets none of them (and serves shell lines); `tcprig agent --listen`
 * sets them all for its session (session.c), and the ports its sockets had. A module below stamp,
 * queries, shell and server, which read it, so that none of them needs the
 * server's header.
 */
#ifndef TCPRIG_AGENT_HOOKS_H
#define TCPRIG_AGENT_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

struct agent_hooks {
	void *ctx;
	/* A request flagged AGENT_REQ_NOTIFY_START has entered its call at
	 * start_us; NULL: nobody asks. */
	void (*started)(void *ctx, uint32_t seq, uint64_t start_us);
	/* A sysctl is about to be set; old is its value now. Non-zero
	 * refuses the set (nothing could put it back). NULL: not kept. */
	int (*sysctl_before)(void *ctx, const char *name, const char *old);
	/* A socket of the case's has local port port (host order) after a
	 * bind, listen, connect, accept or sendto. NULL: not kept. */
	void (*port_used)(void *ctx, uint16_t port);
	/* Shell lines served (the lab's agent: always). */
	bool allow_shell;
};

/* Replaces the process's hooks (a session child sets them once). */
void agent_hooks_set(const struct agent_hooks *hooks);
/* The hooks in force: the lab's until set. */
const struct agent_hooks *agent_hooks(void);

#endif
