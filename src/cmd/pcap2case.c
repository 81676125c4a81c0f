/* tcprig pcap2case: one TCP conversation of a capture as a case script,
 * streamed: the capture is read once for its flows and three times for the
 * conversation (run/casegen.h), in memory that does not grow with either. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/capture_settings.h"
#include "cmd/replay_int.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "wire/flow_read.h"

/* A conversation up to this many packets becomes a script in memory first
 * and is checked to parse before it is written (what replay does); a longer
 * one is written as it is made, unchecked: parsing it would hold it all. */
#define PCAP2CASE_CHECKED 10000

static void pcap2case_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s pcap2case CAPTURE [--flow N | --flows all|N,M,...]\n"
		"                        [--side client|server|ADDRESS]\n"
		"                        [--keep-retransmits] [--no-settings] [-o FILE]\n"
		"Turns one TCP conversation of a pcap or pcapng file into a case script:\n"
		"the side the rig plays becomes `<` lines, the other side `>` lines the\n"
		"live target must match, its application inferred as socket calls.\n"
		"What the recording owed to timing is not asked of the target: PSH\n"
		"when its writes left in several segments (--loose_psh), the TS ecr\n"
		"of its data segments (a range, ecr A~B).\n"
		"The capture is read four times (a file, not a pipe), the conversation\n"
		"streamed: memory does not grow with its length (scripts/pcapgen makes\n"
		"large captures to try it; scripts/bench --only pcap2case measures it).\n\n"
		"  --flow N            the conversation ('replay --list' numbers them;\n"
		"                      needed when there is more than one)\n"
		"  --flows all|N,M,... several conversations as ONE script, played in\n"
		"                      one lab one after another in capture order: a\n"
		"                      later one meets what an earlier one left (a\n"
		"                      TIME_WAIT, a reused port); the TS clocks go on\n"
		"                      from one to the next, as recorded (kept in\n"
		"                      memory: no streaming)\n"
		"  --side client|server|ADDRESS  the side the rig plays (default client:\n"
		"                      the side that sent the first SYN; the target is\n"
		"                      then the server), or the endpoint with ADDRESS\n"
		"  --keep-retransmits  keep retransmitted segments (default: dropped; a\n"
		"                      SYN sent again after the handshake or an RST is\n"
		"                      none: kept, with what answered it)\n"
		"  --no-settings       ignore CAPTURE.settings (what the capture was\n"
		"                      recorded under, written by run --pcap: the rig's\n"
		"                      side and the sysctls, which become the script's\n"
		"                      --sysctl lines, and the sysctls the recording\n"
		"                      changed on the way, --sysctl-at TIME NAME=VALUE,\n"
		"                      which become shell lines at their moments; --side\n"
		"                      here wins)\n"
		"  -o FILE             write the script to FILE (default: stdout)\n"
		"Exit: 0 written, 2 bad input (a capture that does not read, no such\n"
		"flow, a flow without its handshake, a capture that changed while it\n"
		"was read); a failed conversion writes no -o FILE.\n",
		prog_name);
}

/* The script of ro's flow to outp (NULL: stdout); nothing is left at outp
 * on failure. */
