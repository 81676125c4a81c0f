/* auth.c - the token file and the MACs, through libcrypto: no crypto of
 * our own. */
#include "agent/auth.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int agent_token_load(const char *path, struct agent_token *tok, struct tr_err *err)
{
	struct stat st;
	ssize_t n;
	int fd;

	memset(tok, 0, sizeof(*tok));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_usage(err, "token file %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_usage(err, "token file %s: not a regular file", path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return err_usage(err, "token file %s: others may read or write it (mode %03o): "
				      "chmod 600 it", path, (unsigned)(st.st_mode & 0777));
	}
	n = read(fd, tok->bytes, sizeof(tok->bytes));
	if (n == (ssize_t)sizeof(tok->bytes)) {
		char more;

		if (read(fd, &more, 1) > 0) {
			close(fd);
			return err_usage(err, "token file %s: over %d bytes", path,
					 AUTH_TOKEN_MAX);
		}
	}
	close(fd);
	if (n < 0)
		return err_usage(err, "token file %s: %s", path, strerror(errno));
	while (n > 0 && (tok->bytes[n - 1] == '\n' || tok->bytes[n - 1] == '\r'))
		n--;
	if (n < AUTH_TOKEN_MIN)
		return err_usage(err, "token file %s: %zd bytes, at least %d wanted "
				      "(head -c 32 /dev/urandom | base64 > FILE)", path, n,
				 AUTH_TOKEN_MIN);
	tok->len = (size_t)n;
	return 0;
}

int agent_nonce(uint8_t out[AUTH_NONCE], struct tr_err *err)
{
	size_t got = 0;

	while (got < AUTH_NONCE) {
		ssize_t n = getrandom(out + got, AUTH_NONCE - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, "getrandom");
		got += (size_t)n;
	}
	return 0;
}

int agent_auth_mac(const struct agent_token *tok, const char *role,
		   const uint8_t agent_nonce[AUTH_NONCE], const uint8_t rig_nonce[AUTH_NONCE],
		   uint8_t out[AUTH_MAC])
{
	uint8_t msg[64 + 2 * AUTH_NONCE];
	size_t rl = strlen(role);
	unsigned int outlen = 0;

	if (rl > 64)
		return -1;
	memcpy(msg, role, rl);
	memcpy(msg + rl, agent_nonce, AUTH_NONCE);
	memcpy(msg + rl + AUTH_NONCE, rig_nonce, AUTH_NONCE);
	if (!HMAC(EVP_sha256(), tok->bytes, (int)tok->len, msg, rl + 2 * AUTH_NONCE, out,
		  &outlen) ||
	    outlen != AUTH_MAC)
		return -1;
	return 0;
}

bool agent_auth_equal(const uint8_t a[AUTH_MAC], const uint8_t b[AUTH_MAC])
{
	return CRYPTO_memcmp(a, b, AUTH_MAC) == 0;
}
