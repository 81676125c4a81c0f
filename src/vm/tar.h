/* tar.h - how a guest's results come back: a ustar archive written straight
 * onto the guest's second disk (a raw image file on the host), read back by
 * the host once the guest has powered off.
 *
 * A raw disk needs no filesystem driver in the guest's kernel and nothing
 * from the host's kernel either (no 9p, no loop mount); the image's size
 * bounds what a guest can write. `tar tf results.img` lists it.
 *
 * The writer (in the guest) takes regular files and directories. The reader
 * (on the host) is strict, since the archive comes from a guest that may
 * have died half-way: every header's checksum, ustar magic, octal fields,
 * sizes within the image, names relative without "..", types '0' and '5'
 * only, no name twice; the archive ends with its zero blocks or it is
 * refused ("the guest wrote no complete result"). An image that starts with
 * a zero block holds no archive at all: TR_ENV "no result".
 */
#ifndef TCPRIG_VM_TAR_H
#define TCPRIG_VM_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TAR_BLOCK 512
#define TAR_ENTRIES_MAX 65536

struct tar_writer {
	int fd;
	uint64_t off; /* bytes written so far */
};

void tar_writer_init(struct tar_writer *w, int fd);
int tar_add_dir(struct tar_writer *w, const char *name, struct tr_err *err);
int tar_add_data(struct tar_writer *w, const char *name, const void *data, size_t len,
		 struct tr_err *err);
int tar_add_file(struct tar_writer *w, const char *name, const char *src, struct tr_err *err);
/* src's regular files and directories under name (links followed, names
 * starting with '.' left out). */
int tar_add_tree(struct tar_writer *w, const char *name, const char *src, struct tr_err *err);
/* The two zero blocks, then fsync. */
int tar_finish(struct tar_writer *w, struct tr_err *err);

/* Unpacks the archive at the start of image into dest, an existing
 * directory. */
int tar_extract(const char *image, const char *dest, struct tr_err *err);

#endif
