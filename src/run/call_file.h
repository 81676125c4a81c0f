/* call_file.h - the calls packetdrill's sendfile and splice scripts make
 * besides the socket calls: open, pipe, splice, sendfile. The fds they
 * return are names like a socket's (fdmap.h): `open(...) = 5`, `pipe([5,
 * 6]) = 0`; the fds they take are translated through the same names.
 */
#ifndef TCPRIG_RUN_CALL_FILE_H
#define TCPRIG_RUN_CALL_FILE_H

#include "agent/agent.h"
#include "case/case.h"
#include "core/err.h"
#include "run/call_args.h"
#include "run/fdmap.h"

/* Fills req for one of these calls: 1; 0 if c is none of them; -1 with a
 * TR_USAGE error naming the argument:
 *	open("PATH", FLAGS[, MODE])
 *	pipe([R, W])				the names the two ends get
 *	splice(IN, OFF_IN, OUT, OFF_OUT, LEN, FLAGS)	an offset NULL or [N]
 *	sendfile(OUT, IN, OFFSET, COUNT)	OFFSET NULL or [N] */
int call_file_request(const struct case_call *c, const struct call_env *env,
		      struct agent_req *req, struct tr_err *err);

/* After a pipe() that succeeded: the names its line wrote, [R, W], given to
 * the two fds the kernel returned. */
void call_file_name_pipe(const struct case_call *c, const struct agent_reply *rep,
			 struct fd_map *fds);

#endif
