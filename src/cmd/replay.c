/* tcprig replay: a captured conversation played against a live target. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/replay_int.h"
#include "cmd/subcommands.h"
#include "core/err.h"

static void replay_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s replay --list CAPTURE\n"
		"  --list CAPTURE      the TCP conversations of a pcap or pcapng file,\n"
		"                      numbered: endpoints, packets, payload bytes,\n"
		"                      duration and how each ended (FIN, RST, open)\n",
		prog_name);
}

int replay_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "list", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *list = NULL;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			list = optarg;
			break;
		case 'h':
			replay_usage(stdout);
			return TR_OK;
		default:
			fprintf(stderr, "%s replay: unknown or incomplete option '%s'\n",
				prog_name, argv[optind - 1]);
			return TR_USAGE;
		}
	}
	if (list && optind == argc)
		return replay_list(list);
	fprintf(stderr, "%s replay: nothing to do (see '%s replay --help')\n", prog_name,
		prog_name);
	return TR_USAGE;
}
