/* config.h - how a case is to be run: what a command asks of the runner
 * (tolerance, captures, faults, the rig's scheduling, which try this is),
 * and the numbers every part of the runner uses.
 */
#ifndef TCPRIG_RUN_CONFIG_H
#define TCPRIG_RUN_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <netinet/in.h>

#include "agent/auth.h"
#include "core/err.h"
#include "core/pacer.h"
#include "wire/fault.h"
#include "wire/iface.h"

/* packetdrill's defaults. */
#define RUN_DEFAULT_TOLERANCE_US 4000
#define RUN_DEFAULT_TOLERANCE_PCT 12.5
/* How long a `*` line, or a call with no end time that blocks, may take. */
#define RUN_ANY_WAIT_US 10000000
/* ... how long a call may overrun its end under --faults, or one written
 * with an end time (start...end) at all. */
#define RUN_FAULTS_CALL_WAIT_US 1000000
/* A blocking call that returned later than its window by at most this much
 * is INCONCLUSIVE, not FAIL: its return is seen through the agent's own
 * scheduling, and a hypervisor's steal (measured here: 3% of a 2-CPU VM,
 * in bursts of several ms) is in no counter the agent reads per call. */
#define RUN_AGENT_LATE_US 20000
/* The target's port when a script does not name one (packetdrill's). */
#define RUN_TARGET_PORT 8080
/* packetdrill's default addresses: the kernel's and the script's peer's. */
#define RUN_PD_LOCAL_IP "192.168.0.1"
#define RUN_PD_REMOTE_IP "192.0.2.1"
/* ... and those its harness runs IPv6 with (run_all.py). */
#define RUN_PD_LOCAL_IP6 "fd3d:a0b:17d6::1"
#define RUN_PD_REMOTE_IP6 "fd3d:fa7b:d17d::1"
/* The rig's port for connections the rig opens, when a script names none. */
#define RUN_RIG_PORT 40000

/* A remote target (run --target): the rig end on a real interface, the
 * agent over TCP if there is one. */
struct run_remote {
	struct wire_remote wire;
	bool has_agent; /* else cases that need one are SKIP */
	struct sockaddr_in agent;
	struct agent_token token;
	/* --port N: the port the target already listens on, for cases that
	 * name none (agentless: nobody binds one); 0: the script's default. */
	uint16_t port;
	/* --rig-addr self: the rig uses IF's own address, which other
	 * connections between the two hosts share: the agent must not close
	 * the sockets talking to it when a session ends. */
	bool rig_self;
};

struct run_config {
	/* NULL: the case runs in its own lab. */
	const struct run_remote *remote;
	int64_t tolerance_us;	/* < 0: the script's, else the default */
	double tolerance_pct;	/* < 0: the script's, else the default */
	const char *pcap_path;	/* NULL: no capture file */
	/* A second capture point, on the target end inside its namespace. */
	bool target_capture;
	const char *target_pcap_path; /* its capture file; NULL: none */
	/* Faults on the emulated wire (implies target_capture); the case's
	 * draws come from fault_case_seed(fault_seed, its path). */
	bool faults;
	struct fault_spec fault_spec;
	uint64_t fault_seed;
	/* The worker's scheduling: timer slack always, --cpu and --realtime. */
	struct pacer_opts pacer;
	/* packetdrill's semantics where ours are stricter (run --packetdrill):
	 * the target's segments after the last `>` line are not judged (it
	 * looks only when a line expects one), a SYN segment's ack is
	 * absolute like its seq (map.h), TS vals are checked only with
	 * --tcp_ts_tick_usecs, and the lab has packetdrill's addresses. */
	bool packetdrill;
	/* run --family: AF_INET or AF_INET6, the family the case runs in; 0:
	 * the case's own (its --ip_version, else IPv4). A script's
	 * --ip_version always wins (run.c skips what it forbids). */
	int family;
	/* Which try of the case this is (run --retries), from 1; 0 counts as 1. */
	unsigned try_no;
};


/* The test hook TCPRIG_STALL=LINE:MS[:TRY]: the rig stalls MS ms before it
 * acts on (or, for a `>` or `> nothing` line, looks at) line LINE, on
 * every try or only on try TRY. Tests use it to make the rig late on
 * purpose; nothing else should. */
#define RUN_STALL_TRY_MAX 11
struct run_stall {
	int line; /* 0: no stall */
	int64_t us;
	unsigned try_no; /* 0: every try */
};
/* Parses the variable's value (NULL or "": no stall); TR_USAGE if bad. */
int run_stall_parse(const char *value, struct run_stall *st, struct tr_err *err);

#endif
