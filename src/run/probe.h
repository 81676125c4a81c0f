/* probe.h - one hand-built segment into a lab or to a remote target, and
 * what came back.
 *
 * The probe sends the same frame `count` times (built once), listens for
 * `wait_us` after the last send, and prints every segment in script notation:
 * the rig's numbers as the user wrote them, the target's sequence numbers
 * relative to the ISN it revealed in a SYN (absolute until then), as the
 * README explains. Every loop is bounded by count and time.
 *
 * The family (plan->family) picks the lab's IPv4 pair (192.0.2.2 -> 192.0.2.1)
 * or its IPv6 pair (2001:db8::2 -> 2001:db8::1); only the target's answers
 * in that family, between those ends, count.
 *
 * A remote target (plan->remote, `probe --target`): the frame leaves on the
 * remote interface from the rig's phantom, to the target only (the
 * crafter refuses any other destination); a listener (plan->listen) is
 * made by the target's agent (probe_listen.h).
 */
#ifndef TCPRIG_PROBE_H
#define TCPRIG_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "lab/lab.h"
#include "core/segment.h"
#include "run/config.h"

#define PROBE_COUNT_MAX 1000

struct probe_plan {
	struct segment seg;     /* addresses and ports filled by probe_run */
	uint16_t sport, dport;
	int family;             /* AF_INET or AF_INET6 (a lab only); 0: AF_INET */
	bool listen;            /* a listener on dport in the target first */
	unsigned count;         /* sends, 1..PROBE_COUNT_MAX */
	uint64_t interval_us;   /* between sends */
	uint64_t wait_us;       /* listening after the last send */
	bool absolute;          /* print raw wire numbers */
	const char *pcap_path;  /* NULL for none */
	/* NULL: into lab; else another host, set up by the caller
	 * (remote_opts_setup); one without an agent cannot listen. */
	const struct run_remote *remote;
};

struct probe_result {
	unsigned sent, answers;
	unsigned pcap_received, pcap_dropped;
};

/* lab is NULL with plan->remote. */
int probe_run(const struct probe_plan *plan, struct lab *lab, FILE *out,
	      struct probe_result *res, struct tr_err *err);

#endif
