/* probe_listen.h - the listener `probe --listen` asks for on the target:
 * in a lab, a socket made inside the target namespace and held by the
 * probe; on a remote target (probe --target ... --agent), a listener the
 * agent makes over its session (socket, SO_REUSEADDR, bind to any address,
 * listen), which lives as long as the session: probe_listen_close ends it,
 * and the agent then closes the listener and every socket talking to the
 * rig's phantom, as after a case.
 */
#ifndef TCPRIG_RUN_PROBE_LISTEN_H
#define TCPRIG_RUN_PROBE_LISTEN_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/agent.h"
#include "core/err.h"
#include "lab/lab.h"
#include "run/config.h"

struct probe_listener {
	int fd;		    /* lab: the listening socket; -1: none */
	bool agent_up;	    /* remote: the agent session holding it */
	struct agent agent;
};

/* A listener on port: in lab's target namespace (an AF_INET or AF_INET6
 * socket as family says, bound to the wildcard), or through rm's agent (rm
 * non-NULL: lab is not used; IPv4 only). A remote target without an agent
 * is the caller's to refuse. */
int probe_listen_open(struct probe_listener *l, const struct lab *lab,
		      const struct run_remote *rm, int family, uint16_t port,
		      struct tr_err *err);
/* Safe on a listener never opened, or opened and failed. */
void probe_listen_close(struct probe_listener *l);

#endif
