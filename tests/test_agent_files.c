/* test_agent_files.c - what the agent accepts of the file calls (open,
 * pipe, splice, sendfile) and of a sendmsg's iovecs before it makes them:
 * open only where shell lines are allowed, fds only where an op takes
 * them, iovecs that add up. */
#include <errno.h>
#include <string.h>

#include "agent/proto.h"
#include "tap.h"

static int check(enum agent_op op, bool allow_shell, struct agent_reply *rep)
{
	struct agent_req req;

	agent_req_init(&req, op);
	memset(rep, 0, sizeof(*rep));
	if (op == AGENT_OPEN)
		strcpy(req.text, "/tmp/x");
	if (op == AGENT_SPLICE || op == AGENT_SENDFILE) {
		req.arg[0] = 4;
		req.arg[1] = 5;
	}
	return agent_req_check(&req, allow_shell, rep);
}

static void test_open_needs_shell_lines_allowed(void)
{
	struct agent_reply rep;

	ok(check(AGENT_OPEN, true, &rep) == 0, "open is served where shell lines are");
	ok(check(AGENT_OPEN, false, &rep) != 0 && rep.err == EPERM &&
	       rep.status == AGENT_STATUS_REFUSED,
	   "and refused (EPERM) by an agent without --allow-shell");
	ok(strstr(rep.out, "--allow-shell") != NULL, "saying why: %s", rep.out);
}

static void test_which_ops_take_fds(void)
{
	struct agent_reply rep;
	struct agent_req req;

	ok(!agent_op_takes_fd(AGENT_OPEN) && !agent_op_takes_fd(AGENT_PIPE) &&
	       agent_op_takes_fd(AGENT_SPLICE) && agent_op_takes_fd(AGENT_SENDFILE),
	   "open and pipe take no fd; splice and sendfile do");
	ok(agent_op_is_call(AGENT_PIPE) && agent_op_is_call(AGENT_SENDFILE),
	   "all four are socket calls the agent makes");
	ok(check(AGENT_PIPE, false, &rep) == 0, "pipe needs nothing");
	ok(check(AGENT_SPLICE, false, &rep) == 0, "splice with two fds is served");
	agent_req_init(&req, AGENT_SENDFILE);
	req.arg[0] = 4;
	req.arg[1] = -1;
	ok(agent_req_check(&req, true, &rep) != 0 && rep.err == EBADF,
	   "sendfile's second fd is checked too");
	is_str(agent_op_name(AGENT_SENDFILE), "sendfile", "named for log lines");
}

static void test_sendmsg_iovecs_must_sum_to_len(void)
{
	struct agent_reply rep;
	struct agent_req req;

	agent_req_init(&req, AGENT_SENDTO);
	req.arg[0] = 4;
	req.len = 3;
	req.niov = 2;
	req.iov_len[0] = 1;
	req.iov_len[1] = 2;
	ok(agent_req_check(&req, false, &rep) == 0, "two iovecs of 1 and 2 bytes for 3 bytes");
	req.iov_len[1] = 3;
	ok(agent_req_check(&req, false, &rep) != 0 && rep.err == EINVAL,
	   "lengths that do not sum to len are refused");
	req.iov_len[1] = 2;
	req.niov = AGENT_IOV_MAX + 1;
	ok(agent_req_check(&req, false, &rep) != 0 && rep.err == EINVAL,
	   "and more than %d iovecs", AGENT_IOV_MAX);
}

int main(void)
{
	test_sendmsg_iovecs_must_sum_to_len();
	test_open_needs_shell_lines_allowed();
	test_which_ops_take_fds();
	return tap_done();
}
