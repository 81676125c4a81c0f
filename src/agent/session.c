/* session.c - one session of the TCP agent: handshake, then serving. */
#include "agent/session.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "agent/hooks.h"
#include "agent/server.h"
#include "agent/signals.h"
#include "agent/stream.h"
#include "core/clock.h"
#include "lab/sysctl.h"

/* A rig that has connected says who it is within this, or is dropped. */
#define SESSION_HANDSHAKE_S 5

static int session_conn = -1;
static const char *session_peer;
static FILE *session_logf;
/* The test hook TCPRIG_AGENT_SKEW_US=N: the agent's clock, as the rig sees
 * it, runs N us ahead of CLOCK_MONOTONIC, as another host's would (it
 * booted at another time). Every time the rig sends or gets is moved by
 * it, so that the rig's translation is tested without another host. */
static int64_t session_skew;

int agent_journal_add(struct agent_journal *j, const char *name, const char *old)
{
	for (unsigned i = 0; i < j->n; i++)
		if (!strcmp(j->e[i].name, name))
			return 0;
	if (j->n >= AGENT_JOURNAL_MAX || strlen(name) >= AGENT_JOURNAL_NAME)
		return -1;
	snprintf(j->e[j->n].name, AGENT_JOURNAL_NAME, "%s", name);
	snprintf(j->e[j->n].old, AGENT_OUT_MAX, "%s", old);
	/* The count last: a session killed between the two leaves no half
	 * entry. */
	__atomic_store_n(&j->n, j->n + 1, __ATOMIC_RELEASE);
	return 0;
}

unsigned agent_journal_restore(struct agent_journal *j, unsigned *failed, char *why,
			       size_t cap)
{
	unsigned done = 0, n = __atomic_load_n(&j->n, __ATOMIC_ACQUIRE);
	char prev[AGENT_OUT_MAX];
	struct tr_err e;

	*failed = 0;
	if (n > AGENT_JOURNAL_MAX)
		n = AGENT_JOURNAL_MAX;
	while (n--) {
		j->e[n].name[AGENT_JOURNAL_NAME - 1] = '\0';
		j->e[n].old[AGENT_OUT_MAX - 1] = '\0';
		if (sysctl_set(j->e[n].name, j->e[n].old, prev, sizeof(prev), &e) == 0) {
			done++;
			continue;
		}
		if (!(*failed)++ && cap)
			snprintf(why, cap, "%s: %s", j->e[n].name, e.msg);
	}
	j->n = 0;
	return done;
}

static int session_journal(void *ctx, const char *name, const char *old)
{
	return agent_journal_add(ctx, name, old);
}

void agent_journal_port(struct agent_journal *j, uint16_t port)
{
	unsigned n = __atomic_load_n(&j->nports, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; i < n && i < AGENT_JOURNAL_PORTS; i++)
		if (j->ports[i] == port)
			return;
	if (!port || n >= AGENT_JOURNAL_PORTS)
		return;
	j->ports[n] = port;
	/* The count last, as for a sysctl (agent_journal_add). */
	__atomic_store_n(&j->nports, n + 1, __ATOMIC_RELEASE);
}

static void session_port(void *ctx, uint16_t port)
{
	agent_journal_port(ctx, port);
}

static void session_started(void *ctx, uint32_t seq, uint64_t start_us)
{
	struct stream_started s = {.seq = seq, .start_us = start_us + (uint64_t)session_skew};
	struct tr_err e;

	(void)ctx;
	if (stream_send(session_conn, STREAM_STARTED, &s, &e))
		_exit(AGENT_SESSION_BROKEN);
}

static void session_log(const char *fmt, const char *what)
{
	fprintf(session_logf, "tcprig agent: session from %s: ", session_peer);
	fprintf(session_logf, fmt, what);
	fputc('\n', session_logf);
	fflush(session_logf);
}

