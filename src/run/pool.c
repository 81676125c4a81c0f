/* pool.c - cases in forked workers, results back in case order. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/trace_io.h"
#include "run/pool.h"

/* What a worker sends: this, whole, then the case's trace in its text form
 * (report/trace_io.h), then EOF. res.trace's pointer means nothing to the parent. */
struct pool_msg {
	int32_t ret;
	struct run_result res;
	struct tr_err err;
};

/* A trace bigger than this is cut (TRACE_MAX events are ~1 MB as text). */
#define POOL_TRACE_MAX (4u << 20)

struct pool_slot {
	pid_t pid;   /* 0: free */
	int fd;	     /* read end of the worker's pipe */
	size_t ci;   /* the case it runs */
	size_t got;  /* bytes of msg so far */
	uint64_t start_us;
	struct pool_msg msg;
	char *trace; /* the trace's text so far */
	size_t trace_len, trace_cap;
	bool trace_cut; /* it outgrew POOL_TRACE_MAX */
};

/* RETRY: an INCONCLUSIVE try, to be run again. */
enum pool_case_state { POOL_WAITING, POOL_RUNNING, POOL_RETRY, POOL_DONE };

static const int pool_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define POOL_NSIGS (sizeof(pool_sigs) / sizeof(pool_sigs[0]))

struct pool {
	struct run_pool_case *cases;
	size_t n;
	unsigned char *state; /* enum pool_case_state per case */
	struct pool_slot slots[RUN_POOL_JOBS_MAX];
	unsigned jobs, running;
	size_t next_start, next_report;
	sigset_t old_mask;
	struct sigaction old_act[POOL_NSIGS];
	bool taken[POOL_NSIGS];
};

static volatile sig_atomic_t pool_signal;

static void pool_on_signal(int sig)
{
	pool_signal = sig;
}

/* The stop signals stay blocked except inside ppoll(), so the loop sees each
 * one as EINTR there and never misses one between two checks. */
static void pool_signals_take(struct pool *p)
{
	struct sigaction sa = { .sa_handler = pool_on_signal };
	sigset_t stop;
	size_t i;

	sigemptyset(&stop);
	for (i = 0; i < POOL_NSIGS; i++)
		sigaddset(&stop, pool_sigs[i]);
	sigprocmask(SIG_BLOCK, &stop, &p->old_mask);
	sigfillset(&sa.sa_mask);
	for (i = 0; i < POOL_NSIGS; i++) {
		if (sigaction(pool_sigs[i], NULL, &p->old_act[i]))
			continue;
		/* A signal ignored on purpose (nohup) stays ignored. */
		if (!(p->old_act[i].sa_flags & SA_SIGINFO) && p->old_act[i].sa_handler == SIG_IGN)
			continue;
		p->taken[i] = !sigaction(pool_sigs[i], &sa, NULL);
	}
}

static void pool_signals_restore(const struct pool *p)
{
	for (size_t i = 0; i < POOL_NSIGS; i++)
		if (p->taken[i])
			sigaction(pool_sigs[i], &p->old_act[i], NULL);
	sigprocmask(SIG_SETMASK, &p->old_mask, NULL);
}

/* A stop signal after the last ppoll() (the workers it killed the last to report) is
 * still pending: the run's to clean up after, not the old handler's. */
static int pool_pending_signal(const struct pool *p)
{
	struct timespec zero = { 0 };
	sigset_t pending, one;

	sigpending(&pending);
	for (size_t i = 0; i < POOL_NSIGS; i++) {
		sigemptyset(&one);
		sigaddset(&one, pool_sigs[i]);
		if (p->taken[i] && sigismember(&pending, pool_sigs[i]) &&
		    sigtimedwait(&one, NULL, &zero) == pool_sigs[i])
			return pool_sigs[i];
	}
	return 0;
}

