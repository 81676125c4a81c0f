/* remote.c - the rig's side of the TCP agent: connect, authenticate, learn
 * the clock, relay. */
#include "agent/remote.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "agent/stream.h"
#include "core/clock.h"

#define REMOTE_CONNECT_S 5
#define REMOTE_CLOCK_ROUNDS 8
/* The agent ends a session as the next one knocks: it may still be putting
 * the last one's sysctls back. So many tries, so far apart. */
#define REMOTE_BUSY_TRIES 40
#define REMOTE_BUSY_WAIT_MS 50
#define REMOTE_BUSY (-2)

/* The agent's clock minus ours, learnt by the last remote_clock. */
static int64_t remote_offset;

static int remote_connect(const struct sockaddr_in *addr, const char *name, struct tr_err *err)
{
	struct timeval tv = {.tv_sec = REMOTE_CONNECT_S};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;

	if (fd < 0)
		return err_sys(err, "agent %s: socket", name);
	/* Bounded: connect and every handshake read give up after this. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr))) {
		err_sys(err, "agent %s: connect", name);
		close(fd);
		return -1;
	}
	return fd;
}

static int remote_handshake(int fd, const char *name, const struct agent_token *tok,
			    struct in_addr rig_addr, bool self, struct tr_err *err)
{
	union {
		struct stream_hello hello;
		struct stream_text text;
		struct stream_ok ok;
	} in;
	struct stream_hello hello;
	struct stream_auth auth;
	uint8_t want[AUTH_MAC];
	uint32_t kind;
	int rc;

	rc = stream_recv(fd, &kind, &in, sizeof(in), err);
	if (rc > 0)
		return err_env(err, "agent %s: closed the connection before saying hello", name);
	if (rc)
		return err_env(err, "agent %s: %s", name, err->msg);
	if (kind == STREAM_BUSY) {
		err_env(err, "agent %s is busy: %.200s", name, in.text.text);
		return REMOTE_BUSY;
	}
	if (kind != STREAM_HELLO)
		return err_env(err, "agent %s: no hello", name);
	hello = in.hello;
	if (memcmp(hello.magic, STREAM_MAGIC, sizeof(STREAM_MAGIC)) ||
	    hello.req_size != sizeof(struct agent_req) ||
	    hello.rep_size != sizeof(struct agent_reply))
		return err_env(err, "agent %s speaks another protocol (run the same tcprig "
				    "build on both ends)", name);
	if (agent_nonce(auth.nonce, err) ||
	    agent_auth_mac(tok, AUTH_ROLE_RIG, hello.nonce, auth.nonce, auth.mac))
		return err_env(err, "agent %s: cannot make the MAC", name);
	auth.rig_addr = rig_addr.s_addr;
	auth.flags = self ? STREAM_AUTH_SELF : 0;
	if (stream_send(fd, STREAM_AUTH, &auth, err))
		return -1;
	rc = stream_recv(fd, &kind, &in, sizeof(in), err);
	if (rc > 0)
		return err_env(err, "agent %s: closed the connection during authentication", name);
	if (rc)
		return err_env(err, "agent %s: %s", name, err->msg);
	if (kind == STREAM_REFUSED) {
		in.text.text[sizeof(in.text.text) - 1] = '\0';
		return err_usage(err, "agent %s refused the session: %s (the agent's token "
				      "file and --token-file differ; nothing was run)",
				 name, in.text.text);
	}
	if (kind != STREAM_OK)
		return err_env(err, "agent %s: no answer to the authentication", name);
	if (agent_auth_mac(tok, AUTH_ROLE_AGENT, hello.nonce, auth.nonce, want) ||
	    !agent_auth_equal(want, in.ok.mac))
		return err_usage(err, "agent %s did not prove it holds the token: not the "
				      "agent you meant (nothing was run)", name);
	return 0;
}

/* The agent's clock minus ours, from the exchange with the least round
 * trip: its stamp lies within that round trip, best guessed in its middle. */
static int remote_clock(int fd, const char *name, struct tr_err *err)
{
	struct stream_clock c = {0};
	int64_t best = INT64_MAX;
	uint32_t kind;

	for (int i = 0; i < REMOTE_CLOCK_ROUNDS; i++) {
		uint64_t t1 = clock_mono_us(), t2;

		if (stream_send(fd, STREAM_CLOCK, &c, err) ||
		    stream_recv(fd, &kind, &c, sizeof(c), err) || kind != STREAM_CLOCK)
			return err_env(err, "agent %s: clock exchange failed", name);
		t2 = clock_mono_us();
		if ((int64_t)(t2 - t1) < best) {
			best = (int64_t)(t2 - t1);
			remote_offset = (int64_t)c.mono_us - (int64_t)(t1 + (t2 - t1) / 2);
		}
		c.mono_us = 0;
	}
	return 0;
}

/* The relay: the runner's pipe on one side, the stream on the other. */
static void remote_relay(int pipe, int tcp, struct agent_board *board, int64_t off)
{
	static struct agent_req req;
	static union {
		struct agent_reply rep;
		struct stream_started started;
	} in;
	struct timeval tv = {0};
	struct tr_err e;
	uint32_t kind;

	signal(SIGPIPE, SIG_IGN);
	/* Blocking from now on: a call may take as long as the case says. */
	setsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		struct pollfd pfd[2] = {{.fd = pipe, .events = POLLIN}, {.fd = tcp, .events = POLLIN}};
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		if (pfd[0].revents) {
			n = recv(pipe, &req, sizeof(req), 0);
			if (n == 0)
				_exit(0); /* the runner stopped: the session ends */
			if (n != (ssize_t)sizeof(req))
				_exit(1);
			req.flags |= AGENT_REQ_NOTIFY_START;
			if (req.start_at_us)
				req.start_at_us = (uint64_t)((int64_t)req.start_at_us + off);
			if (stream_send(tcp, STREAM_REQ, &req, &e))
				_exit(1);
		}
		if (pfd[1].revents) {
			if (stream_recv(tcp, &kind, &in, sizeof(in), &e))
				_exit(1);
			if (kind == STREAM_STARTED) {
				atomic_store_explicit(&board->start_us,
						      (uint64_t)((int64_t)in.started.start_us - off),
						      memory_order_relaxed);
				atomic_store_explicit(&board->started, in.started.seq,
						      memory_order_release);
			} else if (kind == STREAM_REPLY) {
				in.rep.start_us = (uint64_t)((int64_t)in.rep.start_us - off);
				in.rep.done_us = (uint64_t)((int64_t)in.rep.done_us - off);
				in.rep.real_minus_mono_us += off;
				if (send(pipe, &in.rep, sizeof(in.rep), MSG_NOSIGNAL) !=
				    (ssize_t)sizeof(in.rep))
					_exit(1);
			} else {
				_exit(1);
			}
		}
	}
}