static void session_timeout(int fd, int seconds)
{
	struct timeval tv = {.tv_sec = seconds};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* 0 if the rig proved it holds the token; else it was told why. */
static int session_handshake(int fd, const struct agent_token *tok, struct agent_journal *j)
{
	struct stream_hello hello = {.req_size = sizeof(struct agent_req),
				     .rep_size = sizeof(struct agent_reply)};
	struct stream_auth auth;
	struct stream_text no = {0};
	struct stream_ok ok;
	uint8_t want[AUTH_MAC];
	struct tr_err e;
	uint32_t kind;
	int rc;

	snprintf(hello.magic, sizeof(hello.magic), "%s", STREAM_MAGIC);
	if (agent_nonce(hello.nonce, &e) || stream_send(fd, STREAM_HELLO, &hello, &e)) {
		session_log("%s", e.msg);
		return -1;
	}
	rc = stream_recv(fd, &kind, &auth, sizeof(auth), &e);
	if (rc || kind != STREAM_AUTH) {
		session_log("refused: %s", rc < 0 ? e.msg : "no authentication");
		return -1;
	}
	if (agent_auth_mac(tok, AUTH_ROLE_RIG, hello.nonce, auth.nonce, want) ||
	    !agent_auth_equal(want, auth.mac)) {
		/* Logged first: once the rig reads the refusal, it may look. */
		session_log("%s", "refused: wrong token (nothing run)");
		snprintf(no.text, sizeof(no.text), "wrong token");
		stream_send(fd, STREAM_REFUSED, &no, &e);
		return -1;
	}
	if (agent_auth_mac(tok, AUTH_ROLE_AGENT, hello.nonce, auth.nonce, ok.mac) ||
	    stream_send(fd, STREAM_OK, &ok, &e))
		return -1;
	j->peer.s_addr = auth.rig_addr;
	j->self = auth.flags & STREAM_AUTH_SELF;
	return 0;
}

static int session_null_stdio(void)
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

void agent_session_main(int conn, const char *peer, const struct agent_token *tok,
			bool allow_shell, struct agent_journal *j, FILE *log)
{
	static union {
		struct agent_req req;
		struct stream_clock clock;
	} in;
	static struct agent_reply rep;
	struct agent_hooks hooks = {.ctx = j, .started = session_started,
				    .sysctl_before = session_journal,
				    .port_used = session_port,
				    .allow_shell = allow_shell};
	struct stream_clock now;
	struct tr_err e;
	uint32_t kind;
	int rc;

	const char *skew = getenv("TCPRIG_AGENT_SKEW_US");

	if (skew)
		session_skew = strtoll(skew, NULL, 10);
	agent_child_signals();
	/* The listener restores the journal: it must outlive us, and we it. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	session_peer = peer;
	session_logf = log;
	session_timeout(conn, SESSION_HANDSHAKE_S);
	if (session_handshake(conn, tok, j))
		_exit(AGENT_SESSION_REFUSED);
	session_timeout(conn, 0);
	if (session_null_stdio())
		_exit(AGENT_SESSION_BROKEN);
	conn = agent_server_park_fds(conn, NULL);
	if (conn < 0)
		_exit(AGENT_SESSION_BROKEN);
	session_conn = conn;
	agent_hooks_set(&hooks);
	session_log("%s", "authenticated, serving");
	for (;;) {
		rc = stream_recv(conn, &kind, &in, sizeof(in), &e);
		if (rc > 0)
			_exit(AGENT_SESSION_DONE);
		if (rc < 0) {
			session_log("%s", e.msg);
			_exit(AGENT_SESSION_BROKEN);
		}
		if (kind == STREAM_CLOCK) {
			now.mono_us = clock_mono_us() + (uint64_t)session_skew;
			rc = stream_send(conn, STREAM_CLOCK, &now, &e);
		} else if (kind == STREAM_REQ) {
			if (in.req.start_at_us)
				in.req.start_at_us -= (uint64_t)session_skew;
			agent_serve(&in.req, &rep);
			rep.start_us += (uint64_t)session_skew;
			rep.done_us += (uint64_t)session_skew;
			rep.real_minus_mono_us -= session_skew;
			rc = stream_send(conn, STREAM_REPLY, &rep, &e);
		} else {
			session_log("%s", "a message out of place");
			_exit(AGENT_SESSION_BROKEN);
		}
		if (rc)
			_exit(AGENT_SESSION_BROKEN);
	}
}
