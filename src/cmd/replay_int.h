/* replay_int.h - the parts of `tcprig replay` and `tcprig pcap2case` that
 * live in files of their own: --list, and the options both take. */
#ifndef TCPRIG_CMD_REPLAY_INT_H
#define TCPRIG_CMD_REPLAY_INT_H

/* Prints the flows of the capture at path; returns the exit status. */
int replay_list(const char *path);

#endif
