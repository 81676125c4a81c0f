/* call.h - a case's socket-call line as an agent request, and the
 * agent's reply checked against what the line expects.
 *
 * packetdrill's `...` stands for what the rig knows and the script does not:
 * the address bind() takes is the target's own (port RUN_TARGET_PORT unless
 * a sockaddr names one), the address connect() takes is the rig's phantom
 * (at the rig port of the case's flow), buffers are the agent's.
 */
#ifndef TCPRIG_RUNNER_CALL_H
#define TCPRIG_RUNNER_CALL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/agent.h"
#include "case/case.h"
#include "core/err.h"
#include "run/call_args.h"
#include "run/fdmap.h"

/* Fills req; a call the agent cannot make as written is a TR_USAGE error
 * naming the argument. */
int call_request(const struct case_call *c, const struct call_env *env,
		 struct agent_req *req, struct tr_err *err);

/* 0 if the reply is what the line expects; else -1 and why, e.g.
 * "connect returned -1 (ECONNREFUSED), expected 0". A call that returns an
 * fd holds with any fd when the line expects one (fdmap.h). */
int call_check(const struct case_call *c, const struct agent_req *req,
	       const struct agent_reply *rep, char *why, size_t cap);

/* Does req's call return a new fd? */
bool call_returns_fd(const struct agent_req *req);
/* After a call that held (line held): the numbers it wrote name the fds
 * the kernel returned (socket, accept, epoll_create, open; pipe's two), a
 * close forgets its fd's name (fdmap.h). */
void call_name_fds(const struct case_call *held, const struct agent_req *req,
		   const struct agent_reply *rep, struct fd_map *fds);

/* The port a bind() or connect() line names in its sockaddr, else 0. */
uint16_t call_named_port(const struct case_call *c);

#endif
