/* result.c - a verdict's name, as every output writes it. */
#include "core/result.h"

const char *run_verdict_name(enum run_verdict v)
{
	switch (v) {
	case RUN_PASS:
		return "PASS";
	case RUN_FAIL:
		return "FAIL";
	case RUN_SKIP:
		return "SKIP";
	case RUN_INCONCLUSIVE:
		return "INCONCLUSIVE";
	}
	return "?";
}
