/* queries.h - the runner's questions about the target: a socket's state,
 * a counter, a sysctl (read or set), a socket's TCP_INFO.
 */
#ifndef TCPRIG_AGENT_QUERIES_H
#define TCPRIG_AGENT_QUERIES_H

#include "agent/proto.h"

void agent_do_sock_state(const struct agent_req *req, struct agent_reply *rep);
void agent_do_counter(const struct agent_req *req, struct agent_reply *rep);
void agent_do_sysctl(const struct agent_req *req, struct agent_reply *rep);
void agent_do_tcp_info(const struct agent_req *req, struct agent_reply *rep, int ctl);

#endif
