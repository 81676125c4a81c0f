/* tcprig agent: the target agent on a host of its own, over TCP. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "agent/listen.h"
#include "cmd/subcommands.h"

static void agent_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s agent --listen ADDR:PORT --token-file FILE [--allow-shell]\n"
		"Serves a rig's `tcprig run --target ... --agent ADDR:PORT` on this host: the\n"
		"case's socket calls, sysctls, socket states and counters, one session at\n"
		"a time. Runs until SIGINT or SIGTERM.\n\n"
		"  --listen ADDR:PORT  the IPv4 address and port to listen on\n"
		"  --token-file FILE   the shared token (mode 600, at least 16 bytes; e.g.\n"
		"                      head -c 32 /dev/urandom | base64 > FILE); a rig\n"
		"                      proves it holds it by HMAC-SHA256 over fresh nonces,\n"
		"                      and the agent proves it back: it never crosses the\n"
		"                      wire. A rig with another token is refused, nothing run.\n"
		"  --allow-shell       also run the cases' shell lines (`...`) as this user;\n"
		"                      without it they are refused\n\n"
		"Every sysctl a session sets is put back when the session ends, however\n"
		"it ends (the rig closed, was killed, or vanished: keepalive, ~11 s).\n"
		"Exit: 0 stopped by a signal, 2 bad usage, 3 could not listen.\n",
		prog_name);
}

int agent_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"token-file", required_argument, NULL, 't'},
		{"allow-shell", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct agent_listen_config cfg = {.log = stderr};
	const char *listen_at = NULL, *token = NULL;
	struct tr_err err;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen_at = optarg;
			break;
		case 't':
			token = optarg;
			break;
		case 's':
			cfg.allow_shell = true;
			break;
		case 'h':
			agent_usage(stdout);
			return TR_OK;
		default:
			fprintf(stderr, "%s agent: unknown option '%s' (see --help)\n", prog_name,
				argv[optind - 1]);
			return TR_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s agent: unexpected argument '%s'\n", prog_name, argv[optind]);
		return TR_USAGE;
	}
	if (!listen_at || !token) {
		fprintf(stderr, "%s agent: --listen ADDR:PORT and --token-file FILE are both "
				"needed\n", prog_name);
		return TR_USAGE;
	}
	if (agent_parse_hostport(listen_at, &cfg.addr, &err) ||
	    agent_token_load(token, &cfg.token, &err) || agent_listen_run(&cfg, &err)) {
		fprintf(stderr, "%s agent: %s\n", prog_name, err.msg);
		return err.status;
	}
	return TR_OK;
}
