/* tstamp.h - a recvmsg's SCM_TIMESTAMPING stamps judged against the script's
 * clock, as packetdrill judges them: a cmsg written
 *
 *	{cmsg_level=SOL_SOCKET, cmsg_type=SCM_TIMESTAMPING,
 *	 cmsg_data={scm_sec=0, scm_nsec=20000000}}
 *
 * says the kernel stamped its software time ts[0] at script time 0.020 s,
 * within --tolerance_usecs (its percentage plays no part, as in
 * packetdrill); a stamp written 0 is not checked. The stamp is
 * CLOCK_REALTIME on the target; the agent's reply says how that clock
 * stands to the monotonic one its call stamps are on. Script time is
 * placed on the live clock by what happened, as every window is: by the
 * lines written at that script time (from the first's start to the last's
 * end), else counted on from the last line before it. A late rig moves the
 * window with it, so it never makes the target look late.
 */
#ifndef TCPRIG_RUN_TSTAMP_H
#define TCPRIG_RUN_TSTAMP_H

#include <stddef.h>

#include "run/runner_int.h"

/* The live span [*lo, *hi] (script-clock us since t0) of script time s. */
void runner_live_span(const struct runner *r, int64_t s, int64_t *lo, int64_t *hi);
/* Call line c (a recvmsg whose cmsgs call_cmsg_check has passed) against
 * the stamps in rep: 0, or -1 and why. Any other call: 0. */
int runner_tstamps_check(const struct runner *r, const struct case_call *c,
			 const struct agent_req *req, const struct agent_reply *rep, char *why,
			 size_t cap);

#endif
