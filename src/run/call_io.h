/* call_io.h - the socket calls beyond the first few, as packetdrill's
 * scripts write them: send, sendto, sendmsg, recv, recvfrom, recvmsg,
 * ioctl, poll, epoll_create, epoll_ctl, epoll_wait.
 *
 * Buffers are the agent's (`...`; NULL is a NULL pointer: EFAULT). A
 * msghdr's iovecs count by their lengths; msg_name is the connection's
 * peer, used with MSG_FASTOPEN only (TCP ignores it otherwise); a
 * recvmsg's msg_control and msg_flags are checked (call_cmsg.h), a
 * sendmsg's msg_control must be empty. An address argument is used with MSG_FASTOPEN only.
 * fd arguments, and the fds in pollfds and epoll_ctl, are the script's
 * names (fdmap.h). An epoll event's data is what the script wrote (fd=4
 * carries 4 back, as a name), so epoll_wait's events compare as written.
 * What the kernel fills is checked where the line writes it: poll's
 * revents, epoll_wait's events and data, ioctl's [N].
 */
#ifndef TCPRIG_RUN_CALL_IO_H
#define TCPRIG_RUN_CALL_IO_H

#include <stddef.h>

#include "agent/agent.h"
#include "case/case.h"
#include "core/err.h"
#include "run/call_args.h"

/* 1 and req built if c is one of these calls, 0 if it is not, -1 (a
 * TR_USAGE error naming the argument) if it cannot be made as written. */
int call_io_request(const struct case_call *c, const struct call_env *env,
		    struct agent_req *req, struct tr_err *err);
/* What the kernel filled, against what line c writes: 0, or -1 and why. */
int call_io_check(const struct case_call *c, const struct agent_req *req,
		  const struct agent_reply *rep, char *why, size_t cap);

#endif
