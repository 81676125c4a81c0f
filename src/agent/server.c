/* server.c - the target agent: serving requests one at a time (socket
 * calls, socket state, counters and sysctls; shell lines are shell.c's)
 * whatever carries them, parking the channel, and the lab's child that
 * sets itself up in the target namespace. */
#include "agent/server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/calls.h"
#include "agent/hooks.h"
#include "agent/proto.h"
#include "agent/queries.h"
#include "agent/shell.h"
#include "agent/signals.h"
#include "agent/stamp.h"
#include "core/clock.h"
#include "core/pacer.h"
#include "lab/lab.h"

/* The channel, parked high (agent_server_park_fds): no case may touch it. */
static int agent_ctl_fd = -1;

void agent_serve(const struct agent_req *req, struct agent_reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (agent_req_check(req, agent_hooks()->allow_shell, rep)) {
		/* A call refused (a bad fd, a length over its buffer) answers
		 * at its time, as one the kernel refused would: the lines
		 * after it count from there. An unknown op at once. */
		if (req->start_at_us && req->op >= AGENT_SOCKET && req->op <= AGENT_OP_LAST)
			pacer_sleep_until(req->start_at_us);
		rep->start_us = rep->done_us = clock_mono_us();
		return;
	}
	agent_stamp_request(req->seq, req->flags);
	rep->run_delay_us = rep->slept = -1;
	if (req->start_at_us)
		pacer_sleep_until(req->start_at_us);
	if (agent_op_is_call(req->op)) {
		agent_do_call(req, rep, agent_ctl_fd);
		/* Refused before the call: it took no time. */
		if (!rep->start_us)
			rep->start_us = rep->done_us = clock_mono_us();
		return;
	}
	switch (req->op) {
	case AGENT_SHELL:
		agent_enter(rep);
		agent_do_shell(req, rep);
		break;
	case AGENT_SOCK_STATE:
		agent_enter(rep);
		agent_do_sock_state(req, rep);
		break;
	case AGENT_COUNTER:
		agent_enter(rep);
		agent_do_counter(req, rep);
		break;
	case AGENT_SYSCTL_GET:
	case AGENT_SYSCTL_SET:
		agent_enter(rep);
		agent_do_sysctl(req, rep);
		break;
	case AGENT_TCP_INFO:
		agent_enter(rep);
		agent_do_tcp_info(req, rep, agent_ctl_fd);
		break;
	default: /* the socket calls, served above (agent_op_is_call's list) */
		break;
	}
	agent_leave(rep);
}

static int agent_child_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* This thread's schedstat, opened on the fd just below the channel; -1
 * without it (run_delay_us is then -1, nothing else changes). */
static int agent_child_stat_fd(int high)
{
	int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC), parked = -1;

	if (fd < 0)
		return -1;
	if (fd == high - 1 || (high - 1 >= 3 && dup3(fd, high - 1, O_CLOEXEC) >= 0))
		parked = high - 1;
	if (fd != parked)
		close(fd);
	return parked;
}

int agent_server_park_fds(int ctl, struct agent_board *board)
{
	struct rlimit rl;
	int high = AGENT_CONTROL_FD;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur <= (rlim_t)high)
		high = (int)rl.rlim_cur - 1;
	if (high < 3)
		return -1;
	if (ctl != high) {
		if (dup3(ctl, high, O_CLOEXEC) < 0)
			return -1;
	}
	if (close_range(3, (unsigned)high - 1, 0) || close_range((unsigned)high + 1, ~0U, 0))
		return -1;
	agent_ctl_fd = high;
	agent_stamp_setup(board, agent_child_stat_fd(high));
	return high;
}

static void agent_child_send(int ctl, const struct agent_reply *rep)
{
	ssize_t n;

	do
		n = send(ctl, rep, sizeof(*rep), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*rep))
		_exit(1);
}

void agent_child_main(int ctl, int nsfd, const char *workdir, pid_t parent,
		      struct agent_board *board)
{
	static struct agent_req req;
	static struct agent_reply rep;
	struct tr_err e;
	ssize_t n;

	agent_child_signals();
	memset(&rep, 0, sizeof(rep));
	/* SIGTERM, not SIGKILL: the handler takes the shell line along. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(1);
	if (lab_enter(nsfd, &e))
		agent_fail(&rep, errno, "agent: %s", e.msg);
	else if (workdir && chdir(workdir))
		agent_fail(&rep, errno, "agent: chdir %.900s: %s", workdir, strerror(errno));
	else if (agent_child_stdio())
		agent_fail(&rep, errno, "agent: /dev/null: %s", strerror(errno));
	if (rep.ret) {
		agent_child_send(ctl, &rep);
		_exit(1);
	}
	ctl = agent_server_park_fds(ctl, board);
	if (ctl < 0) {
		/* The channel may be gone with the others: just leave. */
		_exit(1);
	}
	rep.done_us = clock_mono_us();
	agent_child_send(ctl, &rep);
	for (;;) {
		n = recv(ctl, &req, sizeof(req), 0);
		if (n == 0)
			_exit(0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		if ((size_t)n != sizeof(req)) {
			memset(&rep, 0, sizeof(rep));
			agent_fail(&rep, EPROTO, "request of %zd bytes", n);
			rep.done_us = clock_mono_us();
		} else {
			agent_serve(&req, &rep);
		}
		agent_child_send(ctl, &rep);
	}
}
