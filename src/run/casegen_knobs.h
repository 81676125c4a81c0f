/* casegen_knobs.h - sysctls a recording changed on the way, as a settings
 * file says them and as pcap2case's script sets them.
 *
 * In CAPTURE.settings (cmd/capture_settings.h) a line `--sysctl-at TIME
 * NAME=VALUE`: TIME on the capture's own clock, seconds since the epoch
 * with up to 9 decimals, as `tcpdump -tt` prints a packet's time
 * (1765118366.123456); NAME=VALUE as a --sysctl takes it (a net.* knob; a
 * value of several fields with blanks between them). The script sets the
 * knob with the dialect's shell line, which runs in the target's namespace:
 * `sysctl -q NAME=VALUE` (the value in single quotes when it has blanks),
 * placed among the packets in capture-time order (run/casegen_text.h).
 */
#ifndef TCPRIG_RUN_CASEGEN_KNOBS_H
#define TCPRIG_RUN_CASEGEN_KNOBS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "run/casegen_opts.h"

/* "TIME NAME=VALUE" into k. On bad input a TR_USAGE error saying what is
 * wrong, and *col the 1-based column in text where it is. */
int casegen_knob_parse(const char *text, struct casegen_knob *k, int *col, struct tr_err *err);
/* In time order, those of one moment in the order given. */
void casegen_knobs_sort(struct casegen_knob *k, size_t n);
/* "1765118366.123456" from ns (microseconds: the rig's clock has no more). */
void casegen_knob_time(int64_t ns, char *buf, size_t cap);
/* The script's shell line: "`sysctl -q net.ipv4.tcp_tw_reuse=1`". */
void casegen_knob_line(const struct casegen_knob *k, char *buf, size_t cap);

#endif
