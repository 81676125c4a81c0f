/* server.c - the target agent's child: setting itself up in the
 * target namespace, parking its channel, and serving requests one at a
 * time: socket calls, socket state, counters and sysctls (shell lines are
 * shell.c's). */
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

#include "agent/proto.h"
#include "agent/shell.h"
#include "agent/signals.h"
#include "core/clock.h"
#include "lab/lab.h"
#include "lab/counters.h"
#include "core/pacer.h"
#include "lab/sock_diag.h"
#include "lab/sysctl.h"

/* What the transport adds (server.h); all NULL for the lab's pipe. */
static struct agent_server_hooks agent_hooks = {.allow_shell = true};

/* An errno for a library call that filled a tr_err: bad input is EINVAL,
 * anything else keeps the errno it failed with. */
static void agent_fail_err(struct agent_reply *rep, const struct tr_err *e, int errnum)
{
	if (e->status == TR_USAGE || !errnum)
		errnum = EINVAL;
	agent_fail(rep, errnum, "%s", e->msg);
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
		/* Journalled before it changes: a session killed right after
		 * still has its old value put back by whoever outlives it. */
		if (agent_hooks.sysctl_before) {
			char old[AGENT_OUT_MAX];

			ret = sysctl_get(name, old, sizeof(old), &e);
			if (ret < 0) {
				agent_fail_err(rep, &e, errno);
				return;
			}
			if (ret == 0 && agent_hooks.sysctl_before(agent_hooks.ctx, name, old)) {
				agent_fail(rep, ENOSPC, "sysctl: too many knobs set in one "
							"session to restore them all");
				return;
			}
		}
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

	/* calloc: write() sends zeros, and malloc(0) may return NULL. */
	buf = calloc(1, len ? len : 1);
	if (!buf)
		agent_fail(rep, ENOMEM, "no memory for %u bytes", len);
	return buf;
}

/* The child's timing: the board it publishes starts on, the request being
 * served, and its own schedstat (parked on a high fd like the channel). */
static struct agent_board *agent_board;
static uint32_t agent_seq, agent_flags;
static int agent_stat_fd = -1, agent_ctl_fd = -1;
static int64_t agent_delay_before;
static struct rusage agent_usage_before;

/* The scheduler's run_delay of this thread so far, us; -1 if unknown. */
static int64_t agent_run_delay_us(void)
{
	char buf[96];
	unsigned long long on_cpu, delay;
	ssize_t n;

	if (agent_stat_fd < 0)
		return -1;
	n = pread(agent_stat_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &on_cpu, &delay) != 2)
		return -1;
	return (int64_t)(delay / 1000u);
}

/* Right before the system call: nothing of the agent's own work may fall
 * between the stamp and the call. */
static void agent_enter(struct agent_reply *rep)
{
	agent_delay_before = agent_run_delay_us();
	if (getrusage(RUSAGE_THREAD, &agent_usage_before))
		agent_usage_before.ru_nvcsw = -1;
	rep->start_us = clock_mono_us();
	if (agent_board) {
		atomic_store_explicit(&agent_board->start_us, rep->start_us,
				      memory_order_relaxed);
		atomic_store_explicit(&agent_board->started, agent_seq, memory_order_release);
	} else if (agent_hooks.started && (agent_flags & AGENT_REQ_NOTIFY_START)) {
		/* Over a stream the notice is a message: it costs a send
		 * between the stamp and the call, so only when asked. */
		agent_hooks.started(agent_hooks.ctx, agent_seq, rep->start_us);
	}
}

static void agent_leave(struct agent_reply *rep)
{
	struct rusage usage;
	int64_t after;

	rep->done_us = clock_mono_us();
	after = agent_run_delay_us();
	rep->run_delay_us = after >= 0 && agent_delay_before >= 0 ? after - agent_delay_before : -1;
	rep->slept = agent_usage_before.ru_nvcsw >= 0 && !getrusage(RUSAGE_THREAD, &usage) ?
			     usage.ru_nvcsw - agent_usage_before.ru_nvcsw :
			     -1;
}

/* Socket calls: the reply is the syscall's own result. */
static void agent_do_call(const struct agent_req *req, struct agent_reply *rep)
{
	int fd = (int)req->arg[0];
	socklen_t optlen = req->optlen;
	void *buf = NULL;

	if (req->op != AGENT_SOCKET && agent_server_own_fd(fd)) {
		/* The agent's own fds are not the case's to touch. */
		rep->ret = -1;
		rep->err = EBADF;
		return;
	}
	if (req->op == AGENT_READ || req->op == AGENT_WRITE) {
		buf = agent_io_buffer(req->len, rep);
		if (!buf)
			return;
	}
	agent_enter(rep);
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
		rep->ret = read(fd, buf, req->len);
		break;
	case AGENT_WRITE:
		rep->ret = write(fd, buf, req->len);
		break;
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
		rep->ret = getsockopt(fd, (int)req->arg[1], (int)req->arg[2], rep->optval, &optlen);
		break;
	case AGENT_FCNTL:
		rep->ret = fcntl(fd, (int)req->arg[1], (int)req->arg[2]);
		break;
	case AGENT_SHELL:
	case AGENT_SOCK_STATE:
	case AGENT_COUNTER:
	case AGENT_SYSCTL_GET:
	case AGENT_SYSCTL_SET:
		agent_leave(rep);
		agent_fail(rep, EINVAL, "%s is not a socket call", agent_op_name(req->op));
		return;
	}
	rep->err = rep->ret < 0 ? errno : 0;
	agent_leave(rep);
	if (req->op == AGENT_GETSOCKOPT)
		rep->optlen = optlen;
	free(buf);
}

bool agent_server_own_fd(int fd)
{
	return fd == agent_ctl_fd || fd == agent_stat_fd;
}

void agent_server_hooks_set(const struct agent_server_hooks *hooks)
{
	agent_hooks = *hooks;
}

void agent_serve(const struct agent_req *req, struct agent_reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (agent_req_check(req, agent_hooks.allow_shell, rep)) {
		rep->start_us = rep->done_us = clock_mono_us();
		return;
	}
	agent_seq = req->seq;
	agent_flags = req->flags;
	rep->run_delay_us = rep->slept = -1;
	if (req->start_at_us)
		pacer_sleep_until(req->start_at_us);
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
		agent_do_call(req, rep);
		/* Refused before the call: it took no time. */
		if (!rep->start_us)
			rep->start_us = rep->done_us = clock_mono_us();
		return;
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

/* Opens this thread's schedstat on the fd just below the channel; without
 * it run_delay_us is -1, nothing else changes. */
static void agent_child_stat_fd(int high)
{
	int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fd == high - 1 || (high - 1 >= 3 && dup3(fd, high - 1, O_CLOEXEC) >= 0))
		agent_stat_fd = high - 1;
	if (fd != agent_stat_fd)
		close(fd);
}

int agent_server_park_fds(int ctl)
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
	agent_child_stat_fd(high);
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
	ctl = agent_server_park_fds(ctl);
	if (ctl < 0) {
		/* The channel may be gone with the others: just leave. */
		_exit(1);
	}
	agent_board = board;
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
