/* agent.c - the target agent: a forked child in the target namespace serving
 * one request at a time over a SOCK_SEQPACKET socketpair. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netstat_counters.h"
#include "sock_diag.h"
#include "sysctl.h"

/* Setting up means setns, chdir and a few fds: a child that is not ready
 * by then is stuck, not slow. */
#define AGENT_START_TIMEOUT_MS 5000
#define AGENT_STOP_GRACE_MS 1000
/* How often a child's exit is checked where no pidfd tells. */
#define AGENT_EXIT_POLL_MS 5
/* read/write sizes above this are refused rather than allocated. */
#define AGENT_IO_MAX (64u << 20)

/* The shell line's process group while it runs, for the signal handler. */
static volatile sig_atomic_t agent_shell_pgid;

static uint64_t agent_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void agent_req_init(struct agent_req *req, enum agent_op op)
{
	memset(req, 0, sizeof(*req));
	req->op = op;
}

const char *agent_op_name(enum agent_op op)
{
	switch (op) {
	case AGENT_SOCKET:
		return "socket";
	case AGENT_BIND:
		return "bind";
	case AGENT_LISTEN:
		return "listen";
	case AGENT_ACCEPT:
		return "accept";
	case AGENT_CONNECT:
		return "connect";
	case AGENT_READ:
		return "read";
	case AGENT_WRITE:
		return "write";
	case AGENT_SHUTDOWN:
		return "shutdown";
	case AGENT_CLOSE:
		return "close";
	case AGENT_SETSOCKOPT:
		return "setsockopt";
	case AGENT_GETSOCKOPT:
		return "getsockopt";
	case AGENT_FCNTL:
		return "fcntl";
	case AGENT_SHELL:
		return "shell";
	case AGENT_SOCK_STATE:
		return "sock_state";
	case AGENT_COUNTER:
		return "counter";
	case AGENT_SYSCTL_GET:
		return "sysctl_get";
	case AGENT_SYSCTL_SET:
		return "sysctl_set";
	}
	return "unknown";
}

/* ---- in the agent ---- */

