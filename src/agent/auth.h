/* auth.h - the agent's challenge-response over a shared token: each side
 * sends a fresh random nonce, and each proves it holds the token with an
 * HMAC-SHA256 (OpenSSL's libcrypto) of its role and both nonces. The token
 * itself never crosses the wire, and a MAC seen once is worth nothing in
 * another session (new nonces). MACs are compared in constant time.
 */
#ifndef TCPRIG_AGENT_AUTH_H
#define TCPRIG_AGENT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define AUTH_NONCE 32
#define AUTH_MAC 32
#define AUTH_TOKEN_MIN 16
#define AUTH_TOKEN_MAX 1024

struct agent_token {
	uint8_t bytes[AUTH_TOKEN_MAX];
	size_t len;
};

/* Reads a token file: its bytes without the trailing newline(s), at least
 * AUTH_TOKEN_MIN of them; a file others may read or write is refused
 * (chmod 600), as ssh refuses such a key. Errors name the file (TR_USAGE). */
int agent_token_load(const char *path, struct agent_token *tok, struct tr_err *err);
/* AUTH_NONCE random bytes from the kernel (getrandom). */
int agent_nonce(uint8_t out[AUTH_NONCE], struct tr_err *err);
/* HMAC-SHA256(token, role || agent_nonce || rig_nonce). */
int agent_auth_mac(const struct agent_token *tok, const char *role,
		   const uint8_t agent_nonce[AUTH_NONCE], const uint8_t rig_nonce[AUTH_NONCE],
		   uint8_t out[AUTH_MAC]);
/* Constant-time equality of two MACs. */
bool agent_auth_equal(const uint8_t a[AUTH_MAC], const uint8_t b[AUTH_MAC]);

/* The roles: each side's MAC differs, so one cannot be sent back for the
 * other. */
#define AUTH_ROLE_RIG "tcprig rig"
#define AUTH_ROLE_AGENT "tcprig agent"

#endif
