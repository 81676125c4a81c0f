/* agent_int.h - what the target agent's files share (agent.c: the runner's
 * side; agent_server.c: the child and its request loop; agent_shell.c: shell
 * lines). Not for use outside the agent. */
#ifndef TCPRIG_AGENT_INT_H
#define TCPRIG_AGENT_INT_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "agent.h"
#include "clock.h"

/* One shared page: the agent stores start_us, then started = the request's
 * seq (release); the runner reads started (acquire), then start_us. */
struct agent_board {
	_Atomic uint32_t started;
	_Atomic uint64_t start_us;
};

/* How often a child's exit is checked where no pidfd tells. */
#define AGENT_EXIT_POLL_MS 5

/* In the agent: rep fails with errnum (ret -1) and out says why. */
void agent_fail(struct agent_reply *rep, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Default dispositions for every signal, and none blocked. */
void agent_restore_signals(void);
/* Serves an AGENT_SHELL request. */
void agent_do_shell(const struct agent_req *req, struct agent_reply *rep);
/* The agent's handler for SIGTERM, SIGINT and SIGHUP: kills the running
 * shell line's process group, then exits 128 + sig. */
void agent_on_signal(int sig);
/* The forked child: enters nsfd, goes to workdir, says hello on ctl and
 * serves requests until the channel closes. Never returns. */
void agent_child_main(int ctl, int nsfd, const char *workdir, pid_t parent,
		      struct agent_board *board);

#endif
