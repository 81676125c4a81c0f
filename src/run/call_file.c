/* call_file.c - open, pipe, splice and sendfile lines as agent requests. */
#include "run/call_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

/* An offset argument: NULL (or 0, a NULL pointer as packetdrill passes
 * it) is -1, the kernel's own file position; [N] starts at N. */
static int call_file_offset(const struct case_call *c, size_t i, int64_t *out,
			    struct tr_err *err)
{
	const struct case_expr *e = i < c->nargs ? &c->args[i] : NULL;

	if (!e)
		return err_usage_at(err, 0, "%s: argument %zu is missing", c->name, i + 1);
	if (e->kind == CASE_EXPR_INT && e->num == 0) {
		*out = -1;
		return 0;
	}
	if (e->kind == CASE_EXPR_LIST && e->nkids == 1 && e->kids[0].kind == CASE_EXPR_INT &&
	    e->kids[0].num >= 0) {
		*out = e->kids[0].num;
		return 0;
	}
	return err_usage_at(err, e->col, "%s: argument %zu: an offset is NULL or [N]", c->name,
			    i + 1);
}

/* The bits open(2)'s flags have: any other is a symbol of something else. */
#define CALL_OPEN_FLAGS                                                                    \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
	 O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME |          \
	 O_CLOEXEC | O_SYNC | O_PATH | O_TMPFILE)

static int call_file_open(const struct case_call *c, struct agent_req *req, struct tr_err *err)
{
	const struct case_expr *path = c->nargs ? &c->args[0] : NULL;

	if (!path || path->kind != CASE_EXPR_STRING)
		return err_usage_at(err, path ? path->col : 0,
				    "open: argument 1 must be a path in quotes");
	if (strlen(path->text) >= sizeof(req->text))
		return err_usage_at(err, path->col, "open: a path of %zu bytes is too long",
				    strlen(path->text));
	agent_req_init(req, AGENT_OPEN);
	snprintf(req->text, sizeof(req->text), "%s", path->text);
	if (call_int(c, 1, 0, &req->arg[1], err))
		return -1;
	if ((req->arg[1] & ~(int64_t)CALL_OPEN_FLAGS) || (req->arg[1] & O_ACCMODE) == O_ACCMODE)
		return err_usage_at(err, c->args[1].col,
				    "open: flags 0x%llx are no O_* flags (O_RDONLY, O_WRONLY or "
				    "O_RDWR, with O_CREAT, O_TRUNC, ...)",
				    (unsigned long long)req->arg[1]);
	return c->nargs > 2 ? call_int(c, 2, 0, &req->arg[2], err) : 0;
}

static int call_file_pipe(const struct case_call *c, struct agent_req *req, struct tr_err *err)
{
	const struct case_expr *l = c->nargs ? &c->args[0] : NULL;

	if (!l || l->kind != CASE_EXPR_LIST || l->nkids != 2 ||
	    l->kids[0].kind != CASE_EXPR_INT || l->kids[1].kind != CASE_EXPR_INT)
		return err_usage_at(err, l ? l->col : 0,
				    "pipe: argument 1 must be [R, W], the names of the two ends");
	agent_req_init(req, AGENT_PIPE);
	return 0;
}

static int call_file_splice(const struct case_call *c, const struct call_env *env,
			    struct agent_req *req, struct tr_err *err)
{
	int64_t off[2];

	agent_req_init(req, AGENT_SPLICE);
	if (call_fd(c, env, 0, &req->arg[0], err) || call_file_offset(c, 1, &off[0], err) ||
	    call_fd(c, env, 2, &req->arg[1], err) || call_file_offset(c, 3, &off[1], err) ||
	    call_int(c, 4, 0, &req->arg[2], err) || call_int(c, 5, 0, &req->arg[3], err))
		return -1;
	if (req->arg[2] < 0)
		return err_usage_at(err, c->args[4].col, "splice: length %lld out of range",
				    (long long)req->arg[2]);
	memcpy(req->optval, off, sizeof(off));
	req->optlen = sizeof(off);
	return 0;
}

static int call_file_sendfile(const struct case_call *c, const struct call_env *env,
			      struct agent_req *req, struct tr_err *err)
{
	agent_req_init(req, AGENT_SENDFILE);
	if (call_fd(c, env, 0, &req->arg[0], err) || call_fd(c, env, 1, &req->arg[1], err) ||
	    call_file_offset(c, 2, &req->arg[2], err) || call_int(c, 3, 0, &req->arg[3], err))
		return -1;
	if (req->arg[3] < 0)
		return err_usage_at(err, c->args[3].col, "sendfile: count %lld out of range",
				    (long long)req->arg[3]);
	return 0;
}

int call_file_request(const struct case_call *c, const struct call_env *env,
		      struct agent_req *req, struct tr_err *err)
{
	int rc;

	if (!strcmp(c->name, "open"))
		rc = call_file_open(c, req, err);
	else if (!strcmp(c->name, "pipe"))
		rc = call_file_pipe(c, req, err);
	else if (!strcmp(c->name, "splice"))
		rc = call_file_splice(c, env, req, err);
	else if (!strcmp(c->name, "sendfile"))
		rc = call_file_sendfile(c, env, req, err);
	else
		return 0;
	return rc ? -1 : 1;
}

void call_file_name_pipe(const struct case_call *c, const struct agent_reply *rep,
			 struct fd_map *fds)
{
	int live[2];

	if (rep->ret != 0 || rep->optlen < sizeof(live) || c->nargs < 1 ||
	    c->args[0].kind != CASE_EXPR_LIST || c->args[0].nkids != 2)
		return;
	memcpy(live, rep->optval, sizeof(live));
	fd_map_name(fds, c->args[0].kids[0].num, live[0]);
	fd_map_name(fds, c->args[0].kids[1].num, live[1]);
}
