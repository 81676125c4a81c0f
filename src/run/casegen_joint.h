/* casegen_joint.h - several conversations of one capture as ONE case script
 * (pcap2case --flows, replay --flows): one lab, the conversations played one
 * after another in capture order, so that a later one meets what an earlier
 * one left behind (a TIME_WAIT, a LAST_ACK, a port in use).
 *
 * Each conversation's body is made by the one-conversation generator
 * (casegen.h) into one shared struct cg, which carries across them:
 *  - the clock: times stay the capture's, relative to the line before;
 *  - the TS clocks: each side's TS val is rewritten from the FIRST
 *    conversation's first TS val (100 rig, 700 target), so it continues from
 *    one conversation to the next as the recorded peer's did (a reused
 *    port's SYN is judged by its TS against the old incarnation's);
 *  - the rig's ISNs: a later SYN writes its distance from the first
 *    conversation's rig ISN; every other number stays relative to its own
 *    conversation's ISNs, as the runner maps each incarnation;
 *  - the fd names: one listener for every conversation the target accepted
 *    (each accept its own fd), one socket for each it connected;
 *  - ports: when the conversations are not all on one 4-tuple, each packet
 *    line names its ports (the rig's connections 40000 + i, one for each
 *    recorded client endpoint, to the target's 8080; a target's connection
 *    from its recorded port to the rig's 8080).
 * Refused (TR_USAGE, nothing made): a conversation that alone cannot be a
 * script (its reason), one that began before the one before it ended.
 * Memory: the joint script, kept whole.
 */
#ifndef TCPRIG_RUN_CASEGEN_JOINT_H
#define TCPRIG_RUN_CASEGEN_JOINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "run/casegen.h"

/* One conversation of the joint script, in capture order. */
struct casegen_part {
	struct casegen_src src;
	const struct flow *flow;
	bool rig_is_client;
};

/* The script of parts[0..n) into out; o says the rest (its flow and
 * rig_is_client are each part's). */
int casegen_joint_collect(const struct casegen_part *parts, size_t n,
			  const struct casegen_opts *o, struct casegen_script *out,
			  struct tr_err *err);

#endif
