/* replay_usage.c - `tcprig replay --help`: what it does, its options and
 * its exit statuses, in one place apart from the command's logic. */
#include <stdio.h>

#include "cmd/remote_opts.h"
#include "cmd/replay_int.h"
#include "cmd/rig_opts.h"
#include "cmd/subcommands.h"

void replay_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s replay CAPTURE [--flow N] [--side client|server|ADDRESS] [options]\n"
		"       %s replay --all [-j N] CAPTURE [options]\n"
		"       %s replay --list CAPTURE\n"
		"Plays one TCP conversation of a pcap or pcapng file against the live\n"
		"kernel in a throwaway lab, or on another host with --target (as run\n"
		"--target plays a case): the rig sends what the chosen side sent, the\n"
		"target must answer as the other side did (see pcap2case --help for how\n"
		"the script is made). On a divergence it names the script line, the\n"
		"capture packet, the field, and what was recorded vs what came live.\n\n"
		"  --list CAPTURE      the TCP conversations of the capture, numbered:\n"
		"                      endpoints, packets, payload bytes, duration and\n"
		"                      how each ended (FIN, RST, open)\n"
		"  --flow N            the conversation (needed when there are several)\n"
		"  --all               every conversation, each in its own lab\n"
		"  --flows all|N,M,... these conversations together: one script, one\n"
		"                      lab, one after another in capture order (a port\n"
		"                      reused while its TIME_WAIT lasts; pcap2case --help)\n"
		"  -j, --jobs N        with --all: up to N at once (default: the CPUs)\n"
		"  --side client|server|ADDRESS  the side the rig plays (default\n"
		"                      client), or the endpoint with ADDRESS\n"
		"  --keep-retransmits  keep retransmitted segments (default: dropped; a\n"
		"                      SYN sent again after the handshake or an RST is\n"
		"                      none: kept, with what answered it)\n"
		"  --sysctl NAME=VALUE a net.* sysctl in the target (repeatable)\n"
		"  --pcap FILE         the live run's capture (--all: a directory,\n"
		"                      DIR/flow-N.pcap)\n"
		"  --json FILE         verdict, divergence and every event as JSON\n"
		"  --script FILE       the generated case script (tcprig run takes it)\n"
		"  --ladder            draw the ladder even when the replay matched\n"
		"  --tolerance-usecs N the timing tolerance (default the script's, 4000)\n"
		"  --no-settings       ignore CAPTURE.settings, what the capture was\n"
		"                      recorded under (run --pcap writes it: the rig's\n"
		"                      side, the sysctls and those changed on the way,\n"
		"                      --sysctl-at; --side and --sysctl here win)\n",
		prog_name, prog_name, prog_name);
	rig_opts_usage(f);
	remote_opts_usage(f, true);
	fprintf(f,
		"Exit: 0 the target answered as recorded (--all: every flow that could\n"
		"be made into a case; the others are SKIP, saying why), 1 it diverged,\n"
		"2 bad input (nothing sent), 3 could not run here (or INCONCLUSIVE: the\n"
		"rig was late).\n");
}
