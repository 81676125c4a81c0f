/* stream.h - the agent protocol over a byte stream (TCP): each message is
 * an 8-byte header, kind and body length in network order, then a body
 * whose size the kind fixes. A receiver refuses an unknown kind or a length
 * other than its kind's before it reads the body, so nothing a peer sends
 * makes it allocate or overrun.
 *
 * A session: the agent sends HELLO (magic, struct sizes, its nonce) or BUSY;
 * the rig answers AUTH (its nonce, its MAC); the agent answers OK (its own
 * MAC, so the rig knows it too holds the token) or REFUSED. Then CLOCK
 * pairs (the rig learns the agent's clock), and REQ/REPLY pairs, a STARTED
 * between them when the request asked for it. The structs are sent as the
 * machine lays them out: the rig and the agent must be the same tcprig
 * build on the same architecture, which HELLO's sizes and magic check.
 */
#ifndef TCPRIG_AGENT_STREAM_H
#define TCPRIG_AGENT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "agent/auth.h"
#include "agent/proto.h"
#include "core/err.h"

#define STREAM_MAGIC "tcprig-agent/1"

enum stream_kind {
	STREAM_HELLO = 1,
	STREAM_BUSY,
	STREAM_AUTH,
	STREAM_OK,
	STREAM_REFUSED,
	STREAM_CLOCK,
	STREAM_REQ,
	STREAM_STARTED,
	STREAM_REPLY,
};

struct stream_hello {
	char magic[16];
	uint32_t req_size, rep_size;
	uint8_t nonce[AUTH_NONCE];
};

struct stream_auth {
	uint8_t nonce[AUTH_NONCE];
	uint8_t mac[AUTH_MAC];
	/* The rig's phantom (network order; 0: none yet): the TCP sockets
	 * talking to it are closed when the session ends. */
	uint32_t rig_addr;
	uint32_t flags; /* STREAM_AUTH_* */
};

/* rig_addr is the rig host's own address (--rig-addr self): of the sockets
 * talking to it only the session's are closed, not its other connections
 * to the host (an ssh session). */
#define STREAM_AUTH_SELF 1u

struct stream_ok {
	uint8_t mac[AUTH_MAC];
};

/* BUSY and REFUSED: why, for the other side's user. */
struct stream_text {
	char text[256];
};

struct stream_clock {
	uint64_t mono_us; /* the agent's CLOCK_MONOTONIC; 0 in the request */
};

struct stream_started {
	uint32_t seq, pad;
	uint64_t start_us;
};

/* The body size of kind; 0 for a kind that does not exist. */
size_t stream_body_size(uint32_t kind);
/* Writes one message whole (blocking; EINTR retried). */
int stream_send(int fd, uint32_t kind, const void *body, struct tr_err *err);
/* Reads one message whole into body (cap bytes, at least the kind's size).
 * 0: a message; 1: the peer closed the stream between messages; -1: err
 * says why (a timeout set with SO_RCVTIMEO included). */
int stream_recv(int fd, uint32_t *kind, void *body, size_t cap, struct tr_err *err);
/* The header check alone, on 8 bytes: 0 and the kind and size, or -1 with
 * err. Pure (the fuzzer's entry). */
int stream_header_check(const uint8_t hdr[8], size_t cap, uint32_t *kind, size_t *len,
			struct tr_err *err);

#endif
