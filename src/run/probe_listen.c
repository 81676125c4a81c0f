/* probe_listen.c - probe --listen's listener, in a lab or through an agent. */
#include "run/probe_listen.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/remote.h"
#include "lab/netns.h"

/* How long one of the agent's calls for the listener may take: none of
 * them blocks, so this only bounds a stalled session. */
#define PROBE_AGENT_CALL_MS 5000

/* A socket belongs to the namespace it was made in, so only making it
 * needs to happen there. */
static int probe_listen_lab(struct probe_listener *l, const struct lab *lab, int family,
			    uint16_t port, struct tr_err *err)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	bool v6 = family == AF_INET6;
	int one = 1;

	l->fd = netns_socket(lab->target_nsfd, v6 ? AF_INET6 : AF_INET, SOCK_STREAM, IPPROTO_TCP,
			     err);
	if (l->fd < 0)
		return -1;
	if (setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (v6 ? bind(l->fd, (struct sockaddr *)&sin6, sizeof(sin6)) :
		  bind(l->fd, (struct sockaddr *)&sin, sizeof(sin))) ||
	    listen(l->fd, 16))
		return err_sys(err, "listener on target port %u", port);
	return 0;
}

/* One call of the listener's through the agent; its failure names the call
 * and the target's errno. */
static int probe_agent_call(struct probe_listener *l, struct agent_req *req, int64_t *ret,
			    uint16_t port, struct tr_err *err)
{
	struct agent_reply rep;

	if (agent_call(&l->agent, req, &rep, PROBE_AGENT_CALL_MS, err))
		return -1;
	if (rep.ret < 0)
		return err_env(err, "listener on target port %u: the agent's %s failed: %s", port,
			       agent_op_name(req->op), strerror(rep.err));
	*ret = rep.ret;
	return 0;
}

static int probe_listen_agent(struct probe_listener *l, const struct run_remote *rm,
			      uint16_t port, struct tr_err *err)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct agent_req req;
	int64_t fd, unused;
	int one = 1;

	if (agent_start_remote(&l->agent, &rm->agent, &rm->token, rm->wire.phantom,
			       rm->rig_self, err))
		return -1;
	l->agent_up = true;
	agent_req_init(&req, AGENT_SOCKET);
	req.arg[0] = AF_INET;
	req.arg[1] = SOCK_STREAM;
	req.arg[2] = IPPROTO_TCP;
	if (probe_agent_call(l, &req, &fd, port, err))
		return -1;
	agent_req_init(&req, AGENT_SETSOCKOPT);
	req.arg[0] = fd;
	req.arg[1] = SOL_SOCKET;
	req.arg[2] = SO_REUSEADDR;
	memcpy(req.optval, &one, sizeof(one));
	req.optlen = sizeof(one);
	if (probe_agent_call(l, &req, &unused, port, err))
		return -1;
	agent_req_init(&req, AGENT_BIND);
	req.arg[0] = fd;
	memcpy(&req.addr, &sin, sizeof(sin));
	req.addrlen = sizeof(sin);
	if (probe_agent_call(l, &req, &unused, port, err))
		return -1;
	agent_req_init(&req, AGENT_LISTEN);
	req.arg[0] = fd;
	req.arg[1] = 16;
	return probe_agent_call(l, &req, &unused, port, err);
}

int probe_listen_open(struct probe_listener *l, const struct lab *lab,
		      const struct run_remote *rm, int family, uint16_t port,
		      struct tr_err *err)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	return rm ? probe_listen_agent(l, rm, port, err) :
		    probe_listen_lab(l, lab, family, port, err);
}

void probe_listen_close(struct probe_listener *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	if (l->agent_up)
		agent_stop(&l->agent, NULL);
	l->agent_up = false;
}
