/* session.h - one rig's session with `tcprig agent --listen`, on the agent's
 * side: the handshake (auth.h), then requests served by the same code as the
 * lab's agent (server.h) until the rig goes. It runs in a child the listener
 * forks per session, so the case's sockets and fds die with it.
 *
 * When it ends, the TCP sockets talking to the rig's phantom (which the rig
 * names in its AUTH) are closed (sock_kill.h): the next session starts on a
 * host as clean as a fresh lab, with no TIME_WAIT of the last case in it.
 * Every sysctl the session sets is journalled in memory it shares with the
 * listener before it changes; the listener puts the old values back once
 * the session is over, however it ended (the rig closed, died, vanished
 * and TCP keepalive gave up; the session child killed).
 */
#ifndef TCPRIG_AGENT_SESSION_H
#define TCPRIG_AGENT_SESSION_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "agent/auth.h"
#include "agent/proto.h"

#define AGENT_JOURNAL_MAX 64
#define AGENT_JOURNAL_NAME 128
#define AGENT_JOURNAL_PORTS 256

/* Shared (MAP_SHARED) between the listener and its session child. */
struct agent_journal {
	struct in_addr peer; /* the rig's phantom: its sockets are closed */
	/* peer is the rig host's own address: only its sockets on a local
	 * port one of the session's sockets had are closed (ports[]). */
	bool self;
	unsigned nports;
	uint16_t ports[AGENT_JOURNAL_PORTS];
	unsigned n;
	struct {
		char name[AGENT_JOURNAL_NAME];
		char old[AGENT_OUT_MAX];
	} e[AGENT_JOURNAL_MAX];
};

/* Exit statuses of a session child. */
enum {
	AGENT_SESSION_DONE = 0,	   /* the rig ended it */
	AGENT_SESSION_BROKEN = 1,  /* the stream broke or spoke nonsense */
	AGENT_SESSION_REFUSED = 2, /* wrong token, or no handshake in time */
};

/* The child: handshake on conn with peer (for log lines), then serve.
 * Never returns. */
void agent_session_main(int conn, const char *peer, const struct agent_token *tok,
			bool allow_shell, struct agent_journal *j, FILE *log);
/* Adds name's old value unless name is already there (its first value is
 * the one to restore). -1: the journal is full. */
int agent_journal_add(struct agent_journal *j, const char *name, const char *old);
/* Notes a local port of the session's sockets, once; a port past
 * AGENT_JOURNAL_PORTS is not kept (its socket stays, if it outlives the
 * session and the rig's address is its own). */
void agent_journal_port(struct agent_journal *j, uint16_t port);
/* Puts every journalled value back, newest first, and empties the journal.
 * Returns how many were restored; failures are counted in *failed and the
 * first one described in why. */
unsigned agent_journal_restore(struct agent_journal *j, unsigned *failed, char *why,
			       size_t cap);

#endif
