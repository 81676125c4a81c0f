/* call_cmsg.h - recvmsg's msghdr as the kernel fills it: msg_flags, and the
 * control messages of msg_control, as packetdrill's scripts write them:
 *
 *	msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, cmsg_data=8000},
 *		     {cmsg_level=SOL_IP, cmsg_type=IP_RECVERR,
 *		      cmsg_data={ee_errno=0, ee_origin=SO_EE_ORIGIN_ZEROCOPY, ...}}]
 *
 * The cmsgs the kernel gave are held up against the script's in order, as
 * many as the script writes and no fewer; cmsg_data is an int, a struct
 * sock_extended_err whose written fields are compared, or a struct
 * scm_timestamping {scm_sec=S, scm_nsec=N} (its software stamp ts[0], a
 * script time: here only its presence is checked, its time by the runner,
 * run/tstamp.h). A msg_flags field is the flags recvmsg returned.
 */
#ifndef TCPRIG_RUN_CALL_CMSG_H
#define TCPRIG_RUN_CALL_CMSG_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/agent.h"
#include "case/case.h"
#include "core/err.h"

/* Whether msg_control (a list) is written in a way call_cmsg_check can
 * judge: 0, or -1 and a TR_USAGE error naming the column. */
int call_cmsg_valid(const struct case_call *c, const struct case_expr *ctl,
		    struct tr_err *err);
/* Whether cmsg_data d is written as a scm_timestamping {scm_sec=, scm_nsec=}. */
bool call_cmsg_is_stamp(const struct case_expr *d);
/* The reply of a recvmsg against msghdr msg as written: 0, or -1 and why. */
int call_cmsg_check(const struct case_expr *msg, const struct agent_reply *rep, char *why,
		    size_t cap);

#endif
