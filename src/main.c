/* tcprig: a raw-socket TCP packet-injection test rig. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "cmd/subcommands.h"

const char *prog_name;

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;
} subcommands[] = {
	{ "run", run_main, "Runs case scripts against the real kernel, each in its own lab, or against another host (--target)" },
	{ "matrix", matrix_main, "Runs cases under every combination of sysctl values, in one family or both (or, --events timewait, every segment against a TIME_WAIT socket): a table of what the target did" },
	{ "list", list_main, "Lists cases with their descriptions, tags, the sysctls they set and the outcomes they name" },
	{ "probe", probe_main, "Sends one hand-built segment into a lab and prints what the target answers" },
	{ "pcap2case", pcap2case_main, "Turns a TCP conversation of a capture into a case script" },
	{ "replay", replay_main, "Plays a captured TCP conversation against a live target; --list shows a capture's flows" },
	{ "agent", agent_main, "Serves a remote rig's cases on this host over TCP (the target agent)" },
	{ "lab", lab_main, "Makes, lists and removes labs (network namespace pairs): up, down, list" },
	{ "merge", merge_main, "Joins the JSON reports of a run's shards (--shard K/N) into one" },
	{ "vm", vm_main, "Runs a command (run, list, matrix, probe) in another kernel, booted under qemu" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s <command> [<args>]\n\nCommands:\n", prog_name);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f, "\n'%s <command> --help' tells more about a command.\n",
		prog_name);
}

int main(int argc, char *argv[])
{
	prog_name = argv[0];
	/* In a `tcprig vm` guest this binary is /init, started by the kernel. */
	if (argc >= 1 && getpid() == 1 && !strcmp(argv[0], "/init"))
		vm_guest_main(argv[0]);
	if (argc < 2) {
		usage(stderr);
		return TR_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return TR_OK;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s' (see '%s --help')\n", prog_name,
		argv[1], prog_name);
	return TR_USAGE;
}
