/* pool_check.c - a pool's cases checked before any runs. */
#include "run/pool_check.h"

#include "run/callcheck.h"

int run_pool_check(const struct run_pool_case *cases, size_t n, struct tr_err *err)
{
	for (size_t i = 0; i < n; i++) {
		struct run_config cfg = cases[i].cfg;

		if (!cases[i].script)
			continue;
		if (cases[i].skip)
			cfg.family = 0;
		if (runner_check(cases[i].script, &cfg, err))
			return -1;
	}
	return 0;
}