static void agent_fail(struct agent_reply *rep, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void agent_fail(struct agent_reply *rep, int errnum, const char *fmt, ...)
{
	va_list ap;

	rep->ret = -1;
	rep->err = errnum;
	va_start(ap, fmt);
	vsnprintf(rep->out, sizeof(rep->out), fmt, ap);
	va_end(ap);
}

/* An errno for a library call that filled a tr_err: bad input is EINVAL,
 * anything else keeps the errno it failed with. */
static void agent_fail_err(struct agent_reply *rep, const struct tr_err *e, int errnum)
{
	if (e->status == TR_USAGE || !errnum)
		errnum = EINVAL;
	agent_fail(rep, errnum, "%s", e->msg);
}

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

static void agent_restore_signals(void)
{
	struct sigaction dfl;
	sigset_t none;
	int sig;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void agent_shell_exec(const char *cmd, int out_fd)
{
	/* Its own group, so that a timeout kills what it started too. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	agent_restore_signals();
	if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0)
		_exit(127);
	/* The case's sockets stay with the agent: a shell line holding one
	 * would keep a connection alive past the case's close(). */
	close_range(3, ~0U, 0);
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

static void agent_do_shell(const struct agent_req *req, struct agent_reply *rep)
{
	int timeout_ms =
	    req->arg[0] > 0 && req->arg[0] < INT32_MAX ? (int)req->arg[0] : AGENT_SHELL_TIMEOUT_MS;
	uint64_t deadline = agent_now_us() + (uint64_t)timeout_ms * 1000u;
	static struct agent_tail tail;
	bool timed_out = false, pipe_open = true;
	struct pollfd pfd[2];
	int pipefd[2], pidfd, wstatus, left, poll_err = 0;
	pid_t pid;

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
	agent_shell_pgid = pid;
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	pidfd = pidfd_open(pid, 0);
	for (;;) {
		uint64_t now = agent_now_us();
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
	agent_shell_pgid = 0;
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

static void agent_do_sock_state(const struct agent_req *req, struct agent_reply *rep)
{
	struct sock_diag_match m;
	struct tr_err e;
	const char *name;
	int ret;

	ret = sock_diag_tcp_find(&req->addr, &req->peer, &m, &e);
	if (ret < 0) {
		agent_fail_err(rep, &e, errno);
		return;
	}
	name = sock_diag_state_name(m.state);
	rep->value = m.state;
	rep->status = (int)m.count;
	snprintf(rep->out, sizeof(rep->out), "%s", name ? name : "UNKNOWN");
}

static void agent_do_counter(const struct agent_req *req, struct agent_reply *rep)
{
	struct tr_err e;
	int ret;

	ret = netstat_counter_read(req->text, &rep->value, &e);
	if (ret < 0) {
		agent_fail_err(rep, &e, errno);
	} else if (ret > 0) {
		agent_fail(rep, ENOENT, "counter absent: %.512s", req->text);
		rep->status = AGENT_STATUS_ABSENT;
	}
}

static void agent_do_sysctl(const struct agent_req *req, struct agent_reply *rep)
{
	char name[AGENT_TEXT_MAX], *eq;
	struct tr_err e;
	int ret;

	memcpy(name, req->text, sizeof(name));
	if (req->op == AGENT_SYSCTL_GET) {
		ret = sysctl_get(name, rep->out, sizeof(rep->out), &e);
	} else {
		eq = strchr(name, '=');
		if (!eq) {
			agent_fail(rep, EINVAL, "sysctl: '%.512s' is not NAME=VALUE", name);
			return;
		}
		*eq = '\0';
		ret = sysctl_set(name, eq + 1, rep->out, sizeof(rep->out), &e);
	}
	if (ret < 0) {
		agent_fail_err(rep, &e, errno);
	} else if (ret > 0) {
		agent_fail(rep, ENOENT, "knob absent: %.512s", name);
		rep->status = AGENT_STATUS_ABSENT;
	}
}

/* The buffer a read or write of len bytes needs; NULL with rep filled. */
static void *agent_io_buffer(uint32_t len, struct agent_reply *rep)
{
	void *buf;

	if (len > AGENT_IO_MAX) {
		agent_fail(rep, EINVAL, "%u bytes is over the agent's limit of %u", len,
			   AGENT_IO_MAX);
		return NULL;
	}
	/* calloc: write() sends zeros, and malloc(0) may return NULL. */
	buf = calloc(1, len ? len : 1);
	if (!buf)
		agent_fail(rep, ENOMEM, "no memory for %u bytes", len);
	return buf;
}

static bool agent_fcntl_cmd_ok(int64_t cmd)
{
	return cmd == F_GETFL || cmd == F_SETFL || cmd == F_GETFD || cmd == F_SETFD;
}

/* Socket calls: the reply is the syscall's own result. */
static void agent_do_call(const struct agent_req *req, struct agent_reply *rep, int ctl)
{
	int fd = (int)req->arg[0];
	socklen_t optlen;
	void *buf;

	if (req->op != AGENT_SOCKET && (req->arg[0] < 0 || req->arg[0] > INT32_MAX || fd == ctl)) {
		/* The agent's own channel is not the case's to touch. */
		rep->ret = -1;
		rep->err = EBADF;
		return;
	}
	if ((req->op == AGENT_BIND || req->op == AGENT_CONNECT) &&
	    req->addrlen > sizeof(req->addr)) {
		agent_fail(rep, EINVAL, "address length %u", req->addrlen);
		return;
	}
	if ((req->op == AGENT_SETSOCKOPT || req->op == AGENT_GETSOCKOPT) &&
	    req->optlen > AGENT_OPTVAL_MAX) {
		agent_fail(rep, EINVAL, "option length %u is over %d", req->optlen,
			   AGENT_OPTVAL_MAX);
		return;
	}
	errno = 0;
	switch (req->op) {
	case AGENT_SOCKET:
		rep->ret = socket((int)req->arg[0], (int)req->arg[1], (int)req->arg[2]);
		break;
	case AGENT_BIND:
		rep->ret = bind(fd, (const struct sockaddr *)&req->addr, req->addrlen);
		break;
	case AGENT_LISTEN:
		rep->ret = listen(fd, (int)req->arg[1]);
		break;
	case AGENT_ACCEPT:
		rep->ret = accept(fd, NULL, NULL);
		break;
	case AGENT_CONNECT:
		rep->ret = connect(fd, (const struct sockaddr *)&req->addr, req->addrlen);
		break;
	case AGENT_READ:
	case AGENT_WRITE:
		buf = agent_io_buffer(req->len, rep);
		if (!buf)
			return;
		rep->ret =
		    req->op == AGENT_READ ? read(fd, buf, req->len) : write(fd, buf, req->len);
		rep->err = rep->ret < 0 ? errno : 0;
		free(buf);
		return;
	case AGENT_SHUTDOWN:
		rep->ret = shutdown(fd, (int)req->arg[1]);
		break;
	case AGENT_CLOSE:
		rep->ret = close(fd);
		break;
	case AGENT_SETSOCKOPT:
		rep->ret =
		    setsockopt(fd, (int)req->arg[1], (int)req->arg[2], req->optval, req->optlen);
		break;
	case AGENT_GETSOCKOPT:
		optlen = req->optlen;
		rep->ret = getsockopt(fd, (int)req->arg[1], (int)req->arg[2], rep->optval, &optlen);
		rep->optlen = optlen;
		break;
	case AGENT_FCNTL:
		if (!agent_fcntl_cmd_ok(req->arg[1])) {
			agent_fail(rep, EINVAL, "fcntl command %lld not served",
				   (long long)req->arg[1]);
			return;
		}
		rep->ret = fcntl(fd, (int)req->arg[1], (int)req->arg[2]);
		break;
	case AGENT_SHELL:
	case AGENT_SOCK_STATE:
	case AGENT_COUNTER:
	case AGENT_SYSCTL_GET:
	case AGENT_SYSCTL_SET:
		agent_fail(rep, EINVAL, "%s is not a socket call", agent_op_name(req->op));
		return;
	}
	rep->err = rep->ret < 0 ? errno : 0;
}

static void agent_serve(const struct agent_req *req, struct agent_reply *rep, int ctl)
{
	memset(rep, 0, sizeof(*rep));
	/* Checked before the switch: the enum came off a socket. */
	if (req->op < AGENT_SOCKET || req->op > AGENT_SYSCTL_SET) {
		agent_fail(rep, EINVAL, "unknown request %d", (int)req->op);
		rep->done_us = agent_now_us();
		return;
	}
	if (!memchr(req->text, '\0', sizeof(req->text))) {
		agent_fail(rep, EINVAL, "request text not terminated");
		rep->done_us = agent_now_us();
		return;
	}
	rep->start_us = agent_now_us();
	switch (req->op) {
	case AGENT_SOCKET:
	case AGENT_BIND:
	case AGENT_LISTEN:
	case AGENT_ACCEPT:
	case AGENT_CONNECT:
	case AGENT_READ:
	case AGENT_WRITE:
	case AGENT_SHUTDOWN:
	case AGENT_CLOSE:
	case AGENT_SETSOCKOPT:
	case AGENT_GETSOCKOPT:
	case AGENT_FCNTL:
		agent_do_call(req, rep, ctl);
		break;
	case AGENT_SHELL:
		agent_do_shell(req, rep);
		break;
	case AGENT_SOCK_STATE:
		agent_do_sock_state(req, rep);
		break;
	case AGENT_COUNTER:
		agent_do_counter(req, rep);
		break;
	case AGENT_SYSCTL_GET:
	case AGENT_SYSCTL_SET:
		agent_do_sysctl(req, rep);
		break;
	}
	rep->done_us = agent_now_us();
}

/* The runner gone, or a signal for the whole terminal: the shell line goes
 * first, or its children would live on in the target namespace. */
static void agent_on_signal(int sig)
{
	pid_t pgid = agent_shell_pgid;

	if (pgid > 0)
		kill(-pgid, SIGKILL);
	_exit(128 + sig);
}

static void agent_child_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	struct sigaction sa;
	size_t i;

	/* Not the runner's handlers: its lab cleanup is the runner's job. */
	agent_restore_signals();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = agent_on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/* A write to a reset connection is the case's EPIPE, not our death. */
	signal(SIGPIPE, SIG_IGN);
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

/* Parks the channel on a high fd and closes every other fd from 3 up. */
static int agent_child_fds(int ctl)
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

static void agent_child_main(int ctl, int nsfd, const char *workdir, pid_t parent)
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
	ctl = agent_child_fds(ctl);
	if (ctl < 0) {
		/* The channel may be gone with the others: just leave. */
		_exit(1);
	}
	rep.done_us = agent_now_us();
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
			rep.done_us = agent_now_us();
		} else {
			agent_serve(&req, &rep, ctl);
		}
		agent_child_send(ctl, &rep);
	}
}

/* ---- in the runner ---- */

/* True once the child is reaped (within timeout_ms; < 0: however long). */
static bool agent_reap(struct agent *a, int timeout_ms)
{
	uint64_t deadline = agent_now_us() + (uint64_t)timeout_ms * 1000u;
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
			if (agent_now_us() >= deadline)
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
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return err_sys(err, "agent: socketpair");
	a->pid = fork();
	if (a->pid < 0) {
		err_sys(err, "agent: fork");
		close(sv[0]);
		close(sv[1]);
		a->pid = 0;
		return -1;
	}
	if (a->pid == 0) {
		close(sv[0]);
		agent_child_main(sv[1], lab->target_nsfd, workdir, parent);
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
	ssize_t n;

	if (a->fd < 0)
		return err_usage(err, "agent: %s: the agent is not running",
				 agent_op_name(req->op));
	if (a->busy)
		return err_usage(err, "agent: %s: a call is still outstanding",
				 agent_op_name(req->op));
	do
		n = send(a->fd, req, sizeof(*req), MSG_DONTWAIT | MSG_NOSIGNAL);
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
	uint64_t deadline = agent_now_us() + (uint64_t)timeout_ms * 1000u;
	int left = timeout_ms, r;

	if (agent_submit(a, req, err))
		return -1;
	for (;;) {
		if (timeout_ms >= 0) {
			uint64_t now = agent_now_us();

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
	a->busy = false;
	return ret;
}
