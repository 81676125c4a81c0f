/* shard.h - a stable 1/N slice of a command line's cases, for CI systems
 * that spread one run over N machines (`--shard K/N`).
 *
 * The cases are the list case_files builds (argument order, each
 * directory's cases in name order); case i (from 0) belongs to shard
 * i % N + 1. The N slices are disjoint and together hold every case, their
 * sizes differ by at most one, and the same command line gives the same
 * slices on every machine.
 */
#ifndef TCPRIG_CASE_SHARD_H
#define TCPRIG_CASE_SHARD_H

#include <stdbool.h>
#include <stddef.h>

#include "case/case.h"
#include "case/files.h"
#include "core/err.h"

#define CASE_SHARDS_MAX 1000

struct case_shard {
	unsigned k, n; /* 1 <= k <= n; 1/1 keeps everything */
};

/* "K/N", decimal; anything else is TR_USAGE naming the text. */
int case_shard_parse(const char *text, struct case_shard *s, struct tr_err *err);
bool case_shard_keeps(const struct case_shard *s, size_t i);
/* Keeps l's paths (and scripts[i] with them, when scripts is not NULL) in
 * shard s, in order; frees the others. */
void case_shard_apply(const struct case_shard *s, struct case_files *l,
		      struct case_script *scripts);

#endif
