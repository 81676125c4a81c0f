/* replay_int.h - what `tcprig replay` and `tcprig pcap2case` share: --list,
 * and the step from a capture's flow to a case script. */
#ifndef TCPRIG_CMD_REPLAY_INT_H
#define TCPRIG_CMD_REPLAY_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/result.h"
#include "report/report.h"
#include "run/casegen.h"
#include "wire/flow.h"

/* `tcprig replay --help` (replay_usage.c). */
void replay_usage(FILE *f);

/* Prints the flows of the capture at path; returns the exit status. */
int replay_list(const char *path);

struct replay_case_opts {
	const char *path;
	unsigned flow;          /* 0: the only one (an error when there are more) */
	bool rig_is_client;
	/* --side ADDRESS: the rig plays the endpoint with this address, in
	 * each flow (rig_is_client is set from it); NULL: rig_is_client. */
	const char *rig_addr;
	bool keep_retransmits;
	/* The capture's settings file, its sysctls written into the script
	 * (capture_settings.h); NULL, 0: none. */
	const char *settings;
	char *const *sysctls;
	size_t nsysctls;
	/* Its --sysctl-at lines: knobs the recording changed on the way, set
	 * by the script's shell lines at their moments (run/casegen_knobs.h). */
	const struct casegen_knob *knobs;
	size_t nknobs;
	/* --flows: these conversations (or all of them) as one script, in
	 * one lab (run/casegen_joint.h); nflows 0 and !flows_all: one flow. */
	unsigned *flows;
	size_t nflows;
	bool flows_all;
};

/* --flows all|N,M,... into ro (numbers rising, two at least). */
int replay_parse_flows(const char *v, struct replay_case_opts *ro, struct tr_err *err);
/* The --flows script (*first: the first of its flows), checked to parse. */
int replay_joint_make(struct replay_case_opts *ro, struct flow *first,
		      struct casegen_script *out, struct tr_err *err);
/* --side ADDRESS settled in flow f (ro->rig_is_client). */
int replay_side_of(struct replay_case_opts *ro, const struct flow *f, struct tr_err *err);

/* Reads the flow (*flow: what --list says of it), settles the side the rig
 * plays in it (ro->rig_is_client) and makes its script. */
int replay_case_make(struct replay_case_opts *ro, struct flow *flow,
		     struct casegen_script *out, struct tr_err *err);
/* Its steps. The flow asked for (*malformed: the capture's records that
 * did not decode), --side ADDRESS settled in it; the header's note on them,
 * on payloads the snapshot length cut (first at record cut) and on the
 * settings file (buf "" when none); the check that the script parses (out
 * is freed when it does not). */
int replay_case_find(struct replay_case_opts *ro, struct flow *flow,
		     unsigned long *malformed, struct tr_err *err);
void replay_case_note(char *buf, size_t cap, const struct replay_case_opts *ro, unsigned long cut,
		      unsigned long malformed);
int replay_case_check(const struct replay_case_opts *ro, unsigned number,
		      struct casegen_script *out, struct tr_err *err);

/* The capture's settings file (cmd/capture_settings.h) into ro, read
 * into *s (free it after ro's last use): its sysctls, and its side unless
 * side_given (--side on the command line wins). 0 also when there is none. */
struct capture_settings;
int replay_settings_take(struct replay_case_opts *ro, bool side_given,
			 struct capture_settings *s, struct tr_err *err);
/* A knob a --sysctl given on the command line names holds for the whole
 * replay: its changes (ro's knobs, which are knobs[]) are left out. */
void replay_knobs_pin(struct replay_case_opts *ro, struct casegen_knob *knobs,
		      char *const *sysctls, size_t nsysctls);

/* One conversation of a capture as the generator's input (casegen_src):
 * read again from the file at every rewind; close fr after the last use. */
struct flow_reader;
struct replay_src {
	const char *path;
	unsigned number;
	struct flow_reader *fr;
};
struct casegen_src replay_src_of(struct replay_src *s);

/* --side client|server|ADDRESS into ro. */
int replay_parse_side(const char *v, struct replay_case_opts *ro, struct tr_err *err);

/* The first place the live target did not answer as recorded. */
struct replay_divergence {
	bool found;
	int line;                      /* the script line */
	unsigned long packet;          /* its capture packet, 0: none */
	const struct trace_event *ev;  /* the failed event, NULL: none */
};

void replay_divergence_find(const struct run_result *res, const struct casegen_script *cs,
			    struct replay_divergence *d);
/* Its lines under a FAIL; reason is the run's. */
void replay_divergence_print(FILE *f, const struct replay_divergence *d, const char *reason);

struct replay_json_flow {
	unsigned flow;
	const char *verdict;  /* MATCH, DIVERGED, SKIP, INCONCLUSIVE, ERROR */
	const struct replay_divergence *div;
};

struct replay_json {
	const char *capture;
	bool rig_is_client;
	const struct replay_json_flow *flows;
	const struct report_case *rc; /* the runs, as run --json writes them */
	size_t n;
};
int replay_json_write(FILE *f, const struct replay_json *j, struct tr_err *err);

#endif
