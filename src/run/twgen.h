/* twgen.h - the TIME_WAIT matrix's cases, generated: a cell (twcell.h) as a
 * case script in the dialect, text that the normal parser reads.
 *
 * Each script: a listener; the rig connects (its ISN 0) and the target's
 * accepted socket closes first; the rig ACKs the FIN with its own FIN, the
 * target's last ACK leaves its socket in TIME_WAIT (checked through
 * sock_diag, and its window checked to be `win` bytes, so the positions mean
 * what they say); 10 ms later the rig sends the cell's one segment, then a
 * `> any` line records what comes for 100 ms, and a sock_state group says
 * whether the TIME_WAIT socket is kept, gone, or replaced by a new
 * connection. tcp_timestamps=1 and the cell's tcp_rfc1337 are the case's
 * --sysctl lines.
 *
 * Numbers: both ISNs are 0 in the script, so TIME_WAIT's rcv_nxt and
 * snd_nxt are 2 and TS.Recent is 120; a fresh TS val is 200, a stale one
 * 50. A segment carrying SYN writes its seq absolute, which with ISN 0 is
 * the same number. Data is one byte.
 *
 * Families: an IPv6 cell is the same script with --ip_version=ipv6 (so that
 * --print-case's text runs on IPv6 by itself too) and the target's MSS of
 * that family: its path MTU into the lab minus the IP and TCP headers (40
 * bytes on IPv4, 60 on IPv6; the lab gives IPv6 a path 20 bytes longer, so
 * both come to 1460 - twgen_target_mss says so, and a lab that changed it
 * would change the script, not fail it). The window is the same: the
 * kernel derives it from the buffers and the MSS, and each cell's setup
 * checks it.
 */
#ifndef TCPRIG_RUN_TWGEN_H
#define TCPRIG_RUN_TWGEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "report/twcell.h"

/* The TIME_WAIT socket's receive window on this kernel's defaults (its ACK
 * says win 64 at wscale 10); the setup checks it. */
#define TWGEN_WINDOW 65536u
/* How long the `> any` line records, in ms. */
#define TWGEN_OBSERVE_MS 100

/* The MSS the target advertises in a lab of family f: its path MTU there
 * less the IP and TCP headers. */
unsigned twgen_target_mss(enum tw_family f);

/* The script of cell p into buf (NUL-terminated); *observe_line is its
 * `> any` line. -1 with err when buf is too small. */
int twgen_script(const struct tw_params *p, uint32_t win, char *buf, size_t cap,
		 int *observe_line, struct tr_err *err);

#endif
