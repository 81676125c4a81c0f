/* clock.h - the one clock every timed part of tcprig reads.
 *
 * The runner compares times the agent stamped (a call's start and return)
 * with its own: both must come from the same clock, CLOCK_MONOTONIC, in
 * microseconds. pcap stamps are CLOCK_REALTIME; clock_real_us is for
 * converting them.
 */
#ifndef TCPRIG_CLOCK_H
#define TCPRIG_CLOCK_H

#include <stdint.h>

uint64_t clock_mono_us(void);
uint64_t clock_real_us(void);

#endif
