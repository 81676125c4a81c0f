/* agent.h - the target agent: a child process inside the target's network
 * namespace that makes the socket calls, shell lines, socket-state, counter
 * and sysctl requests of a case, one at a time, for the runner.
 *
 * The runner and the agent talk over a SOCK_SEQPACKET socketpair: one fixed
 * size struct agent_req per request, one struct agent_reply per answer, no
 * allocation. A call may block in the agent (accept, connect, read) while
 * the runner goes on: agent_submit() returns at once, the runner polls
 * agent_fd() with its other fds and calls agent_collect() once it is
 * readable. agent_call() is the synchronous form, bounded by a timeout.
 *
 * In the agent: stdin is /dev/null, the working directory is the case's
 * directory (upstream scripts run `../common/defaults.sh`), and no fd >= 3
 * is open but its end of the channel, parked high, so the case's first
 * socket() returns 3 as packetdrill scripts expect. It dies with the
 * process that started it (the thread that called agent_start, to be exact:
 * PR_SET_PDEATHSIG), taking any shell line it was running with it.
 *
 */
#ifndef TCPRIG_AGENT_H
#define TCPRIG_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "agent/proto.h"
#include "core/err.h"
#include "lab/lab.h"

struct agent {
	pid_t pid;   /* 0 when not running */
	struct agent_board *board; /* shared with the child */
	uint32_t seq;		   /* the last request submitted */
	int fd;	     /* the runner's end of the channel, non-blocking */
	int pidfd;   /* to wait for it with a timeout; -1 without pidfds */
	bool busy;   /* a request was submitted and not collected */
	int wstatus; /* the child's wait status once reaped */
};

/* Forks the agent into lab's target namespace with workdir (NULL: the
 * current directory) as its working directory, and waits until it is ready;
 * a child that could not set itself up is reaped and its reason returned. */
int agent_start(struct agent *a, const struct lab *lab, const char *workdir, struct tr_err *err);
/* Sends a request; fails if one is outstanding. */
int agent_submit(struct agent *a, const struct agent_req *req, struct tr_err *err);
bool agent_busy(const struct agent *a);
/* True, with the CLOCK_MONOTONIC us at which its system call was entered,
 * once the outstanding request has started in the agent. */
bool agent_started(const struct agent *a, uint64_t *start_us);
/* Readable once the outstanding request's reply has come (or the agent has
 * gone: agent_collect then says how). */
int agent_fd(const struct agent *a);
/* Takes the reply; fails if there is none yet or the agent has gone. */
int agent_collect(struct agent *a, struct agent_reply *reply, struct tr_err *err);
/* submit + wait + collect. timeout_ms < 0: no bound. A request still
 * running at the timeout stays outstanding (agent_stop ends it). */
int agent_call(struct agent *a, const struct agent_req *req, struct agent_reply *reply,
	       int timeout_ms, struct tr_err *err);
/* Closes the channel and waits for the agent; one busy with a call, or not
 * gone within a second, is killed (and its shell line with it). It is
 * always reaped. Safe to call twice, and after a failed agent_start (not
 * on a struct agent_start never saw). */
int agent_stop(struct agent *a, struct tr_err *err);


#endif
