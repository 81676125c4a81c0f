/* Unit tests for the TCP agent's handshake pieces and framing: the MACs
 * (HMAC-SHA256 of token, role and nonces), the token file rules, the header checks,
 * a request round trip over a socketpair, and the journal. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/auth.h"
#include "agent/session.h"
#include "agent/stream.h"
#include "tap.h"

static void test_mac_depends_on_token_role_and_nonces(void)
{
	struct agent_token t1 = {.len = 16}, t2 = {.len = 16};
	uint8_t a[AUTH_NONCE] = {1}, b[AUTH_NONCE] = {2}, m1[AUTH_MAC], m2[AUTH_MAC];

	memcpy(t1.bytes, "0123456789abcdef", 16);
	memcpy(t2.bytes, "0123456789abcdeg", 16);
	agent_auth_mac(&t1, AUTH_ROLE_RIG, a, b, m1);
	agent_auth_mac(&t1, AUTH_ROLE_RIG, a, b, m2);
	ok(agent_auth_equal(m1, m2), "same token, role and nonces: same MAC");
	agent_auth_mac(&t2, AUTH_ROLE_RIG, a, b, m2);
	ok(!agent_auth_equal(m1, m2), "a token one byte off: another MAC");
	agent_auth_mac(&t1, AUTH_ROLE_AGENT, a, b, m2);
	ok(!agent_auth_equal(m1, m2), "the agent's MAC is not the rig's");
	b[0] = 3;
	agent_auth_mac(&t1, AUTH_ROLE_RIG, a, b, m2);
	ok(!agent_auth_equal(m1, m2), "another nonce: another MAC (no replay)");
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror("write");
		fchmod(fd, mode);
		close(fd);
	}
}

static void test_token_file_rules(void)
{
	char dir[] = "/tmp/tcprig-token-XXXXXX", path[64];
	struct agent_token tok;
	struct tr_err err;

	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/t", dir);
	write_file(path, "0123456789abcdefXYZ\n", 0600);
	ok(agent_token_load(path, &tok, &err) == 0 && tok.len == 19,
	   "a 600 token file loads without its newline");
	write_file(path, "0123456789abcdefXYZ\n", 0644);
	ok(agent_token_load(path, &tok, &err) == -1 && err.status == TR_USAGE &&
		   strstr(err.msg, "chmod 600"),
	   "a token others may read is refused: %s", err.msg);
	write_file(path, "short\n", 0600);
	ok(agent_token_load(path, &tok, &err) == -1 && strstr(err.msg, "at least 16"),
	   "a short token is refused: %s", err.msg);
	unlink(path);
	ok(agent_token_load(path, &tok, &err) == -1 && strstr(err.msg, path),
	   "a missing file is named: %s", err.msg);
	rmdir(dir);
}

static void test_header_checks(void)
{
	uint8_t hdr[8] = {0, 0, 0, STREAM_REQ, 0, 0, 0, 0};
	uint32_t kind, n = htonl((uint32_t)sizeof(struct agent_req));
	struct tr_err err;
	size_t len;

	memcpy(hdr + 4, &n, 4);
	ok(stream_header_check(hdr, sizeof(struct agent_req), &kind, &len, &err) == 0 &&
		   kind == STREAM_REQ && len == sizeof(struct agent_req),
	   "a request header of the right size passes");
	ok(stream_header_check(hdr, sizeof(struct agent_req) - 1, &kind, &len, &err) == -1,
	   "a message bigger than the room for it is refused");
	hdr[3] = 99;
	ok(stream_header_check(hdr, 1 << 20, &kind, &len, &err) == -1 &&
		   strstr(err.msg, "unknown"),
	   "an unknown kind is refused: %s", err.msg);
	hdr[3] = STREAM_REQ;
	hdr[7] ^= 1;
	ok(stream_header_check(hdr, 1 << 20, &kind, &len, &err) == -1,
	   "a request of another length is refused: %s", err.msg);
}

static void test_request_round_trip(void)
{
	static struct agent_req req, back;
	struct tr_err err;
	uint32_t kind = 0;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		ok(false, "socketpair");
		return;
	}
	agent_req_init(&req, AGENT_SYSCTL_SET);
	snprintf(req.text, sizeof(req.text), "net.ipv4.tcp_rfc1337=1");
	req.seq = 7;
	ok(stream_send(sv[0], STREAM_REQ, &req, &err) == 0, "a request is sent");
	ok(stream_recv(sv[1], &kind, &back, sizeof(back), &err) == 0 && kind == STREAM_REQ &&
		   !memcmp(&req, &back, sizeof(req)),
	   "and arrives whole");
	close(sv[0]);
	ok(stream_recv(sv[1], &kind, &back, sizeof(back), &err) == 1,
	   "a stream closed between messages is the end, not an error");
	close(sv[1]);
}

static void test_journal_keeps_the_first_value(void)
{
	static struct agent_journal j;

	ok(agent_journal_add(&j, "net.ipv4.tcp_rfc1337", "0") == 0, "journalled");
	ok(agent_journal_add(&j, "net.ipv4.tcp_rfc1337", "1") == 0 && j.n == 1 &&
		   !strcmp(j.e[0].old, "0"),
	   "set twice: the value before the first set is kept");
	for (int i = 1; i < AGENT_JOURNAL_MAX; i++) {
		char name[32];

		snprintf(name, sizeof(name), "net.x.k%d", i);
		agent_journal_add(&j, name, "1");
	}
	ok(agent_journal_add(&j, "net.one.too.many", "1") == -1,
	   "a full journal refuses (the set is refused with it)");
}

int main(void)
{
	test_mac_depends_on_token_role_and_nonces();
	test_token_file_rules();
	test_header_checks();
	test_request_round_trip();
	test_journal_keeps_the_first_value();
	return tap_done();
}
