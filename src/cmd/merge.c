/* tcprig merge: the JSON reports of a run's shards joined into one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/subcommands.h"
#include "report/json_merge.h"

#define MERGE_FILES_MAX 1000

static void merge_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s merge [-o FILE] REPORT.json...\n"
		"Joins JSON reports of 'tcprig run --shard K/N --json' (or matrix) into the\n"
		"one report a single run over all their cases writes: cases ordered by path,\n"
		"the summary counted again. A case in two reports is an error.\n\n"
		"  -o, --output FILE  write there (default: stdout)\n"
		"Exit: 0 merged, 2 bad input (a file that is no tcprig report, overlap).\n",
		prog_name);
}

static char *merge_slurp(const char *path, char *why, size_t cap)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, got;

	if (!f) {
		snprintf(why, cap, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(JSON_MERGE_BYTES_MAX + 1);
	if (buf) {
		while ((got = fread(buf + len, 1, JSON_MERGE_BYTES_MAX - len, f)) > 0)
			len += got;
		if (len == JSON_MERGE_BYTES_MAX) {
			snprintf(why, cap, "%s: larger than %u MiB", path, JSON_MERGE_BYTES_MAX >> 20);
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
		}
	} else {
		snprintf(why, cap, "%s: out of memory", path);
	}
	fclose(f);
	return buf;
}

int merge_main(int argc, char *argv[])
{
	const char *out_path = NULL;
	const char *names[MERGE_FILES_MAX];
	char *texts[MERGE_FILES_MAX], why[1200];
	struct tr_err err = { 0 };
	size_t n = 0;
	FILE *out = stdout;
	int status = TR_OK;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			merge_usage(stdout);
			return TR_OK;
		}
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (++i == argc) {
				fprintf(stderr, "%s merge: %s needs a file\n", prog_name, argv[i - 1]);
				return TR_USAGE;
			}
			out_path = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s merge: unknown option '%s'\n", prog_name, argv[i]);
			return TR_USAGE;
		} else if (n == MERGE_FILES_MAX) {
			fprintf(stderr, "%s merge: more than %d reports\n", prog_name, MERGE_FILES_MAX);
			return TR_USAGE;
		} else {
			names[n++] = argv[i];
		}
	}
	if (!n) {
		merge_usage(stderr);
		return TR_USAGE;
	}
	for (size_t i = 0; i < n; i++) {
		texts[i] = merge_slurp(names[i], why, sizeof(why));
		if (!texts[i]) {
			fprintf(stderr, "%s merge: %s\n", prog_name, why);
			while (i--)
				free(texts[i]);
			return TR_USAGE;
		}
	}
	/* Everything checked before the output is opened: bad input writes nothing. */
	{
		FILE *null = fopen("/dev/null", "we");

		if (!null || json_merge((const char *const *)texts, names, n, null, &err)) {
			status = null ? (int)err.status : TR_ENV;
			fprintf(stderr, "%s merge: %s\n", prog_name, null ? err.msg : "/dev/null");
		}
		if (null)
			fclose(null);
	}
	if (status == TR_OK && out_path && !(out = fopen(out_path, "we"))) {
		fprintf(stderr, "%s merge: -o %s: %s\n", prog_name, out_path, strerror(errno));
		status = TR_USAGE;
	}
	if (status == TR_OK && json_merge((const char *const *)texts, names, n, out, &err)) {
		fprintf(stderr, "%s merge: %s\n", prog_name, err.msg);
		status = err.status;
	}
	if (out_path && out && out != stdout && fclose(out) && status == TR_OK) {
		fprintf(stderr, "%s merge: writing %s: %s\n", prog_name, out_path, strerror(errno));
		status = TR_ENV;
	}
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	return status;
}
