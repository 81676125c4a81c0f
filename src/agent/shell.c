/* shell.c - the target agent's shell lines: /bin/sh -c in a process
 * group of its own, the tail of what it writes, the timeout, and the kill
 * that takes the whole group down, also when the agent itself is signalled. */
#include "agent/shell.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/hooks.h"
#include "agent/signals.h"
#include "core/clock.h"

/* The last bytes a shell line wrote, and how many it wrote in all. */
struct agent_tail {
	char buf[AGENT_OUT_MAX];
	size_t len;
	uint64_t total;
};

static void agent_tail_add(struct agent_tail *t, const char *p, size_t n)
{
	const size_t cap = sizeof(t->buf) - 1;

	t->total += n;
	if (n >= cap) {
		memcpy(t->buf, p + n - cap, cap);
		t->len = cap;
		return;
	}
	if (t->len + n > cap) {
		memmove(t->buf, t->buf + (t->len + n - cap), cap - n);
		t->len = cap - n;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

/* Reads what the pipe holds now; false at end of file or error. */
static bool agent_tail_drain(struct agent_tail *t, int fd)
{
	char chunk[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			agent_tail_add(t, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && errno == EAGAIN;
	}
}

static void agent_shell_exec(const char *cmd, int out_fd)
{
	char pid[16];

	/* Its own group, so that a timeout kills what it started too. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	agent_restore_signals();
	if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0)
		_exit(127);
	/* The case's sockets stay with the agent: a shell line holding one
	 * would keep a connection alive past the case's close(). */
	close_range(3, ~0U, 0);
	/* packetdrill's helpers (common/set_sysctls.py) key their restore
	 * files on PACKETDRILL_PID, and scripts run them as ${PPID}: both are
	 * the agent, the shell's parent. */
	snprintf(pid, sizeof(pid), "%d", (int)getppid());
	setenv("PACKETDRILL_PID", pid, 1);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Whether child pid has exited, without reaping it. pfd: its pidfd's poll
 * result; NULL where pidfd_open is missing (valgrind, kernels before 5.3). */
static bool agent_exited(pid_t pid, const struct pollfd *pfd)
{
	siginfo_t si;

	if (pfd)
		return pfd->revents != 0;
	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

void agent_do_shell(const struct agent_req *req, struct agent_reply *rep)
{
	int timeout_ms =
	    req->arg[0] > 0 && req->arg[0] < INT32_MAX ? (int)req->arg[0] : AGENT_SHELL_TIMEOUT_MS;
	uint64_t deadline = clock_mono_us() + (uint64_t)timeout_ms * 1000u;
	static struct agent_tail tail;
	bool timed_out = false, pipe_open = true;
	struct pollfd pfd[2];
	int pipefd[2], pidfd, wstatus, left, poll_err = 0;
	pid_t pid;

	/* agent_req_check refuses it first; this is the last door before
	 * /bin/sh, for any path that did not pass there. */
	if (!agent_hooks()->allow_shell) {
		agent_fail(rep, EPERM, "shell lines are off: the agent was started without "
				       "--allow-shell");
		rep->status = AGENT_STATUS_REFUSED;
		return;
	}
	memset(&tail, 0, sizeof(tail));
	if (pipe2(pipefd, O_CLOEXEC)) {
		agent_fail(rep, errno, "shell: pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		agent_fail(rep, errno, "shell: fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	if (pid == 0)
		agent_shell_exec(req->text, pipefd[1]);
	/* Both sides set the group, so neither a kill nor the exec races it. */
	setpgid(pid, pid);
	agent_signals_shell(pid);
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	pidfd = pidfd_open(pid, 0);
	for (;;) {
		uint64_t now = clock_mono_us();
		nfds_t n = 0;

		if (now >= deadline) {
			timed_out = true;
			break;
		}
		left = (int)((deadline - now + 999) / 1000);
		if (pidfd >= 0)
			pfd[n++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
		else if (left > AGENT_EXIT_POLL_MS)
			left = AGENT_EXIT_POLL_MS;
		if (pipe_open)
			pfd[n++] = (struct pollfd){.fd = pipefd[0], .events = POLLIN};
		if (poll(pfd, n, left) < 0 && errno != EINTR) {
			poll_err = errno;
			break;
		}
		if (agent_exited(pid, pidfd >= 0 ? &pfd[0] : NULL))
			break;
		if (pipe_open && pfd[n - 1].revents)
			pipe_open = agent_tail_drain(&tail, pipefd[0]);
	}
	/* Until it is reaped, the shell's pid cannot be reused, so its group
	 * is still the one it made: whatever it left running goes now. */
	kill(-pid, SIGKILL);
	waitpid(pid, &wstatus, 0);
	agent_signals_shell(0);
	if (pipe_open)
		agent_tail_drain(&tail, pipefd[0]);
	close(pipefd[0]);
	if (pidfd >= 0)
		close(pidfd);
	while (tail.len && tail.buf[tail.len - 1] == '\n')
		tail.len--;
	memcpy(rep->out, tail.buf, tail.len);
	rep->out[tail.len] = '\0';
	rep->value = (int64_t)tail.total;
	if (poll_err) {
		agent_fail(rep, poll_err, "shell: poll: %s", strerror(poll_err));
	} else if (timed_out) {
		rep->ret = -1;
		rep->err = ETIMEDOUT;
		rep->status = AGENT_STATUS_TIMEOUT;
	} else if (WIFSIGNALED(wstatus)) {
		rep->status = 128 + WTERMSIG(wstatus);
	} else {
		rep->status = WEXITSTATUS(wstatus);
	}
}
