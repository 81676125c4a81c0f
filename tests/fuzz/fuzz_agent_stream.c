/* fuzz_agent_stream.c - libFuzzer harness for what `tcprig agent --listen`
 * reads off the network before it acts: the stream's framing (stream_recv,
 * through a socketpair, as the session reads its TCP connection) and the
 * check every request passes (agent_req_check), with and without shell
 * lines allowed. Nothing is served: serving makes real calls.
 *
 * An input whose first byte is odd is one request's body (the rest, zero
 * padded), so the request check is reached without a well-framed header;
 * else it is a stream of messages.
 *
 * Built by -Dfuzz=true (see README.md, "Reliability"):
 *	build-fuzz/tests/fuzz_agent_stream /tmp/corpus
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/proto.h"
#include "agent/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(const struct agent_req *req)
{
	struct agent_reply rep;

	for (int shell = 0; shell < 2; shell++) {
		memset(&rep, 0, sizeof(rep));
		if (agent_req_check(req, shell, &rep) == 0) {
			/* What passes is within the buffers its op uses. */
			bool opt = req->op == AGENT_SETSOCKOPT || req->op == AGENT_GETSOCKOPT;
			bool io = (req->op == AGENT_READ || req->op == AGENT_WRITE ||
				   req->op == AGENT_SENDTO || req->op == AGENT_RECVFROM) &&
				  !req->arg[3];
			bool addr = req->op == AGENT_BIND || req->op == AGENT_CONNECT ||
				    req->op == AGENT_SENDTO;
			bool polls = req->op == AGENT_POLL &&
				     (req->arg[1] < 0 || (uint64_t)req->arg[1] * sizeof(struct pollfd) >
								 AGENT_OPTVAL_MAX);
			bool events = req->op == AGENT_EPOLL_WAIT &&
				      (req->arg[1] < 0 ||
				       (uint64_t)req->arg[1] * sizeof(struct epoll_event) >
					       AGENT_OPTVAL_MAX);

			if (memchr(req->text, '\0', sizeof(req->text)) == NULL ||
			    (opt && req->optlen > AGENT_OPTVAL_MAX) ||
			    (io && req->len > AGENT_IO_MAX) ||
			    (addr && req->addrlen > sizeof(req->addr)) || polls || events ||
			    req->op < AGENT_SOCKET || req->op > AGENT_OP_LAST ||
			    (req->op == AGENT_SHELL && !shell))
				abort();
		} else if (rep.ret != -1 || !rep.err) {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static union {
		struct agent_req req;
		struct agent_reply rep;
		struct stream_hello hello;
	} in;
	struct tr_err err;
	uint32_t kind;
	int sv[2];

	if (size && (data[0] & 1)) {
		memset(&in, 0, sizeof(in));
		memcpy(&in.req, data + 1, size - 1 < sizeof(in.req) ? size - 1 : sizeof(in.req));
		fuzz_check(&in.req);
		return 0;
	}
	/* The socket buffer takes this much without a reader. */
	if (size > 65536 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 0;
	if (write(sv[0], data, size) != (ssize_t)size) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	close(sv[0]);
	while (stream_recv(sv[1], &kind, &in, sizeof(in), &err) == 0) {
		if (stream_body_size(kind) == 0)
			abort();
		if (kind == STREAM_REQ)
			fuzz_check(&in.req);
	}
	close(sv[1]);
	return 0;
}
