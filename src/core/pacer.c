/* pacer.c - absolute sleeps, a short spin, and the worker's CPU options. */
#include "core/pacer.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"

static unsigned pacer_spin = PACER_SPIN_US;

uint64_t pacer_now_us(void)
{
	return clock_mono_us();
}

unsigned pacer_spin_us(void)
{
	return pacer_spin;
}

static inline void pacer_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

void pacer_spin_until(uint64_t deadline_us)
{
	while (clock_mono_us() < deadline_us)
		pacer_relax();
}

void pacer_sleep_until(uint64_t deadline_us)
{
	struct timespec ts;
	uint64_t wake;

	if (deadline_us > pacer_spin) {
		wake = deadline_us - pacer_spin;
		ts.tv_sec = (time_t)(wake / 1000000u);
		ts.tv_nsec = (long)(wake % 1000000u) * 1000;
		while (clock_mono_us() < wake &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	pacer_spin_until(deadline_us);
}

static int pacer_cpu_ok(unsigned cpu, struct tr_err *err)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	if (cpu >= CPU_SETSIZE || (n > 0 && cpu >= (unsigned long)n))
		return err_usage(err, "--cpu %u: this machine has CPUs 0..%ld", cpu,
				 n > 0 ? n - 1 : 0);
	return 0;
}

static int pacer_apply(const struct pacer_opts *o, struct tr_err *err)
{
	struct sched_param sp = { 0 };
	cpu_set_t set;

	/* Without it a 100 us sleep may end 50 us late (the default slack). */
	if (prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0))
		return err_sys(err, "timer slack");
	/* The default is a wish: without CAP_SYS_NICE the rig runs as it is. */
	if (setpriority(PRIO_PROCESS, 0, o->nice_set ? o->nice : PACER_NICE_DEFAULT) &&
	    o->nice_set)
		return err_env(err, "--nice %d: %s", o->nice, strerror(errno));
	if (o->pin) {
		if (pacer_cpu_ok(o->cpu, err))
			return -1;
		CPU_ZERO(&set);
		CPU_SET(o->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return err_env(err, "--cpu %u: %s (is it online and in this cpuset?)",
				       o->cpu, strerror(errno));
	}
	if (o->realtime) {
		sp.sched_priority = sched_get_priority_min(SCHED_FIFO);
		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			return err_env(err,
				       "--realtime: SCHED_FIFO refused (%s): it needs "
				       "CAP_SYS_NICE or an RLIMIT_RTPRIO above 0, and a "
				       "cgroup with real-time runtime",
				       strerror(errno));
	}
	return 0;
}

int pacer_setup(const struct pacer_opts *o, struct tr_err *err)
{
	pacer_spin = o->spin_us ? o->spin_us : PACER_SPIN_US;
	return pacer_apply(o, err);
}

int pacer_check(const struct pacer_opts *o, struct tr_err *err)
{
	struct sched_param old_sp;
	cpu_set_t old_set;
	int old_policy = sched_getscheduler(0), rc, old_nice;

	if (o->pin && pacer_cpu_ok(o->cpu, err))
		return -1;
	errno = 0;
	old_nice = getpriority(PRIO_PROCESS, 0);
	if (sched_getaffinity(0, sizeof(old_set), &old_set) || sched_getparam(0, &old_sp) ||
	    old_policy < 0 || (old_nice == -1 && errno))
		return err_sys(err, "scheduler settings");
	rc = pacer_apply(o, err);
	/* The parent only waits for workers: it keeps what it had. */
	sched_setaffinity(0, sizeof(old_set), &old_set);
	sched_setscheduler(0, old_policy, &old_sp);
	setpriority(PRIO_PROCESS, 0, old_nice);
	return rc;
}
