/* stream.c - framing the agent protocol on a byte stream. */
#include "agent/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

size_t stream_body_size(uint32_t kind)
{
	switch ((enum stream_kind)kind) {
	case STREAM_HELLO:
		return sizeof(struct stream_hello);
	case STREAM_BUSY:
	case STREAM_REFUSED:
		return sizeof(struct stream_text);
	case STREAM_AUTH:
		return sizeof(struct stream_auth);
	case STREAM_OK:
		return sizeof(struct stream_ok);
	case STREAM_CLOCK:
		return sizeof(struct stream_clock);
	case STREAM_REQ:
		return sizeof(struct agent_req);
	case STREAM_STARTED:
		return sizeof(struct stream_started);
	case STREAM_REPLY:
		return sizeof(struct agent_reply);
	}
	return 0;
}

/* Header and body in one sendmsg: one segment where it fits, never a
 * header left waiting for an ACK (Nagle) while its body sits behind it. */
static int stream_write_all(int fd, const void *hdr, const void *body, size_t len,
			    struct tr_err *err)
{
	struct iovec iov[2] = {{(void *)hdr, 8}, {(void *)body, len}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};

	while (m.msg_iovlen) {
		ssize_t n = sendmsg(fd, &m, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_sys(err, "agent stream: send");
		while (m.msg_iovlen && (size_t)n >= m.msg_iov->iov_len) {
			n -= (ssize_t)m.msg_iov->iov_len;
			m.msg_iov++;
			m.msg_iovlen--;
		}
		if (m.msg_iovlen) {
			m.msg_iov->iov_base = (uint8_t *)m.msg_iov->iov_base + n;
			m.msg_iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

/* 1: end of stream before the first byte; 0: all read; -1: err. */
static int stream_read_all(int fd, void *buf, size_t len, struct tr_err *err)
{
	uint8_t *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, p + got, len - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return err_env(err, "agent stream: the other side sent nothing in time");
		if (n < 0)
			return err_sys(err, "agent stream: receive");
		if (n == 0) {
			if (got == 0)
				return 1;
			return err_env(err, "agent stream: closed in the middle of a message");
		}
		got += (size_t)n;
	}
	return 0;
}

int stream_send(int fd, uint32_t kind, const void *body, struct tr_err *err)
{
	size_t len = stream_body_size(kind);
	uint32_t hdr[2] = {htonl(kind), htonl((uint32_t)len)};

	if (!len)
		return err_usage(err, "agent stream: no message kind %u", kind);
	return stream_write_all(fd, hdr, body, len, err);
}

int stream_header_check(const uint8_t hdr[8], size_t cap, uint32_t *kind, size_t *len,
			struct tr_err *err)
{
	uint32_t k, l;

	memcpy(&k, hdr, 4);
	memcpy(&l, hdr + 4, 4);
	k = ntohl(k);
	l = ntohl(l);
	*len = stream_body_size(k);
	if (!*len)
		return err_usage(err, "agent stream: unknown message kind %u", k);
	if (l != *len)
		return err_usage(err, "agent stream: message kind %u of %u bytes, not %zu "
				      "(another tcprig version?)", k, l, *len);
	if (*len > cap)
		return err_usage(err, "agent stream: message kind %u unexpected here", k);
	*kind = k;
	return 0;
}

int stream_recv(int fd, uint32_t *kind, void *body, size_t cap, struct tr_err *err)
{
	uint8_t hdr[8];
	size_t len;
	int rc;

	rc = stream_read_all(fd, hdr, sizeof(hdr), err);
	if (rc)
		return rc;
	if (stream_header_check(hdr, cap, kind, &len, err))
		return -1;
	rc = stream_read_all(fd, body, len, err);
	if (rc > 0)
		return err_env(err, "agent stream: closed in the middle of a message");
	return rc;
}