static int p2c_make(struct replay_case_opts *ro, const char *outp, struct tr_err *err)
{
	struct flow flow;
	unsigned long malformed;
	struct replay_src ps = { .path = ro->path };
	struct casegen_src src = replay_src_of(&ps);
	struct casegen_opts o = { .source = ro->path, .flow = &flow,
				  .keep_retransmits = ro->keep_retransmits,
				  .sysctls = ro->sysctls, .nsysctls = ro->nsysctls,
				  .knobs = ro->knobs, .nknobs = ro->nknobs };
	struct casegen_script cs = { 0 };
	struct casegen_gen *gen = NULL;
	char note[4400];
	FILE *f = stdout;
	struct stat sb;
	bool regular = false;
	int rc = -1;

	if (ro->flows_all || ro->nflows) {
		if (replay_joint_make(ro, &flow, &cs, err))
			return -1;
	} else if (replay_case_find(ro, &flow, &malformed, err)) {
		return -1;
	}
	if (cs.text)
		goto write;
	ps.number = flow.number;
	o.rig_is_client = ro->rig_is_client;
	gen = casegen_prepare(&src, &o, err);
	if (!gen)
		goto done;
	/* The dry run read the whole conversation: its cut records are known. */
	replay_case_note(note, sizeof(note), ro, flow_reader_truncated(ps.fr), malformed);
	o.note = note[0] ? note : NULL;
	if (casegen_packets(gen) <= PCAP2CASE_CHECKED &&
	    (casegen_collect(gen, &cs, err) || replay_case_check(ro, flow.number, &cs, err)))
		goto done;
write:
	if (outp && !(f = fopen(outp, "w"))) {
		err_usage(err, "-o %s: %s", outp, strerror(errno));
		goto done;
	}
	/* Only a file of ours to remove after a failure: never /dev/full. */
	regular = outp && !fstat(fileno(f), &sb) && S_ISREG(sb.st_mode);
	if (cs.text)
		rc = fputs(cs.text, f) < 0 ? err_sys(err, "%s", outp ? outp : "stdout") : 0;
	else
		rc = casegen_write(gen, f, err);
	if ((outp && fclose(f)) || (!outp && fflush(f))) {
		if (!rc)
			rc = err_sys(err, "%s", outp ? outp : "stdout");
	}
	if (rc && regular)
		unlink(outp);
done:
	casegen_script_free(&cs);
	casegen_gen_free(gen);
	flow_reader_close(ps.fr);
	return rc;
}

int replay_parse_side(const char *v, struct replay_case_opts *ro, struct tr_err *err)
{
	unsigned char a[sizeof(struct in6_addr)];

	ro->rig_addr = NULL;
	if (!strcmp(v, "client"))
		ro->rig_is_client = true;
	else if (!strcmp(v, "server"))
		ro->rig_is_client = false;
	else if (inet_pton(AF_INET, v, a) == 1 || inet_pton(AF_INET6, v, a) == 1)
		ro->rig_addr = v;
	else
		return err_usage(err, "--side '%s': client, server or an IP address", v);
	return 0;
}

int pcap2case_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "flow", required_argument, NULL, 'f' },
		{ "flows", required_argument, NULL, 'F' },
		{ "side", required_argument, NULL, 's' },
		{ "keep-retransmits", no_argument, NULL, 'k' },
		{ "no-settings", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_case_opts ro = { .rig_is_client = true };
	struct capture_settings set = { 0 };
	bool side_given = false, settings = true;
	struct tr_err err = { 0 };
	const char *outp = NULL;
	uint64_t num;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (parse_u64("--flow", optarg, 1, 1u << 30, &num, &err))
				goto fail;
			ro.flow = (unsigned)num;
			break;
		case 'F':
			if (replay_parse_flows(optarg, &ro, &err))
				goto fail;
			break;
		case 's':
			if (replay_parse_side(optarg, &ro, &err))
				goto fail;
			side_given = true;
			break;
		case 'N':
			settings = false;
			break;
		case 'k':
			ro.keep_retransmits = true;
			break;
		case 'o':
			outp = optarg;
			break;
		case 'h':
			pcap2case_usage(stdout);
			return TR_OK;
		default:
			err_usage(&err, "unknown or incomplete option '%s'", argv[optind - 1]);
			goto fail;
		}
	}
	if (optind != argc - 1) {
		err_usage(&err, "%s (see '%s pcap2case --help')",
			  optind == argc ? "no capture given" : "one capture at a time", prog_name);
		goto fail;
	}
	if (ro.flow && (ro.nflows || ro.flows_all)) {
		err_usage(&err, "--flow %u and --flows: one or the other", ro.flow);
		goto fail;
	}
	ro.path = argv[optind];
	if (settings && replay_settings_take(&ro, side_given, &set, &err))
		goto fail;
	if (p2c_make(&ro, outp, &err))
		goto fail;
	capture_settings_free(&set);
	free(ro.flows);
	return TR_OK;
fail:
	capture_settings_free(&set);
	free(ro.flows);
	fprintf(stderr, "%s pcap2case: %s\n", prog_name, err.msg);
	return err.status ? (int)err.status : TR_ENV;
}
