/* listen.c - the TCP agent's listener: one session child at a time, the
 * busy answer for the others, the journal restored after each. */
#include "agent/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "agent/session.h"
#include "agent/stream.h"
#include "lab/sock_kill.h"
#include "lab/tcp_metrics.h"

/* A session child asked to end has this long before SIGKILL. */
#define LISTEN_GRACE_MS 1000
#define LISTEN_POLL_MS 100

static volatile sig_atomic_t listen_stop;

static void listen_on_signal(int sig)
{
	listen_stop = sig;
}

int agent_parse_hostport(const char *s, struct sockaddr_in *out, struct tr_err *err)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long port;

	memset(out, 0, sizeof(*out));
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return err_usage(err, "'%s': ADDR:PORT wanted (an IPv4 address)", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (inet_pton(AF_INET, host, &out->sin_addr) != 1)
		return err_usage(err, "'%s': '%s' is not an IPv4 address", s, host);
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || port == 0 || port > 65535)
		return err_usage(err, "'%s': port '%s' is not 1..65535", s, colon + 1);
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	return 0;
}

/* A rig gone without a word (its host down) is noticed in ~11 s. */
static void listen_keepalive(int fd)
{
	int on = 1, idle = 5, intvl = 2, cnt = 3;
	unsigned user_ms = 11000;

	/* Replies and start notices go at once: they time the case. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_ms, sizeof(user_ms));
}

struct listen_session {
	pid_t pid; /* 0: none */
	int pidfd, conn;
	char peer[64];
};

static void listen_busy(int fd)
{
	struct stream_text busy = {0};
	struct timeval tv = {.tv_sec = 1};
	struct tr_err e;

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	snprintf(busy.text, sizeof(busy.text), "another session is running");
	stream_send(fd, STREAM_BUSY, &busy, &e);
	close(fd);
}

/* True once the child has exited; it stays to be reaped (WNOWAIT). */
static bool listen_child_exited(pid_t pid)
{
	siginfo_t info = {0};

	return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       info.si_pid == pid;
}

/* Ends the session (if its child still runs), reaps it, restores. */
static void listen_end(struct listen_session *s, struct agent_journal *j, const char *how,
		       FILE *log)
{
	struct pollfd pfd = {.fd = s->pidfd, .events = POLLIN};
	unsigned restored, failed, killed = 0, nports;
	bool forgot = false;
	char why[512] = "";
	struct tr_err e;
	int st = 0;

	if (waitpid(s->pid, &st, WNOHANG) == 0) {
		kill(s->pid, SIGTERM);
		if (s->pidfd < 0)
			for (int i = 0; i < LISTEN_GRACE_MS / 10 && !listen_child_exited(s->pid); i++)
				usleep(10000);
		else if (poll(&pfd, 1, LISTEN_GRACE_MS) <= 0)
			kill(s->pid, SIGKILL);
		if (!listen_child_exited(s->pid))
			kill(s->pid, SIGKILL);
		waitpid(s->pid, &st, 0);
	}
	restored = agent_journal_restore(j, &failed, why, sizeof(why));
	/* The rig's own address: its host's other connections to this one
	 * (an ssh session) are not the session's to close. */
	nports = __atomic_load_n(&j->nports, __ATOMIC_ACQUIRE);
	if (nports > AGENT_JOURNAL_PORTS)
		nports = AGENT_JOURNAL_PORTS;
	if (j->peer.s_addr && (!j->self || nports) &&
	    sock_kill_peer(j->peer, j->self ? j->ports : NULL, nports, &killed, &e) && !failed++)
		snprintf(why, sizeof(why), "%.400s", e.msg);
	/* A TFO cookie or RTT learnt in this session would shape the next. */
	if (j->peer.s_addr && tcp_metrics_forget(j->peer, &forgot, &e) && !failed++)
		snprintf(why, sizeof(why), "%.400s", e.msg);
	j->peer.s_addr = 0;
	j->self = false;
	j->nports = 0;
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == AGENT_SESSION_REFUSED))
		fprintf(log, "tcprig agent: session from %s ended (%s); %u sysctl(s) restored, "
				"%u socket(s) closed%s%s%s\n",
			s->peer, how, restored, killed,
			forgot ? ", its tcp_metrics forgotten" : "", failed ? "; failed: " : "", why);
	if (s->pidfd >= 0)
		close(s->pidfd);
	close(s->conn);
	s->pid = 0;
}