int agent_start_remote(struct agent *a, const struct sockaddr_in *addr,
		       const struct agent_token *tok, struct in_addr rig_addr, bool self,
		       struct tr_err *err)
{
	char name[64], ip[INET_ADDRSTRLEN];
	pid_t parent = getpid();
	int tcp, sv[2], rc;

	*a = (struct agent){.fd = -1, .pidfd = -1};
	inet_ntop(AF_INET, &addr->sin_addr, ip, sizeof(ip));
	snprintf(name, sizeof(name), "%s:%u", ip, ntohs(addr->sin_port));
	for (int t = 0;; t++) {
		tcp = remote_connect(addr, name, err);
		if (tcp < 0)
			return -1;
		rc = remote_handshake(tcp, name, tok, rig_addr, self, err);
		if (rc == REMOTE_BUSY && t + 1 < REMOTE_BUSY_TRIES) {
			close(tcp);
			usleep(REMOTE_BUSY_WAIT_MS * 1000);
			continue;
		}
		if (rc || remote_clock(tcp, name, err)) {
			close(tcp);
			return -1;
		}
		break;
	}
	a->board = mmap(NULL, sizeof(*a->board), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a->board == MAP_FAILED) {
		a->board = NULL;
		close(tcp);
		return err_sys(err, "agent: board");
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		close(tcp);
		err_sys(err, "agent: socketpair");
		agent_stop(a, NULL);
		return -1;
	}
	a->pid = fork();
	if (a->pid == 0) {
		close(sv[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(1);
		remote_relay(sv[1], tcp, a->board, remote_offset);
		_exit(1);
	}
	close(sv[1]);
	close(tcp);
	if (a->pid < 0) {
		a->pid = 0;
		close(sv[0]);
		err_sys(err, "agent: fork");
		agent_stop(a, NULL);
		return -1;
	}
	a->fd = sv[0];
	a->pidfd = pidfd_open(a->pid, 0);
	if (fcntl(a->fd, F_SETFL, O_NONBLOCK)) {
		err_sys(err, "agent: set up the channel");
		agent_stop(a, NULL);
		return -1;
	}
	return 0;
}
