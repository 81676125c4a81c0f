/* agent.c - the target agent, the runner's side: starting the child,
 * sending it requests and taking its replies, stopping it. The child itself
 * is in server.c, its shell lines in shell.c. */
#include "agent/agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/server.h"
#include "agent/shell.h"
#include "core/clock.h"

/* Setting up means setns, chdir and a few fds: a child that is not ready
 * by then is stuck, not slow. */
#define AGENT_START_TIMEOUT_MS 5000
#define AGENT_STOP_GRACE_MS 1000

/* True once the child is reaped (within timeout_ms; < 0: however long). */
static bool agent_reap(struct agent *a, int timeout_ms)
{
	uint64_t deadline = clock_mono_us() + (uint64_t)timeout_ms * 1000u;
	struct pollfd pfd = {.fd = a->pidfd, .events = POLLIN};
	int st;
	pid_t r;

	if (a->pid <= 0)
		return true;
	if (timeout_ms < 0) {
		do
			r = waitpid(a->pid, &st, 0);
		while (r < 0 && errno == EINTR);
	} else {
		for (;;) {
			r = waitpid(a->pid, &st, WNOHANG);
			if (r != 0 && !(r < 0 && errno == EINTR))
				break;
			if (clock_mono_us() >= deadline)
				return false;
			if (a->pidfd >= 0)
				poll(&pfd, 1, timeout_ms);
			else
				usleep(AGENT_EXIT_POLL_MS * 1000);
		}
	}
	if (r == a->pid)
		a->wstatus = st;
	/* r < 0: someone else reaped it (SIGCHLD ignored); it is gone all
	 * the same. */
	a->pid = 0;
	return true;
}

static void agent_describe_exit(const struct agent *a, char *buf, size_t len)
{
	if (a->pid > 0)
		snprintf(buf, len, "still running");
	else if (WIFSIGNALED(a->wstatus))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(a->wstatus));
	else
		snprintf(buf, len, "exit status %d", WEXITSTATUS(a->wstatus));
}

/* Reads one reply; the agent gone shows as end of file. */
static int agent_recv(struct agent *a, struct agent_reply *reply, const char *what,
		      struct tr_err *err)
{
	char how[48];
	ssize_t n;

