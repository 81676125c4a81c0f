/* pacer.h - the rig's scheduler: how a worker gets to a deadline on time.
 *
 * A scheduled send is only as precise as the wake-up before it. The pacer
 * sleeps with absolute CLOCK_MONOTONIC deadlines (clock_nanosleep with
 * TIMER_ABSTIME, or the runner's ppoll up to the same point) under a timer
 * slack of 1 ns, wakes PACER_SPIN_US early and spins the rest of the way, so
 * the send goes out within a microsecond or two of its time on an idle
 * machine. What it cannot do on a loaded one (the worker waiting for a CPU)
 * the runner measures and reports: a late rig makes a case INCONCLUSIVE,
 * never a FAIL of the target.
 *
 * pacer_setup() applies the worker's options: the timer slack always, a nice
 * value (PACER_NICE_DEFAULT unless told otherwise: measured on 2 cores with
 * two CPU hogs, it cut the cases made INCONCLUSIVE by the rig's own
 * lateness from 12 of 31 per catalogue run to 1), a CPU to pin to and
 * SCHED_FIFO when asked. pacer_check() tries the options once
 * in the calling process and undoes them, so that `run` can refuse bad ones
 * (exit 2 or 3) before any case starts.
 */
#ifndef TCPRIG_PACER_H
#define TCPRIG_PACER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

/* How long before a deadline the pacer stops sleeping and spins, by
 * default: above the usual wake-up latency of a hrtimer (tens of us). A
 * virtual machine whose idle vCPU the host wakes late (measured here: p99
 * 0.7-2 ms) does better with a spin as long as the gaps (--spin-us). */
#define PACER_SPIN_US 200
#define PACER_SPIN_MAX_US 1000000

#define PACER_NICE_DEFAULT (-10)

struct pacer_opts {
	bool pin;      /* pin to cpu; else leave the affinity alone */
	unsigned cpu;
	bool realtime; /* SCHED_FIFO at the lowest real-time priority */
	bool nice_set; /* nice; else PACER_NICE_DEFAULT */
	int nice;
	unsigned spin_us; /* 0: PACER_SPIN_US */
};

/* Fails with TR_USAGE for a CPU this machine does not have, TR_ENV when the
 * kernel refuses (no CAP_SYS_NICE, RLIMIT_RTPRIO 0, an RT-less cgroup). */
int pacer_check(const struct pacer_opts *o, struct tr_err *err);
int pacer_setup(const struct pacer_opts *o, struct tr_err *err);

/* Monotonic now, us (the clock every runner time is on). */
uint64_t pacer_now_us(void);
/* The spin in force in this process (pacer_setup sets it; a fork keeps it). */
unsigned pacer_spin_us(void);
/* Sleeps until deadline_us - pacer_spin_us(), then spins to deadline_us. */
void pacer_sleep_until(uint64_t deadline_us);
/* Spins until deadline_us; returns at once if it has passed. */
void pacer_spin_until(uint64_t deadline_us);

#endif
