/* md5.h - RFC 2385 keys of a case: what the target was given with
 * setsockopt(TCP_MD5SIG), so that the rig signs as its peer would.
 *
 * A `<` line writing `md5` without a digest is signed with the key the
 * target holds for the rig's address; a `>` line writing it expects the
 * target's md5 option to verify under that key (its digest is computed
 * over the live segment and compared as the line's own bytes, so a
 * mismatch shows both digests). `md5 DIGEST` is carried and compared as
 * written. The key is the one in force when the line plays: a later
 * setsockopt replaces it, a key length of 0 deletes it.
 */
#ifndef TCPRIG_RUN_MD5_H
#define TCPRIG_RUN_MD5_H

#include <stddef.h>
#include <stdint.h>

#include "agent/proto.h"
#include "core/err.h"
#include "core/segment.h"
#include "core/tcp_md5.h"

#define RUN_MD5_KEYS 8

struct run_md5_key {
	int family; /* AF_INET, AF_INET6; a v4-mapped address is AF_INET */
	union seg_ip addr;
	uint8_t len;
	uint8_t key[TCP_MD5_KEY_MAX];
};

struct run_md5 {
	size_t n;
	struct run_md5_key k[RUN_MD5_KEYS];
};

/* The target's setsockopt req returned 0: if it was TCP_MD5SIG, its key
 * is now the one for that peer address. */
void run_md5_learn(struct run_md5 *m, const struct agent_req *req);
/* A `<` segment in wire numbers: signed in place if it asks (md5_sign);
 * -1 and a TR_USAGE error when the target holds no key for its source. */
int run_md5_sign(const struct run_md5 *m, struct segment *wire, struct tr_err *err);
/* A `>` line's expectation against live: the digest live must carry put
 * in its md5 option if it asks; -1 and an error when there is no key. */
int run_md5_expect(const struct run_md5 *m, const struct segment *live, struct segment *expected,
		   struct tr_err *err);

/* The md5 option's bytes of from into to's, which no longer asks. */
void run_md5_copy(const struct segment *from, struct segment *to);

#endif
