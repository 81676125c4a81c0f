/* tcprig pcap2case: one TCP conversation of a capture as a case script. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/capture_settings.h"
#include "cmd/replay_int.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"

static void pcap2case_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s pcap2case CAPTURE [--flow N] [--side client|server|ADDRESS]\n"
		"                        [--keep-retransmits] [--no-settings] [-o FILE]\n"
		"Turns one TCP conversation of a pcap or pcapng file into a case script:\n"
		"the side the rig plays becomes `<` lines, the other side `>` lines the\n"
		"live target must match, its application inferred as socket calls.\n"
		"What the recording owed to timing is not asked of the target: PSH\n"
		"when its writes left in several segments (--loose_psh), the TS ecr\n"
		"of its data segments (a range, ecr A~B).\n\n"
		"  --flow N            the conversation ('replay --list' numbers them;\n"
		"                      needed when there is more than one)\n"
		"  --side client|server|ADDRESS  the side the rig plays (default client:\n"
		"                      the side that sent the first SYN; the target is\n"
		"                      then the server), or the endpoint with ADDRESS\n"
		"  --keep-retransmits  keep retransmitted segments (default: dropped)\n"
		"  --no-settings       ignore CAPTURE.settings (what the capture was\n"
		"                      recorded under, written by run --pcap: the rig's\n"
		"                      side and the sysctls, which become the script's\n"
		"                      --sysctl lines; --side here wins)\n"
		"  -o FILE             write the script to FILE (default: stdout)\n"
		"Exit: 0 written, 2 bad input (a capture that does not read, no such\n"
		"flow, a flow without its handshake).\n",
		prog_name);
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
		{ "side", required_argument, NULL, 's' },
		{ "keep-retransmits", no_argument, NULL, 'k' },
		{ "no-settings", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_case_opts ro = { .rig_is_client = true };
	struct casegen_script cs = { 0 };
	struct capture_settings set = { 0 };
	bool side_given = false, settings = true;
	struct tr_err err = { 0 };
	const char *outp = NULL;
	struct flow flow;
	FILE *f = stdout;
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
	ro.path = argv[optind];
	if (settings && replay_settings_take(&ro, side_given, &set, &err))
		goto fail;
	if (replay_case_make(&ro, &flow, &cs, &err))
		goto fail;
	if (outp && !(f = fopen(outp, "w"))) {
		err_usage(&err, "-o %s: %s", outp, strerror(errno));
		goto fail;
	}
	fputs(cs.text, f);
	if ((outp && fclose(f)) || (!outp && fflush(f))) {
		err_sys(&err, "%s", outp ? outp : "stdout");
		goto fail;
	}
	casegen_script_free(&cs);
	capture_settings_free(&set);
	return TR_OK;
fail:
	casegen_script_free(&cs);
	capture_settings_free(&set);
	fprintf(stderr, "%s pcap2case: %s\n", prog_name, err.msg);
	return err.status ? (int)err.status : TR_ENV;
}
