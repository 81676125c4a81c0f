/* server.h - the target agent itself: the child the runner forks, which
 * sets itself up in the target's network namespace and serves requests,
 * one at a time, until the channel closes.
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

#endif
