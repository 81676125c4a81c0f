/* json_merge.h - joins the JSON reports of several runs (the shards of one
 * run, `tcprig run --shard K/N --json ...`) into one, as one run over all
 * their cases would have written it: the same header with the summary
 * counted again, the cases ordered by path (then config), each case's
 * object as its run wrote it.
 *
 * It reads what report_json_write writes and nothing else: the header
 * line, one case object a line, the closing "]}"; anything else is TR_USAGE
 * naming the file and line. A case (path and config) in two reports is
 * TR_USAGE too: shards that overlap were not made from one command line.
 */
#ifndef TCPRIG_JSON_MERGE_H
#define TCPRIG_JSON_MERGE_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

#define JSON_MERGE_CASES_MAX 65536
#define JSON_MERGE_BYTES_MAX (256u << 20)

/* texts[i] is the whole of report names[i], NUL-terminated. */
int json_merge(const char *const *texts, const char *const *names, size_t n, FILE *out,
	       struct tr_err *err);

/* The same, each case of report i given the config "prefixes[i] CONFIG"
 * (or "prefixes[i]" for none or ""): matrix --kernel's "kernel=6.1.0-57-cloud-amd64
 * net.ipv4.tcp_tw_reuse=1". A '"', '\\' or control character in a prefix
 * becomes '?'. */
int json_merge_prefixed(const char *const *texts, const char *const *names,
			const char *const *prefixes, size_t n, FILE *out, struct tr_err *err);

#endif
