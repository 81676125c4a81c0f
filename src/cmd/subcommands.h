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

#endif
