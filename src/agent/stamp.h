/* stamp.h - what the agent measures around each system call (proto.h's
 * start_us, done_us, run_delay_us, slept), and the board it publishes each
 * call's start on for the runner, or, over a stream, the notice it sends
 * when the request asked for one (hooks.h's started).
 */
#ifndef TCPRIG_AGENT_STAMP_H
#define TCPRIG_AGENT_STAMP_H

#include <stdint.h>

#include "agent/proto.h"

/* The board to publish on (NULL: none), the fd of this thread's
 * /proc/thread-self/schedstat (-1: none). */
void agent_stamp_setup(struct agent_board *board, int stat_fd);
/* The request about to be served: its seq names it on the board, its
 * flags say whether to send a start notice (AGENT_REQ_NOTIFY_START). */
void agent_stamp_request(uint32_t seq, uint32_t flags);
/* The schedstat fd (the agent's own: no case may touch it). */
int agent_stamp_stat_fd(void);
/* Right before the system call: nothing of the agent's own work may fall
 * between the stamp and the call. */
void agent_enter(struct agent_reply *rep);
/* Right after it. */
void agent_leave(struct agent_reply *rep);

#endif
