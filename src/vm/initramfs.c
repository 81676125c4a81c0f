/* initramfs.c - a newc cpio archive, entry by entry. */
#include "vm/initramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/tree.h"

int initramfs_normalize(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	const char *p = path;

	while (*p) {
		const char *end;
		size_t n;

		while (*p == '/')
			p++;
		end = p;
		while (*end && *end != '/')
			end++;
		n = (size_t)(end - p);
		if (n == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return -1;
		if (n) {
			if (len + n + 2 > cap)
				return -1;
			if (len)
				buf[len++] = '/';
			memcpy(buf + len, p, n);
			len += n;
		}
		p = end;
	}
	if (!len || len >= cap)
		return -1;
	buf[len] = '\0';
	return 0;
}

static struct initramfs_entry *initramfs_find(struct initramfs *ir, const char *path)
{
	for (size_t i = 0; i < ir->n; i++)
		if (!strcmp(ir->ents[i].path, path))
			return &ir->ents[i];
	return NULL;
}

static int initramfs_pad(struct initramfs *ir, uint64_t n)
{
	static const char zeros[4];
	size_t pad = (size_t)((4 - n % 4) % 4);

	ir->bytes += pad;
	return pad && fwrite(zeros, 1, pad, ir->f) != pad ? -1 : 0;
}

/* The header and the name, padded; the data follows. */
static int initramfs_header(struct initramfs *ir, const char *path, mode_t mode, uint64_t size,
			    unsigned rmajor, unsigned rminor, struct tr_err *err)
{
	size_t namesize = strlen(path) + 1;

	if (size > INITRAMFS_BYTES_MAX || ir->bytes + size + 512 > INITRAMFS_BYTES_MAX)
		return err_env(err, "%s: the guest's initramfs would pass %u MiB with %s",
			       ir->file, INITRAMFS_BYTES_MAX >> 20, path);
	if (fprintf(ir->f, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ++ir->ino,
		    (unsigned)mode, 0u, 0u, S_ISDIR(mode) ? 2u : 1u, 0u, (unsigned)size, 0u, 0u,
		    rmajor, rminor, (unsigned)namesize, 0u) != 110 ||
	    fwrite(path, 1, namesize, ir->f) != namesize)
		return err_sys(err, "writing %s", ir->file);
	ir->bytes += 110 + namesize;
	if (initramfs_pad(ir, 110 + namesize))
		return err_sys(err, "writing %s", ir->file);
	return 0;
}

static int initramfs_remember(struct initramfs *ir, const char *path, const char *source,
			      mode_t mode, struct tr_err *err)
{
	struct initramfs_entry *e;

	if (ir->n == INITRAMFS_ENTRIES_MAX)
		return err_env(err, "%s: more than %d entries", ir->file, INITRAMFS_ENTRIES_MAX);
	if (ir->n == ir->cap) {
		size_t cap = ir->cap ? 2 * ir->cap : 64;
		struct initramfs_entry *n = realloc(ir->ents, cap * sizeof(*n));

		if (!n)
			return err_sys(err, "%s", ir->file);
		ir->ents = n;
		ir->cap = cap;
	}
	e = &ir->ents[ir->n];
	e->path = strdup(path);
	e->source = source ? strdup(source) : NULL;
	e->mode = mode;
	if (!e->path || (source && !e->source)) {
		free(e->path);
		free(e->source);
		return err_sys(err, "%s", ir->file);
	}
	ir->n++;
	return 0;
}

int initramfs_open(struct initramfs *ir, const char *path, struct tr_err *err)
{
	memset(ir, 0, sizeof(*ir));
	ir->file = strdup(path);
	if (!ir->file)
		return err_sys(err, "%s", path);
	ir->f = fopen(path, "we");
	if (!ir->f) {
		err_sys(err, "%s", path);
		free(ir->file);
		ir->file = NULL;
		return -1;
	}
	return 0;
}

/* The normalized path's parents, each once. */
static int initramfs_parents(struct initramfs *ir, char *norm, struct tr_err *err)
{
	for (char *s = strchr(norm, '/'); s; s = strchr(s + 1, '/')) {
		struct initramfs_entry *e;

		*s = '\0';
		e = initramfs_find(ir, norm);
		if (e && !S_ISDIR(e->mode)) {
			err_usage(err, "initramfs: '%s' is a file and a directory", norm);
			*s = '/';
			return -1;
		}
		if (!e && (initramfs_header(ir, norm, S_IFDIR | 0755, 0, 0, 0, err) ||
			   initramfs_remember(ir, norm, NULL, S_IFDIR | 0755, err))) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/* Normalizes path into norm and makes its parents; 1 when it exists
 * already (e: the entry), 0 when it is new. */
static int initramfs_place(struct initramfs *ir, const char *path, char norm[PATH_MAX],
			   struct initramfs_entry **e, struct tr_err *err)
{
	if (initramfs_normalize(path, norm, PATH_MAX))
		return err_usage(err, "initramfs: '%s' is no path inside the guest", path);
	*e = initramfs_find(ir, norm);
	if (*e)
		return 1;
	return initramfs_parents(ir, norm, err);
}

int initramfs_dir(struct initramfs *ir, const char *path, struct tr_err *err)
{
	char norm[PATH_MAX];
	struct initramfs_entry *e;
	int rc = initramfs_place(ir, path, norm, &e, err);

	if (rc < 0)
		return -1;
	if (rc)
		return S_ISDIR(e->mode) ? 0 :
					  err_usage(err, "initramfs: '%s' is a file and a directory",
						    norm);
	if (initramfs_header(ir, norm, S_IFDIR | 0755, 0, 0, 0, err))
		return -1;
	return initramfs_remember(ir, norm, NULL, S_IFDIR | 0755, err);
}

static int initramfs_copy(struct initramfs *ir, int fd, const char *src, uint64_t size,
			  struct tr_err *err)
{
	char buf[65536];
	uint64_t left = size;

	while (left) {
		ssize_t n = read(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, "reading %s", src);
		if (n == 0)
			return err_env(err, "%s shrank while it was copied", src);
		if (fwrite(buf, 1, (size_t)n, ir->f) != (size_t)n)
			return err_sys(err, "writing %s", ir->file);
		left -= (uint64_t)n;
	}
	ir->bytes += size;
	if (initramfs_pad(ir, size))
		return err_sys(err, "writing %s", ir->file);
	return 0;
}

int initramfs_file(struct initramfs *ir, const char *path, const char *src, mode_t mode,
		   struct tr_err *err)
{
	char norm[PATH_MAX];
	struct initramfs_entry *e;
	struct stat st;
	int rc = initramfs_place(ir, path, norm, &e, err), fd;

	if (rc < 0)
		return -1;
	if (rc) {
		if (e->source && !strcmp(e->source, src))
			return 0;
		return err_usage(err, "initramfs: '%s' added twice, from different sources", norm);
	}
	fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "%s", src);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_usage(err, "%s: not a regular file", src);
	}
	mode = S_IFREG | (mode ? mode & 07777 : st.st_mode & 07777);
	rc = initramfs_header(ir, norm, mode, (uint64_t)st.st_size, 0, 0, err) ||
	     initramfs_copy(ir, fd, src, (uint64_t)st.st_size, err) ||
	     initramfs_remember(ir, norm, src, mode, err);
	close(fd);
	return rc ? -1 : 0;
}

/* A regular file or a symlink: a header, then len bytes of body. */
static int initramfs_body(struct initramfs *ir, const char *path, mode_t mode, const void *data,
			  size_t len, struct tr_err *err)
{
	char norm[PATH_MAX];
	struct initramfs_entry *e;
	int rc = initramfs_place(ir, path, norm, &e, err);

	if (rc < 0)
		return -1;
	if (rc)
		return err_usage(err, "initramfs: '%s' added twice", norm);
	if (initramfs_header(ir, norm, mode, len, 0, 0, err))
		return -1;
	if (len && fwrite(data, 1, len, ir->f) != len)
		return err_sys(err, "writing %s", ir->file);
	ir->bytes += len;
	if (initramfs_pad(ir, len))
		return err_sys(err, "writing %s", ir->file);
	return initramfs_remember(ir, norm, NULL, mode, err);
}

int initramfs_data(struct initramfs *ir, const char *path, const void *data, size_t len,
		   mode_t mode, struct tr_err *err)
{
	return initramfs_body(ir, path, S_IFREG | (mode & 07777), data, len, err);
}

int initramfs_symlink(struct initramfs *ir, const char *path, const char *target,
		      struct tr_err *err)
{
	return initramfs_body(ir, path, S_IFLNK | 0777, target, strlen(target), err);
}

int initramfs_chardev(struct initramfs *ir, const char *path, unsigned major, unsigned minor,
		      mode_t mode, struct tr_err *err)
{
	char norm[PATH_MAX];
	struct initramfs_entry *e;
	int rc = initramfs_place(ir, path, norm, &e, err);

	if (rc < 0)
		return -1;
	if (rc)
		return err_usage(err, "initramfs: '%s' added twice", norm);
	mode = S_IFCHR | (mode & 07777);
	if (initramfs_header(ir, norm, mode, 0, major, minor, err))
		return -1;
	return initramfs_remember(ir, norm, NULL, mode, err);
}

static int initramfs_tree_dir(void *ctx, const char *name, struct tr_err *err)
{
	return initramfs_dir(ctx, name, err);
}

static int initramfs_tree_file(void *ctx, const char *name, const char *src, struct tr_err *err)
{
	return initramfs_file(ctx, name, src, 0, err);
}

int initramfs_tree(struct initramfs *ir, const char *path, const char *src, struct tr_err *err)
{
	const struct tree_sink sink = {ir, initramfs_tree_dir, initramfs_tree_file};

	return tree_add(&sink, path, src, err);
}

void initramfs_abort(struct initramfs *ir)
{
	if (ir->f)
		fclose(ir->f);
	ir->f = NULL;
	for (size_t i = 0; i < ir->n; i++) {
		free(ir->ents[i].path);
		free(ir->ents[i].source);
	}
	free(ir->ents);
	free(ir->file);
	memset(ir, 0, sizeof(*ir));
}

int initramfs_close(struct initramfs *ir, struct tr_err *err)
{
	int rc = initramfs_header(ir, "TRAILER!!!", 0, 0, 0, 0, err);

	if (!rc && (fflush(ir->f) || ferror(ir->f)))
		rc = err_sys(err, "writing %s", ir->file);
	if (fclose(ir->f) && !rc)
		rc = err_sys(err, "writing %s", ir->file);
	ir->f = NULL;
	initramfs_abort(ir);
	return rc;
}
