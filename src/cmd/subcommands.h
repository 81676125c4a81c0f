/* subcommands.h - each subcommand is a *_main(argc, argv) in its own file;
 * main.c's table dispatches to them and prints the usage from the same table. */
#ifndef TCPRIG_SUBCOMMANDS_H
#define TCPRIG_SUBCOMMANDS_H

extern const char *prog_name;

int run_main(int argc, char *argv[]);
int list_main(int argc, char *argv[]);
int matrix_main(int argc, char *argv[]);
int probe_main(int argc, char *argv[]);
int lab_main(int argc, char *argv[]);
int agent_main(int argc, char *argv[]);
int replay_main(int argc, char *argv[]);
int pcap2case_main(int argc, char *argv[]);
int vm_main(int argc, char *argv[]);
int merge_main(int argc, char *argv[]);
/* pid 1 of a `tcprig vm` guest (vm/guest.h); never returns. */
int vm_guest_main(const char *argv0) __attribute__((noreturn));

#endif
