/* call_args.h - reading a socket-call line's arguments: numbers (`...`
 * taking a default), struct fields, sockaddrs. Shared by the builders of
 * every call (call.c, call_io.c, call_file.c, call_md5.c).
 *
 * Shape and values: a builder judges the line as written and the family of
 * the target's sockets (env->ends->sock), never the run-time values in env
 * (the lab's addresses, the fds the script's names stand for, the ports):
 * those it only copies into the request. So whether a line can be built is
 * known before any lab exists (callcheck.h builds every line then, with
 * call_env_shape), and an error names the argument's column (err->col).
 */
#ifndef TCPRIG_RUN_CALL_ARGS_H
#define TCPRIG_RUN_CALL_ARGS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/agent.h"
#include "case/case.h"
#include "core/err.h"
#include "run/ends.h"
#include "run/fdmap.h"

/* What `...` stands for in a call, and the script's fd names. */
struct call_env {
	const struct run_ends *ends; /* the addresses, in the case's family */
	uint16_t target_port; /* what bind(..., ...) binds */
	uint16_t rig_port;    /* what connect(..., ...) connects to */
	const struct fd_map *fds; /* the script's fd names; NULL: none */
};

/* An env for building lines before the run: sockets of family sock
 * (AF_INET or AF_INET6) over a wire of family wire, placeholder addresses
 * (unspecified), no fd names, port 0 for `...`. */
void call_env_shape(struct call_env *env, struct run_ends *ends, int wire, int sock);

/* Argument i as a number: a number, a symbol, `a|b`, `[N]`; `...` is def.
 * Anything else is a TR_USAGE error naming the argument and its column. */
int call_int(const struct case_call *c, size_t i, int64_t def, int64_t *out,
	     struct tr_err *err);
/* Argument i as an fd: the script's number, translated through env->fds. */
int call_fd(const struct case_call *c, const struct call_env *env, size_t i, int64_t *out,
	    struct tr_err *err);
/* Whether argument i is the symbol NULL (a NULL buffer: EFAULT). */
bool call_is_null(const struct case_call *c, size_t i);
/* Whether every member of struct e is named, and named in known (a NULL
 * ended list): members are read by name, so one misspelt or unknown would
 * go unread. Else a TR_USAGE error at its column naming what a `what` has. */
int call_members(const struct case_call *c, const struct case_expr *e, const char *what,
		 const char *const *known, struct tr_err *err);
/* Struct e's member named field, or NULL. */
const struct case_expr *call_field(const struct case_expr *e, const char *field);
/* Argument i as a sockaddr into req->addr, of the sockets' family unless a
 * struct names its sa_family: `...` is the rig's end (rig) or the wildcard
 * address, at def_port; a struct may name sin_port/sin6_port and
 * sin_addr/sin6_addr (inet_addr("...") or inet6_addr("..."); an IPv4
 * address in an AF_INET6 sockaddr is v4-mapped). */
int call_sockaddr(const struct case_call *c, size_t i, const struct call_env *env, bool rig,
		  uint16_t def_port, struct agent_req *req, struct tr_err *err);
/* The same for expression e (a msghdr's msg_name). */
int call_sockaddr_expr(const struct case_call *c, const struct case_expr *e,
		       const struct call_env *env, bool rig, uint16_t def_port,
		       struct agent_req *req, struct tr_err *err);

#endif
