/* tar.c - ustar, written by a guest and read back strictly by the host. */
#include "vm/tar.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/initramfs.h"
#include "vm/tree.h"

/* The fields of a ustar header, by offset and size. */
#define TAR_NAME 0, 100
#define TAR_MODE 100, 8
#define TAR_SIZE 124, 12
#define TAR_MTIME 136, 12
#define TAR_CHKSUM 148, 8
#define TAR_TYPE 156
#define TAR_MAGIC 257
#define TAR_PREFIX 345, 155

static int tar_write_all(struct tar_writer *w, const void *buf, size_t len, struct tr_err *err)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_sys(err, "writing the results disk at byte %llu",
				       (unsigned long long)w->off);
		p += n;
		len -= (size_t)n;
		w->off += (uint64_t)n;
	}
	return 0;
}

static int tar_pad(struct tar_writer *w, uint64_t len, struct tr_err *err)
{
	static const char zeros[TAR_BLOCK];
	size_t pad = (size_t)((TAR_BLOCK - len % TAR_BLOCK) % TAR_BLOCK);

	return pad ? tar_write_all(w, zeros, pad, err) : 0;
}

static void tar_octal(unsigned char *h, size_t off, size_t len, uint64_t v)
{
	snprintf((char *)h + off, len, "%0*llo", (int)len - 1, (unsigned long long)v);
}

static unsigned tar_sum(const unsigned char *h)
{
	unsigned sum = 0;

	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	return sum;
}

/* name into the name field, or split at a '/' into prefix and name. */
static int tar_set_name(unsigned char *h, const char *name, struct tr_err *err)
{
	size_t len = strlen(name);
	const char *cut;

	if (len < 100) {
		memcpy(h, name, len);
		return 0;
	}
	for (cut = name + len - 1; cut > name; cut--)
		if (*cut == '/' && (size_t)(cut - name) <= 155 && len - (size_t)(cut - name) - 1 < 100)
			break;
	if (cut == name)
		return err_usage(err, "results disk: name too long for ustar: %s", name);
	memcpy(h + 345, name, (size_t)(cut - name));
	memcpy(h, cut + 1, len - (size_t)(cut - name) - 1);
	return 0;
}

static int tar_header(struct tar_writer *w, const char *name, char type, uint64_t size,
		      struct tr_err *err)
{
	unsigned char h[TAR_BLOCK] = { 0 };

	if (tar_set_name(h, name, err))
		return -1;
	tar_octal(h, TAR_MODE, type == '5' ? 0755 : 0644);
	tar_octal(h, 108, 8, 0);
	tar_octal(h, 116, 8, 0);
	tar_octal(h, TAR_SIZE, size);
	tar_octal(h, TAR_MTIME, 0);
	h[TAR_TYPE] = (unsigned char)type;
	memcpy(h + TAR_MAGIC, "ustar\0" "00", 8);
	snprintf((char *)h + 148, 8, "%06o", tar_sum(h));
	h[155] = ' ';
	return tar_write_all(w, h, sizeof(h), err);
}

void tar_writer_init(struct tar_writer *w, int fd)
{
	w->fd = fd;
	w->off = 0;
}

int tar_add_dir(struct tar_writer *w, const char *name, struct tr_err *err)
{
	char n[PATH_MAX];

	if (snprintf(n, sizeof(n), "%s/", name) >= (int)sizeof(n))
		return err_usage(err, "results disk: name too long: %s", name);
	return tar_header(w, n, '5', 0, err);
}

int tar_add_data(struct tar_writer *w, const char *name, const void *data, size_t len,
		 struct tr_err *err)
{
	if (tar_header(w, name, '0', len, err) || tar_write_all(w, data, len, err))
		return -1;
	return tar_pad(w, len, err);
}

int tar_add_file(struct tar_writer *w, const char *name, const char *src, struct tr_err *err)
{
	char buf[65536];
	struct stat st;
	uint64_t left;
	int fd = open(src, O_RDONLY | O_CLOEXEC), rc = -1;

	if (fd < 0)
		return err_sys(err, "%s", src);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		err_usage(err, "%s: not a regular file", src);
		goto out;
	}
	if (tar_header(w, name, '0', (uint64_t)st.st_size, err))
		goto out;
	for (left = (uint64_t)st.st_size; left;) {
		ssize_t n = read(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_env(err, "%s: could not read it whole", src);
			goto out;
		}
		if (tar_write_all(w, buf, (size_t)n, err))
			goto out;
		left -= (uint64_t)n;
	}
	rc = tar_pad(w, (uint64_t)st.st_size, err);
out:
	close(fd);
	return rc;
}

static int tar_tree_dir(void *ctx, const char *name, struct tr_err *err)
{
	return tar_add_dir(ctx, name, err);
}

static int tar_tree_file(void *ctx, const char *name, const char *src, struct tr_err *err)
{
	return tar_add_file(ctx, name, src, err);
}

int tar_add_tree(struct tar_writer *w, const char *name, const char *src, struct tr_err *err)
{
	const struct tree_sink sink = {w, tar_tree_dir, tar_tree_file};

	return tree_add(&sink, name, src, err);
}

int tar_finish(struct tar_writer *w, struct tr_err *err)
{
	static const char zeros[2 * TAR_BLOCK];

	if (tar_write_all(w, zeros, sizeof(zeros), err))
		return -1;
	if (fsync(w->fd) && errno != EINVAL)
		return err_sys(err, "flushing the results disk");
	return 0;
}

/* ---- reading ---- */

