/* signals.c - the agent's signals: its own handler, which takes the running
 * shell line's process group down before the agent goes, and the default
 * dispositions a shell line starts with. */
#include "agent/signals.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* The shell line's process group while it runs, for the handler. */
static volatile sig_atomic_t agent_shell_pgid;

void agent_signals_shell(pid_t pgid)
{
	agent_shell_pgid = pgid;
}

/* The runner gone, or a signal for the whole terminal: the shell line goes
 * first, or its children would live on in the target namespace. */
void agent_on_signal(int sig)
{
	pid_t pgid = agent_shell_pgid;


	if (pgid > 0)
		kill(-pgid, SIGKILL);
	_exit(128 + sig);
}

void agent_restore_signals(void)
{
	struct sigaction dfl;
	sigset_t none;
	int sig;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void agent_child_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	struct sigaction sa;
	size_t i;

	/* Not the runner's handlers: its lab cleanup is the runner's job. */
	agent_restore_signals();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = agent_on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/* A write to a reset connection is the case's EPIPE, not our death. */
	signal(SIGPIPE, SIG_IGN);
}