static int pool_write_all(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len) {
		ssize_t n = write(fd, b, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static _Noreturn void pool_worker(const struct pool *p, size_t ci, int fd, pid_t parent)
{
	static struct pool_msg msg;
	const struct run_pool_case *c = &p->cases[ci];

	/* The caller's dispositions back, then this process's own lab cleanup:
	 * a stop signal from the parent removes the lab this worker makes. */
	for (size_t i = 0; i < POOL_NSIGS; i++)
		if (p->taken[i])
			sigaction(pool_sigs[i], &p->old_act[i], NULL);
	lab_install_signal_cleanup();
	/* The parent gone (even by SIGKILL): the cleanup still runs. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(1);
	sigprocmask(SIG_SETMASK, &p->old_mask, NULL);

	char *text = NULL;
	size_t len = 0;
	FILE *f;

	memset(&msg, 0, sizeof(msg));
	msg.ret = runner_run(c->script, &c->cfg, &msg.res, &msg.err) ? -1 : 0;
	if (pool_write_all(fd, &msg, sizeof(msg)))
		_exit(1);
	/* Without its trace a result is still a result: the report says less. */
	f = open_memstream(&text, &len);
	if (f && !trace_write(f, &msg.res.trace) && !fclose(f))
		pool_write_all(fd, text, len);
	_exit(0);
}

static void pool_case_error(struct pool *p, size_t ci)
{
	p->cases[ci].ret = -1;
	p->state[ci] = POOL_DONE;
}

static void pool_spawn(struct pool *p, size_t ci)
{
	struct run_pool_case *c = &p->cases[ci];
	struct pool_slot *s = NULL;
	pid_t parent = getpid();
	int fds[2];

	for (unsigned i = 0; i < p->jobs && !s; i++)
		if (!p->slots[i].pid)
			s = &p->slots[i];
	memset(&c->res, 0, sizeof(c->res));
	c->cfg.try_no = c->ntries + 1;
	if (!s) {
		err_env(&c->err, "worker: no free slot");
		pool_case_error(p, ci);
		return;
	}
	if (pipe2(fds, O_CLOEXEC)) {
		err_sys(&c->err, "worker: pipe");
		pool_case_error(p, ci);
		return;
	}
	/* Nothing buffered may be written twice. */
	fflush(NULL);
	s->pid = fork();
	if (s->pid < 0) {
		err_sys(&c->err, "worker: fork");
		s->pid = 0;
		close(fds[0]);
		close(fds[1]);
		pool_case_error(p, ci);
		return;
	}
	if (s->pid == 0) {
		close(fds[0]);
		for (unsigned i = 0; i < p->jobs; i++)
			if (p->slots[i].pid && &p->slots[i] != s)
				close(p->slots[i].fd);
		pool_worker(p, ci, fds[1], parent);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	s->fd = fds[0];
	s->ci = ci;
	s->got = 0;
	s->start_us = clock_mono_us();
	p->state[ci] = POOL_RUNNING;
	p->running++;
}

/* The trace that followed the message, read back; one that does not parse
 * is reported as cut rather than lost silently. */
static void pool_take_trace(struct pool_slot *s, struct run_result *res)
{
	struct tr_err terr;
	FILE *f;

	memset(&res->trace, 0, sizeof(res->trace));
	/* A cut trace is read up to its last whole line. */
	while (s->trace_cut && s->trace_len && s->trace[s->trace_len - 1] != '\n')
		s->trace_len--;
	if (!s->trace_len)
		return;
	f = fmemopen(s->trace, s->trace_len, "r");
	if (!f || trace_read(f, "worker trace", &res->trace, &terr))
		res->trace.overflow = true;
	if (s->trace_cut)
		res->trace.overflow = true;
	if (f)
		fclose(f);
}

static void pool_slot_clear_trace(struct pool_slot *s)
{
	free(s->trace);
	s->trace = NULL;
	s->trace_len = s->trace_cap = 0;
	s->trace_cut = false;
}

static bool pool_trace_append(struct pool_slot *s, const char *b, size_t n)
{
	if (s->trace_cut || s->trace_len + n > POOL_TRACE_MAX)
		return !(s->trace_cut = true);
	if (s->trace_len + n > s->trace_cap) {
		size_t cap = s->trace_cap ? s->trace_cap * 2 : 65536;
		char *t;

		while (cap < s->trace_len + n)
			cap *= 2;
		t = realloc(s->trace, cap);
		if (!t)
			return false;
		s->trace = t;
		s->trace_cap = cap;
	}
	memcpy(s->trace + s->trace_len, b, n);
	s->trace_len += n;
	return true;
}

/* An INCONCLUSIVE try with tries left: kept, and the case goes again. The
 * rig could not tell; another try in a fresh lab may. Nothing else is ever
 * run again: a FAIL stays a FAIL. */
static bool pool_retry(struct run_pool_case *c)
{
	struct run_try *t;

	if (c->ret || c->res.verdict != RUN_INCONCLUSIVE || c->ntries >= c->retries ||
	    c->ntries >= RUN_RETRIES_MAX)
		return false;
	t = &c->tries[c->ntries++];
	t->verdict = c->res.verdict;
	t->line = c->res.line;
	t->elapsed_us = c->res.elapsed_us;
	snprintf(t->reason, sizeof(t->reason), "%.*s", (int)strcspn(c->res.reason, "\n"),
		 c->res.reason);
	trace_free(&c->res.trace);
	return true;
}

/* The worker closed its pipe: reap it and take its message, or say how it
 * died without one. */
static void pool_finish(struct pool *p, struct pool_slot *s)
{
	struct run_pool_case *c = &p->cases[s->ci];
	int st = 0, r;

	close(s->fd);
	while ((r = waitpid(s->pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (s->got == sizeof(s->msg) && (unsigned)s->msg.res.verdict > RUN_INCONCLUSIVE) {
		/* Never read a verdict the runner cannot give as one it can. */
		memset(&c->res, 0, sizeof(c->res));
		c->ret = -1;
		err_env(&c->err, "worker %d sent verdict %d, which is none", (int)s->pid,
			(int)s->msg.res.verdict);
	} else if (s->got == sizeof(s->msg)) {
		c->ret = s->msg.ret;
		c->res = s->msg.res;
		c->err = s->msg.err;
		pool_take_trace(s, &c->res);
	} else {
		memset(&c->res, 0, sizeof(c->res));
		c->res.elapsed_us = clock_mono_us() - s->start_us;
		c->ret = -1;
		if (r < 0)
			err_env(&c->err, "worker %d ended without a result", (int)s->pid);
		else if (WIFSIGNALED(st))
			err_env(&c->err, "worker died (signal %d)", WTERMSIG(st));
		else
			err_env(&c->err, "worker died (exit status %d) without a result",
				WEXITSTATUS(st));
	}
	pool_slot_clear_trace(s);
	p->state[s->ci] = pool_retry(c) ? POOL_RETRY : POOL_DONE;
	s->pid = 0;
	p->running--;
}

static void pool_read(struct pool *p, struct pool_slot *s)
{
	char extra[16384];

	for (;;) {
		bool whole = s->got == sizeof(s->msg);
		ssize_t n = whole ? read(s->fd, extra, sizeof(extra)) :
				    read(s->fd, (char *)&s->msg + s->got, sizeof(s->msg) - s->got);

		if (n > 0) {
			if (!whole)
				s->got += (size_t)n;
			else
				pool_trace_append(s, extra, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		pool_finish(p, s);
		return;
	}
}

/* Stops every live worker with sig and waits for them, SIGKILL for those
 * still there after RUN_POOL_STOP_MS. */
static void pool_stop(struct pool *p, int sig)
{
	uint64_t deadline = clock_mono_us() + RUN_POOL_STOP_MS * 1000u;
	unsigned live;

	for (unsigned i = 0; i < p->jobs; i++) {
		if (!p->slots[i].pid)
			continue;
		kill(p->slots[i].pid, sig);
		close(p->slots[i].fd);
	}
	for (;;) {
		bool late = clock_mono_us() > deadline;

		live = 0;
		for (unsigned i = 0; i < p->jobs; i++) {
			struct pool_slot *s = &p->slots[i];
			int st;
			pid_t r;

			if (!s->pid)
				continue;
			if (late)
				kill(s->pid, SIGKILL);
			r = waitpid(s->pid, &st, late ? 0 : WNOHANG);
			if (r == s->pid || (r < 0 && errno != EINTR)) {
				s->pid = 0;
				pool_slot_clear_trace(s);
			} else
				live++;
		}
		if (!live)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	p->running = 0;
}

static void pool_report_ready(struct pool *p, run_pool_report_fn report, void *ctx)
{
	while (p->next_report < p->n && p->state[p->next_report] == POOL_DONE) {
		report(p->next_report, &p->cases[p->next_report], ctx);
		p->next_report++;
	}
}

static int pool_loop(struct pool *p, run_pool_report_fn report, void *ctx, int *signo,
		     struct tr_err *err)
{
	struct pollfd pfd[RUN_POOL_JOBS_MAX];
	struct pool_slot *by_fd[RUN_POOL_JOBS_MAX];

	for (;;) {
		unsigned k = 0;
		int r;

		/* Tries again first: the report waits for them in case order. */
		for (size_t ci = p->next_report; ci < p->next_start && p->running < p->jobs; ci++)
			if (p->state[ci] == POOL_RETRY)
				pool_spawn(p, ci);
		while (p->running < p->jobs && p->next_start < p->n) {
			size_t ci = p->next_start++;

			if (p->state[ci] == POOL_WAITING)
				pool_spawn(p, ci);
		}
		pool_report_ready(p, report, ctx);
		if (p->next_report == p->n)
			return 0;
		for (unsigned i = 0; i < p->jobs; i++) {
			if (!p->slots[i].pid)
				continue;
			pfd[k] = (struct pollfd){ .fd = p->slots[i].fd, .events = POLLIN };
			by_fd[k++] = &p->slots[i];
		}
		if (!k)
			continue; /* a spawn failed: its case is done, go on */
		r = ppoll(pfd, k, NULL, &p->old_mask);
		if (pool_signal) {
			*signo = pool_signal;
			pool_stop(p, *signo);
			return 0;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_sys(err, "run: wait for the workers");
			pool_stop(p, SIGTERM);
			return -1;
		}
		for (unsigned i = 0; i < k; i++)
			if (pfd[i].revents)
				pool_read(p, by_fd[i]);
	}
}

void run_pool_case_skip(struct run_pool_case *c, const char *reason)
{
	c->skip = true;
	c->res.verdict = RUN_SKIP;
	snprintf(c->res.reason, sizeof(c->res.reason), "%s", reason);
}

unsigned run_pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > RUN_POOL_JOBS_MAX ? RUN_POOL_JOBS_MAX : (unsigned)n;
}

int run_pool_run(struct run_pool_case *cases, size_t n, unsigned jobs, run_pool_report_fn report,
		 void *ctx, int *signo, struct tr_err *err)
{
	struct pool *p;
	int ret;

	*signo = 0;
	if (jobs < 1 || jobs > RUN_POOL_JOBS_MAX)
		return err_usage(err, "jobs: %u is not in 1..%d", jobs, RUN_POOL_JOBS_MAX);
	p = calloc(1, sizeof(*p));
	if (!p)
		return err_sys(err, "run: worker pool");
	p->state = calloc(n ? n : 1, sizeof(*p->state));
	if (!p->state) {
		free(p);
		return err_sys(err, "run: worker pool");
	}
	p->cases = cases;
	p->n = n;
	p->jobs = jobs;
	for (size_t i = 0; i < n; i++)
		p->state[i] = cases[i].skip ? POOL_DONE : POOL_WAITING;
	pool_signal = 0;
	pool_signals_take(p);
	ret = pool_loop(p, report, ctx, signo, err);
	*signo = *signo ? *signo : pool_pending_signal(p);
	pool_signals_restore(p);
	free(p->state);
	free(p);
	return ret;
}
