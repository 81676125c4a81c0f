/* tcp_md5.h - RFC 2385's TCP MD5 signature of a segment, as Linux computes
 * it for TCP_MD5SIG: MD5 over the pseudo-header (IPv4: addresses, zero,
 * protocol, TCP length; IPv6: RFC 8200's), the TCP header without its
 * options and with a zero checksum, the payload, then the key.
 *
 * The header is the one the segment's options make: its data offset counts
 * the options as segment_opts_encode writes them (a decoded segment keeps
 * its padding, so a live segment's digest is over its own header). A
 * payload of NULL is payload_len zero bytes, as the crafter sends it.
 */
#ifndef TCPRIG_CORE_TCP_MD5_H
#define TCPRIG_CORE_TCP_MD5_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/segment.h"

#define TCP_MD5_LEN 16
#define TCP_MD5_KEY_MAX 80 /* TCP_MD5SIG_MAXKEYLEN */

/* The digest of s under key (keylen bytes, at most TCP_MD5_KEY_MAX). */
int tcp_md5_digest(const struct segment *s, const uint8_t *key, size_t keylen,
		   uint8_t out[TCP_MD5_LEN], struct tr_err *err);
/* s's md5 option (kind 19, 18 bytes), or NULL. */
struct seg_opt *tcp_md5_opt(struct segment *s);

#endif
