/* initramfs.h - writes an initramfs: an uncompressed cpio archive in the
 * "newc" format the kernel unpacks into its rootfs before it runs /init.
 *
 * Paths inside are absolute or relative to the archive's root ("bin/sh",
 * "/bin/sh": the same); a path is added once: adding it again is a no-op
 * for a directory and an error for anything else with different content
 * (a file from the same source is skipped). Parent directories are made as
 * needed (0755). Every entry is owned by root. Nothing is compressed: the
 * kernel needs no decompressor, and the archive is written once and read
 * once.
 *
 * Sizes are bounded: at most INITRAMFS_BYTES_MAX bytes in all, which is
 * what a guest with a few hundred MiB of memory can hold beside itself.
 */
#ifndef TCPRIG_VM_INITRAMFS_H
#define TCPRIG_VM_INITRAMFS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/err.h"

#define INITRAMFS_BYTES_MAX (256u << 20)
#define INITRAMFS_ENTRIES_MAX 8192

struct initramfs_entry {
	char *path;	/* normalized: no leading '/', no "//", no "." part */
	char *source;	/* the host file a regular file came from, or NULL */
	mode_t mode;
};

struct initramfs {
	FILE *f;
	char *file;	/* the archive's own path, for messages */
	uint32_t ino;
	uint64_t bytes;
	struct initramfs_entry *ents;
	size_t n, cap;
};

int initramfs_open(struct initramfs *ir, const char *path, struct tr_err *err);
/* A directory, and its parents. */
int initramfs_dir(struct initramfs *ir, const char *path, struct tr_err *err);
/* A regular file with src's content (symbolic links followed), mode's
 * permission bits (0: src's own). */
int initramfs_file(struct initramfs *ir, const char *path, const char *src, mode_t mode,
		   struct tr_err *err);
int initramfs_data(struct initramfs *ir, const char *path, const void *data, size_t len,
		   mode_t mode, struct tr_err *err);
int initramfs_symlink(struct initramfs *ir, const char *path, const char *target,
		      struct tr_err *err);
int initramfs_chardev(struct initramfs *ir, const char *path, unsigned major, unsigned minor,
		      mode_t mode, struct tr_err *err);
/* src's tree at path: directories and regular files (links followed),
 * names starting with '.' left out, at most TREE_DEPTH (vm/tree.h) deep. src
 * a regular file: just that file. */
int initramfs_tree(struct initramfs *ir, const char *path, const char *src, struct tr_err *err);
/* Writes the trailer and closes; the archive is complete only after this
 * returned 0. */
int initramfs_close(struct initramfs *ir, struct tr_err *err);
/* Frees without finishing (after an error). Safe after close. */
void initramfs_abort(struct initramfs *ir);

/* "/a//b/./c/" -> "a/b/c" into buf; -1 for "", "..", a part that is
 * "..", or one that does not fit. */
int initramfs_normalize(const char *path, char *buf, size_t cap);

#endif