static void listen_start(struct listen_session *s, int conn, const struct sockaddr_in *from,
			 const struct agent_listen_config *cfg, struct agent_journal *j,
			 int lfd)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &from->sin_addr, ip, sizeof(ip));
	snprintf(s->peer, sizeof(s->peer), "%s:%u", ip, ntohs(from->sin_port));
	listen_keepalive(conn);
	fflush(cfg->log);
	s->pid = fork();
	if (s->pid < 0) {
		fprintf(cfg->log, "tcprig agent: fork: %s\n", strerror(errno));
		s->pid = 0;
		close(conn);
		return;
	}
	if (s->pid == 0) {
		close(lfd);
		agent_session_main(conn, s->peer, &cfg->token, cfg->allow_shell, j, cfg->log);
		_exit(1);
	}
	s->conn = conn;
	s->pidfd = pidfd_open(s->pid, 0);
}

int agent_listen_run(const struct agent_listen_config *cfg, struct tr_err *err)
{
	struct listen_session s = {0};
	struct agent_journal *j;
	struct sigaction sa;
	char ip[INET_ADDRSTRLEN];
	int lfd, on = 1;

	j = mmap(NULL, sizeof(*j), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (j == MAP_FAILED)
		return err_sys(err, "agent: journal");
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return err_sys(err, "agent: socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	inet_ntop(AF_INET, &cfg->addr.sin_addr, ip, sizeof(ip));
	if (bind(lfd, (const struct sockaddr *)&cfg->addr, sizeof(cfg->addr)) ||
	    listen(lfd, 4)) {
		err_sys(err, "agent: listen on %s:%u", ip, ntohs(cfg->addr.sin_port));
		close(lfd);
		return -1;
	}
	/* No SA_RESTART: a signal wakes poll. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = listen_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(cfg->log, "tcprig agent: listening on %s:%u, one session at a time, shell lines %s\n",
		ip, ntohs(cfg->addr.sin_port), cfg->allow_shell ? "on" : "off");
	while (!listen_stop) {
		struct pollfd pfd[3] = {{.fd = lfd, .events = POLLIN}};
		nfds_t n = 1;
		int r;

		if (s.pid) {
			pfd[n++] = (struct pollfd){.fd = s.pidfd, .events = POLLIN};
			pfd[n++] = (struct pollfd){.fd = s.conn, .events = POLLRDHUP};
		}
		/* Without a pidfd (valgrind, old kernels) the child is looked
		 * at every LISTEN_POLL_MS instead. */
		r = poll(pfd, n, s.pid && s.pidfd < 0 ? LISTEN_POLL_MS : -1);
		if (r < 0)
			continue; /* EINTR: listen_stop says */
		if (s.pid && (pfd[1].revents || (s.pidfd < 0 && listen_child_exited(s.pid)))) {
			listen_end(&s, j, "the session ended", cfg->log);
		} else if (s.pid && pfd[2].revents) {
			/* The rig closed or died (its kernel closes its end), or
			 * keepalive gave up on it: the child may be blocked in a
			 * call that would never see it. */
			listen_end(&s, j, "the rig closed or lost the connection", cfg->log);
		}
		if (pfd[0].revents & POLLIN) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);
			int conn = accept4(lfd, (struct sockaddr *)&from, &fl, SOCK_CLOEXEC);

			if (conn < 0)
				continue;
			if (s.pid)
				listen_busy(conn);
			else
				listen_start(&s, conn, &from, cfg, j, lfd);
		}
	}
	if (s.pid)
		listen_end(&s, j, "the agent was stopped", cfg->log);
	fprintf(cfg->log, "tcprig agent: stopped by signal %d\n", (int)listen_stop);
	close(lfd);
	munmap(j, sizeof(*j));
	return 0;
}
