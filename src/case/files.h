/* files.h - the case files named on a command line: files as given,
 * directories searched recursively for *.pkt, each directory's cases in name
 * order. Shared by run, list and (later) matrix. */
#ifndef TCPRIG_CASE_FILES_H
#define TCPRIG_CASE_FILES_H

#include <stddef.h>

#include "case/case.h"
#include "core/err.h"

#define CASE_FILES_MAX 4096

struct case_files {
	char *paths[CASE_FILES_MAX];
	size_t n;
	const struct case_defines *defs; /* -D names for the parser, or NULL */
};

/* Adds path (a file, or a directory's cases). A missing path is TR_USAGE. */
int case_files_add(struct case_files *l, const char *path, struct tr_err *err);
void case_files_free(struct case_files *l);

/* What run and matrix start with: every path's cases added (none at all is
 * TR_USAGE), then every case parsed into *scripts (l->n of them, the
 * caller's to free with case_scripts_free) before any runs, so that a typo
 * sends nothing. */
int case_files_load(struct case_files *l, char *const *paths, size_t npaths,
		    struct case_script **scripts, struct tr_err *err);
void case_scripts_free(struct case_script *scripts, size_t n);

#endif
