/* call_md5.h - setsockopt's struct tcp_md5sig, written as a struct literal
 * in packetdrill's style with the kernel's field names:
 *
 *	setsockopt(3, SOL_TCP, TCP_MD5SIG, {tcpm_addr=..., tcpm_key="secret"}, 216) = 0
 *
 * tcpm_addr is `...` (the rig's address: the peer the key is for) or a
 * sockaddr {sa_family=AF_INET, sin_addr=inet_addr("192.0.2.1")} (sin6_addr
 * and inet6_addr for AF_INET6; a number such as INADDR_ANY); tcpm_key a
 * string; tcpm_keylen defaults to its length (0 deletes the key); tcpm_flags
 * and tcpm_prefixlen are optional numbers. The optlen argument is passed as
 * written (`...`: the struct's size).
 */
#ifndef TCPRIG_RUN_CALL_MD5_H
#define TCPRIG_RUN_CALL_MD5_H

#include <stdbool.h>

#include "agent/agent.h"
#include "case/case.h"
#include "core/err.h"
#include "run/call_args.h"

/* Whether setsockopt value e is written as a tcp_md5sig (it names tcpm_key
 * or tcpm_addr). */
bool call_is_md5sig(const struct case_expr *e);
/* Its bytes into req->optval and req->optlen; a TR_USAGE error naming the
 * column of what cannot be read. */
int call_md5sig(const struct case_call *c, const struct call_env *env, struct agent_req *req,
		struct tr_err *err);

#endif