static bool tar_zero(const unsigned char *b)
{
	for (size_t i = 0; i < TAR_BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

/* An octal field: digits, then NULs or blanks only. */
static int tar_field(const unsigned char *h, size_t off, size_t len, uint64_t *v)
{
	size_t i = off, end = off + len;

	*v = 0;
	while (i < end && h[i] == ' ')
		i++;
	if (i == end || h[i] < '0' || h[i] > '7')
		return -1;
	for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
		if (*v >> 60)
			return -1;
		*v = *v * 8 + (uint64_t)(h[i] - '0');
	}
	for (; i < end; i++)
		if (h[i] && h[i] != ' ')
			return -1;
	return 0;
}

/* prefix "/" name, each field NUL-terminated or full, normalized. */
static int tar_name(const unsigned char *h, char *out, size_t cap)
{
	char raw[260];
	size_t np = strnlen((const char *)h + 345, 155), nn = strnlen((const char *)h, 100);

	snprintf(raw, sizeof(raw), "%.*s%s%.*s", (int)np, (const char *)h + 345, np ? "/" : "",
		 (int)nn, (const char *)h);
	if (!nn || raw[0] == '/')
		return -1;
	for (const char *p = raw; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return -1;
	return initramfs_normalize(raw, out, cap);
}

struct tar_reader {
	int fd;
	const char *image;
	uint64_t size; /* the image's */
	uint64_t off;
};

static int tar_read_block(struct tar_reader *r, unsigned char *b, struct tr_err *err)
{
	ssize_t n;

	if (r->size - r->off < TAR_BLOCK)
		return err_env(err, "%s: the guest wrote no complete result (the archive runs "
				    "past the disk's end)", r->image);
	n = pread(r->fd, b, TAR_BLOCK, (off_t)r->off);
	if (n != TAR_BLOCK)
		return err_sys(err, "reading %s", r->image);
	r->off += TAR_BLOCK;
	return 0;
}

static int tar_copy_out(struct tar_reader *r, int out, uint64_t size, const char *name,
			struct tr_err *err)
{
	unsigned char buf[65536];

	while (size) {
		size_t want = size < sizeof(buf) ? (size_t)size : sizeof(buf);
		ssize_t n = pread(r->fd, buf, want, (off_t)r->off);

		if (n != (ssize_t)want)
			return err_sys(err, "reading %s", r->image);
		if (write(out, buf, want) != (ssize_t)want)
			return err_sys(err, "writing %s", name);
		r->off += want;
		size -= want;
	}
	r->off += (TAR_BLOCK - r->off % TAR_BLOCK) % TAR_BLOCK;
	return 0;
}

static int tar_entry(struct tar_reader *r, const unsigned char *h, int dfd, unsigned idx,
		     struct tr_err *err)
{
	char name[PATH_MAX];
	uint64_t size, sum;
	int fd, rc;

	if (memcmp(h + TAR_MAGIC, "ustar", 5) || tar_field(h, TAR_CHKSUM, &sum) ||
	    sum != tar_sum(h))
		return err_env(err, "%s: entry %u is no ustar header (bad magic or checksum)",
			       r->image, idx);
	if (tar_field(h, TAR_SIZE, &size) || tar_name(h, name, sizeof(name)))
		return err_env(err, "%s: entry %u: a bad size or name", r->image, idx);
	if (h[TAR_TYPE] == '5') {
		if (size || (mkdirat(dfd, name, 0755) && errno != EEXIST))
			return err_env(err, "%s: directory %s: cannot make it", r->image, name);
		return 0;
	}
	if (h[TAR_TYPE] != '0' && h[TAR_TYPE] != '\0')
		return err_env(err, "%s: %s: type '%c' (only files and directories)", r->image,
			       name, h[TAR_TYPE]);
	if (size > r->size - r->off)
		return err_env(err, "%s: the guest wrote no complete result (%s runs past the "
				    "disk's end)", r->image, name);
	/* O_EXCL: a name twice is refused; O_NOFOLLOW: nothing is a link here. */
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_sys(err, "%s: %s", r->image, name);
	rc = tar_copy_out(r, fd, size, name, err);
	if (close(fd) && !rc)
		rc = err_sys(err, "writing %s", name);
	return rc;
}

int tar_extract(const char *image, const char *dest, struct tr_err *err)
{
	struct tar_reader r = { .image = image };
	unsigned char h[TAR_BLOCK];
	struct stat st;
	int dfd, rc = -1;

	r.fd = open(image, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0)
		return err_sys(err, "%s", image);
	dfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		err_sys(err, "%s", dest);
		goto out;
	}
	if (fstat(r.fd, &st)) {
		err_sys(err, "%s", image);
		goto out;
	}
	r.size = (uint64_t)st.st_size;
	for (unsigned idx = 0;; idx++) {
		if (idx == TAR_ENTRIES_MAX) {
			err_env(err, "%s: more than %d entries", image, TAR_ENTRIES_MAX);
			goto out;
		}
		if (tar_read_block(&r, h, err))
			goto out;
		if (tar_zero(h)) {
			if (idx == 0) {
				err_env(err, "%s: no result: the guest wrote nothing", image);
				goto out;
			}
			if (tar_read_block(&r, h, err))
				goto out;
			if (!tar_zero(h)) {
				err_env(err, "%s: one zero block, then more: not an archive's end",
					image);
				goto out;
			}
			break;
		}
		if (tar_entry(&r, h, dfd, idx, err))
			goto out;
	}
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	close(r.fd);
	return rc;
}
