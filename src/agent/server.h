/* server.h - the target agent itself: serving requests one at a time,
 * whatever carries them. The lab's agent is a child the runner forks, which
 * sets itself up in the target's network namespace and serves its pipe until
 * it closes (agent_child_main); `tcprig agent --listen` serves the same
 * requests over TCP (session.c), through agent_serve and the hooks below.
 */
#ifndef TCPRIG_AGENT_SERVER_H
#define TCPRIG_AGENT_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "agent/proto.h"

/* What a transport adds to the agent. */
struct agent_server_hooks {
	void *ctx;
	/* A request flagged AGENT_REQ_NOTIFY_START has entered its call at
	 * start_us (a stream has no shared board); NULL: nobody asks. */
	void (*started)(void *ctx, uint32_t seq, uint64_t start_us);
	/* A sysctl is about to be set; old is its value now. Non-zero
	 * refuses the set (nothing could put it back). NULL: not kept. */
	int (*sysctl_before)(void *ctx, const char *name, const char *old);
	/* Shell lines served (the lab's agent: always). */
	bool allow_shell;
};

/* The forked child: enters nsfd, goes to workdir, says hello on ctl and
 * serves requests until the channel closes; publishes each call's start on
 * board. Never returns. */
void agent_child_main(int ctl, int nsfd, const char *workdir, pid_t parent,
		      struct agent_board *board);

/* For a transport of its own: */
void agent_server_hooks_set(const struct agent_server_hooks *hooks);
/* Parks ctl on a high fd (AGENT_CONTROL_FD or below RLIMIT_NOFILE), opens
 * the schedstat beside it and closes every other fd from 3 up, so that a
 * case's first socket() is 3. Returns the new ctl, -1 on failure. */
int agent_server_park_fds(int ctl);
/* The agent's own fds, which a case's calls may not touch. */
bool agent_server_own_fd(int fd);
/* Serves one request (agent_req_check first); rep is filled whatever. */
void agent_serve(const struct agent_req *req, struct agent_reply *rep);

#endif
