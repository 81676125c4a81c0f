/* tree.h - a host directory put into an archive the vm command writes (the
 * initramfs's cpio, the results disk's tar): both must hold the same archive
 * for the same tree, so entries come in name order; links are followed,
 * names starting with '.' left out, other file types skipped, and a tree
 * nested deeper than TREE_DEPTH is refused rather than walked without end.
 */
#ifndef TCPRIG_VM_TREE_H
#define TCPRIG_VM_TREE_H

#include "core/err.h"

#define TREE_DEPTH 8

/* What an archive does with each entry: name is the path in the archive,
 * src the host file. Each returns 0, or -1 with err set. */
struct tree_sink {
	void *ctx;
	int (*dir)(void *ctx, const char *name, struct tr_err *err);
	int (*file)(void *ctx, const char *name, const char *src, struct tr_err *err);
};

/* src at name: a regular file alone, or a directory and all below it. */
int tree_add(const struct tree_sink *sink, const char *name, const char *src, struct tr_err *err);

#endif
