/* hooks.c - the agent's transport hooks, one set per process. */
#include "agent/hooks.h"

/* The lab's pipe: no notices, no journal, shell lines served. */
static struct agent_hooks agent_hooks_now = {.allow_shell = true};

void agent_hooks_set(const struct agent_hooks *hooks)
{
	agent_hooks_now = *hooks;
}

const struct agent_hooks *agent_hooks(void)
{
	return &agent_hooks_now;
}
