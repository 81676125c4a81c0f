/* server.h - the target agent itself: serving requests one at a time,
 * whatever carries them. The lab's agent is a child the runner forks, which
 * sets itself up in the target's network namespace and serves its pipe until
 * it closes (agent_child_main); `tcprig agent --listen` serves the same
 * requests over TCP (session.c), through agent_serve, with the hooks of
 * hooks.h set for its transport.
 */
#ifndef TCPRIG_AGENT_SERVER_H
#define TCPRIG_AGENT_SERVER_H

#include <sys/types.h>

#include "agent/proto.h"

/* The forked child: enters nsfd, goes to workdir, says hello on ctl and
 * serves requests until the channel closes; publishes each call's start on
 * board. Never returns. */
void agent_child_main(int ctl, int nsfd, const char *workdir, pid_t parent,
		      struct agent_board *board);

/* For a transport of its own: */
/* Parks ctl on a high fd (AGENT_CONTROL_FD or below RLIMIT_NOFILE), opens
 * this thread's schedstat beside it, closes every other fd from 3 up (so
 * that a case's first socket() is 3) and publishes call starts on board
 * (NULL: none). Returns the new ctl, which no case's call may touch; -1 on
 * failure. */
int agent_server_park_fds(int ctl, struct agent_board *board);
/* Serves one request (agent_req_check first); rep is filled whatever. */
void agent_serve(const struct agent_req *req, struct agent_reply *rep);

#endif
