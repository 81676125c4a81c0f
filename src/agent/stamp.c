/* stamp.c - the agent's stamps around each system call: its start and end
 * on CLOCK_MONOTONIC, the start published on the board, the time the agent
 * waited for a CPU in between (schedstat) and whether it slept (getrusage). */
#include "agent/stamp.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "agent/hooks.h"
#include "core/clock.h"

/* The child's timing: the board it publishes starts on, the request being
 * served, and its own schedstat (parked on a high fd like the channel). */
static struct agent_board *agent_board;
static uint32_t agent_seq, agent_flags;
static int agent_stat_fd = -1;
static int64_t agent_delay_before;
static struct rusage agent_usage_before;

/* The scheduler's run_delay of this thread so far, us; -1 if unknown. */
static int64_t agent_run_delay_us(void)
{
	char buf[96];
	unsigned long long on_cpu, delay;
	ssize_t n;

	if (agent_stat_fd < 0)
		return -1;
	n = pread(agent_stat_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &on_cpu, &delay) != 2)
		return -1;
	return (int64_t)(delay / 1000u);
}

/* Right before the system call: nothing of the agent's own work may fall
 * between the stamp and the call. */
void agent_enter(struct agent_reply *rep)
{
	agent_delay_before = agent_run_delay_us();
	if (getrusage(RUSAGE_THREAD, &agent_usage_before))
		agent_usage_before.ru_nvcsw = -1;
	rep->start_us = clock_mono_us();
	if (agent_board) {
		atomic_store_explicit(&agent_board->start_us, rep->start_us,
				      memory_order_relaxed);
		atomic_store_explicit(&agent_board->started, agent_seq, memory_order_release);
	} else if (agent_hooks()->started && (agent_flags & AGENT_REQ_NOTIFY_START)) {
		/* Over a stream the notice is a message: it costs a send
		 * between the stamp and the call, so only when asked. */
		agent_hooks()->started(agent_hooks()->ctx, agent_seq, rep->start_us);
	}
}

void agent_leave(struct agent_reply *rep)
{
	struct rusage usage;
	int64_t after;

	rep->done_us = clock_mono_us();
	rep->real_minus_mono_us = (int64_t)clock_real_us() - (int64_t)rep->done_us;
	after = agent_run_delay_us();
	rep->run_delay_us = after >= 0 && agent_delay_before >= 0 ? after - agent_delay_before : -1;
	rep->slept = agent_usage_before.ru_nvcsw >= 0 && !getrusage(RUSAGE_THREAD, &usage) ?
			     usage.ru_nvcsw - agent_usage_before.ru_nvcsw :
			     -1;
}

void agent_stamp_setup(struct agent_board *board, int stat_fd)
{
	agent_board = board;
	agent_stat_fd = stat_fd;
}

void agent_stamp_request(uint32_t seq, uint32_t flags)
{
	agent_seq = seq;
	agent_flags = flags;
}

int agent_stamp_stat_fd(void)
{
	return agent_stat_fd;
}
