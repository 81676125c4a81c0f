/* signals.h - the target agent's signal handling. SIGTERM, SIGINT and SIGHUP
 * end the agent, and the shell line it is running with it (its whole
 * process group): nothing a case started outlives the agent.
 */
#ifndef TCPRIG_AGENT_SIGNALS_H
#define TCPRIG_AGENT_SIGNALS_H

#include <sys/types.h>

/* The agent's handlers for SIGTERM, SIGINT and SIGHUP, SIGPIPE ignored. */
void agent_child_signals(void);
/* Default dispositions for every signal, and none blocked (a shell line's). */
void agent_restore_signals(void);
/* The process group of the shell line now running; 0: none. */
void agent_signals_shell(pid_t pgid);
/* The handler: kills the running shell line's process group, then exits
 * 128 + sig. */
void agent_on_signal(int sig);

#endif