	do
		n = recv(a->fd, reply, sizeof(*reply), MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return err_usage(err, "agent: %s: no reply yet", what);
	if (n < 0)
		return err_sys(err, "agent: %s: receive", what);
	if (n == 0) {
		a->busy = false;
		agent_reap(a, 100);
		agent_describe_exit(a, how, sizeof(how));
		return err_env(err, "agent: %s: the target agent is gone (%s)", what, how);
	}
	if ((size_t)n != sizeof(*reply))
		return err_env(err, "agent: %s: reply of %zd bytes", what, n);
	return 0;
}

int agent_start(struct agent *a, const struct lab *lab, const char *workdir, struct tr_err *err)
{
	struct agent_reply hello;
	struct pollfd pfd;
	int sv[2], r;
	pid_t parent = getpid();

	*a = (struct agent){.fd = -1, .pidfd = -1};
	if (lab->target_nsfd < 0)
		return err_usage(err, "agent: the lab has no target namespace open");
	a->board = mmap(NULL, sizeof(*a->board), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a->board == MAP_FAILED) {
		a->board = NULL;
		return err_sys(err, "agent: board");
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		err_sys(err, "agent: socketpair");
		agent_stop(a, NULL);
		return -1;
	}
	a->pid = fork();
	if (a->pid < 0) {
		err_sys(err, "agent: fork");
		close(sv[0]);
		close(sv[1]);
		a->pid = 0;
		agent_stop(a, NULL);
		return -1;
	}
	if (a->pid == 0) {
		close(sv[0]);
		agent_child_main(sv[1], lab->target_nsfd, workdir, parent, a->board);
		_exit(1);
	}
	close(sv[1]);
	a->fd = sv[0];
	/* Without a pidfd (valgrind, old kernels) stopping polls instead. */
	a->pidfd = pidfd_open(a->pid, 0);
	if (fcntl(a->fd, F_SETFL, O_NONBLOCK)) {
		err_sys(err, "agent: set up the channel");
		agent_stop(a, NULL);
		return -1;
	}
	pfd = (struct pollfd){.fd = a->fd, .events = POLLIN};
	while ((r = poll(&pfd, 1, AGENT_START_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	if (r == 0)
		err_env(err, "agent: not ready after %d ms", AGENT_START_TIMEOUT_MS);
	else if (r < 0)
		err_sys(err, "agent: wait for the agent");
	else if (agent_recv(a, &hello, "start", err) == 0) {
		if (hello.ret == 0)
			return 0;
		err_env(err, "%s", hello.out);
	}
	agent_stop(a, NULL);
	return -1;
}

int agent_submit(struct agent *a, const struct agent_req *req, struct tr_err *err)
{
	struct agent_req sent;
	ssize_t n;

	if (a->fd < 0)
		return err_usage(err, "agent: %s: the agent is not running",
				 agent_op_name(req->op));
	if (a->busy)
		return err_usage(err, "agent: %s: a call is still outstanding",
				 agent_op_name(req->op));
	sent = *req;
	/* 0 is what the board says before any request started. */
	sent.seq = ++a->seq ? a->seq : ++a->seq;
	do
		n = send(a->fd, &sent, sizeof(sent), MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_sys(err, "agent: %s: send", agent_op_name(req->op));
	if ((size_t)n != sizeof(*req))
		return err_env(err, "agent: %s: short send", agent_op_name(req->op));
	a->busy = true;
	return 0;
}

bool agent_busy(const struct agent *a)
{
	return a->busy;
}

bool agent_started(const struct agent *a, uint64_t *start_us)
{
	if (!a->board || !a->busy ||
	    atomic_load_explicit(&a->board->started, memory_order_acquire) != a->seq)
		return false;
	*start_us = atomic_load_explicit(&a->board->start_us, memory_order_relaxed);
	return true;
}

int agent_fd(const struct agent *a)
{
	return a->fd;
}

int agent_collect(struct agent *a, struct agent_reply *reply, struct tr_err *err)
{
	if (a->fd < 0)
		return err_usage(err, "agent: collect: the agent is not running");
	if (!a->busy)
		return err_usage(err, "agent: collect: no call outstanding");
	if (agent_recv(a, reply, "collect", err))
		return -1;
	a->busy = false;
	return 0;
}

int agent_call(struct agent *a, const struct agent_req *req, struct agent_reply *reply,
	       int timeout_ms, struct tr_err *err)
{
	struct pollfd pfd = {.fd = a->fd, .events = POLLIN};
	uint64_t deadline = clock_mono_us() + (uint64_t)timeout_ms * 1000u;
	int left = timeout_ms, r;

	if (agent_submit(a, req, err))
		return -1;
	for (;;) {
		if (timeout_ms >= 0) {
			uint64_t now = clock_mono_us();

			left = now >= deadline ? 0 : (int)((deadline - now + 999) / 1000);
		}
		r = poll(&pfd, 1, left);
		if (r > 0)
			break;
		if (r == 0)
			return err_env(err, "agent: %s: no reply within %d ms",
				       agent_op_name(req->op), timeout_ms);
		if (errno != EINTR)
			return err_sys(err, "agent: %s: poll", agent_op_name(req->op));
	}
	return agent_collect(a, reply, err);
}

int agent_stop(struct agent *a, struct tr_err *err)
{
	int ret = 0;

	if (a->fd >= 0) {
		close(a->fd);
		a->fd = -1;
	}
	/* An idle agent sees the channel close and exits; a busy one is in
	 * a call that may never return. */
	if (a->pid > 0 && a->busy)
		kill(a->pid, SIGTERM);
	if (!agent_reap(a, AGENT_STOP_GRACE_MS)) {
		kill(a->pid, SIGKILL);
		if (!agent_reap(a, -1))
			ret = err_sys(err, "agent: waitpid %d", (int)a->pid);
	}
	if (a->pidfd >= 0) {
		close(a->pidfd);
		a->pidfd = -1;
	}
	if (a->board) {
		munmap(a->board, sizeof(*a->board));
		a->board = NULL;
	}
	a->busy = false;
	return ret;
}
