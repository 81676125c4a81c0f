/* calls.h - the socket calls the agent makes for a case (socket, bind,
 * connect, read, write, setsockopt, sendto, poll, epoll_*, ...: proto.h's
 * socket-call ops).
 */
#ifndef TCPRIG_AGENT_CALLS_H
#define TCPRIG_AGENT_CALLS_H

#include "agent/proto.h"

/* Makes req's call; the reply is the call's own result. ctl is the agent's
 * channel, which no case may touch. */
void agent_do_call(const struct agent_req *req, struct agent_reply *rep, int ctl);
/* The socket the agent made or accepted last (-1: none yet). */
int agent_calls_last_socket(void);

#endif
