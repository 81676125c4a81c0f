/* session.c - a command in a guest kernel: build, boot, bounded, unpack. */
#include "vm/session.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/initramfs.h"
#include "vm/kvm.h"
#include "vm/qemu.h"
#include "vm/tar.h"

static const char *const vm_commands[] = { "run", "list", "matrix", "probe" };

int vm_check(const struct vm_opts *o, struct tr_err *err)
{
	char release[IMAGE_RELEASE_MAX];
	bool known = false;
	struct stat st;

	if (!o->kernel)
		return err_usage(err, "--kernel IMAGE is required");
	if (!o->argc)
		return err_usage(err, "no command after '--' (run, list, matrix or probe)");
	for (size_t i = 0; i < sizeof(vm_commands) / sizeof(vm_commands[0]); i++)
		known |= !strcmp(o->argv[0], vm_commands[i]);
	if (!known)
		return err_usage(err, "'%s' cannot run in a guest (run, list, matrix or probe)",
				 o->argv[0]);
	if (o->moddir && (stat(o->moddir, &st) || !S_ISDIR(st.st_mode)))
		return err_usage(err, "--modules %s: not a directory", o->moddir);
	if (o->append && strpbrk(o->append, "\n"))
		return err_usage(err, "--append: one line");
	return image_release(o->kernel, release, sizeof(release), err);
}

static int vm_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

void vm_result_remove(struct vm_result *r)
{
	if (r->dir[0])
		nftw(r->dir, vm_rm, 16, FTW_DEPTH | FTW_PHYS);
	r->dir[0] = '\0';
}

char *vm_result_read(const struct vm_result *r, const char *name)
{
	char path[PATH_MAX + 64], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/out/%s", r->dir, name);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The inputs among the command's words, as absolute normalized paths. */
static int vm_inputs(const struct vm_opts *o, const char *cwd, char **inputs, size_t *n,
		     struct tr_err *err)
{
	*n = 0;
	for (size_t i = 1; i < o->argc; i++) {
		char abs[PATH_MAX], norm[PATH_MAX];
		struct stat st;
		const char *w = o->argv[i];

		if (w[0] == '-' || stat(w, &st) || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
			continue;
		if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", w[0] == '/' ? "" : cwd, w) >=
			    sizeof(abs) ||
		    initramfs_normalize(abs, norm + 1, sizeof(norm) - 1))
			return err_usage(err, "'%s': no path the guest can hold", w);
		if (!strcmp(norm + 1, "") || *n == IMAGE_INPUTS_MAX)
			return err_usage(err, "'%s': too much to copy into the guest", w);
		norm[0] = '/';
		inputs[*n] = strdup(norm);
		if (!inputs[*n])
			return err_sys(err, "vm");
		(*n)++;
	}
	return 0;
}

/* The default module tree: DIR/lib/modules/<release> for DIR/boot/<image>. */
static const char *vm_moddir(const struct vm_opts *o, const char *release, char *buf, size_t cap)
{
	char img[PATH_MAX];
	char *slash;
	struct stat st;

	if (o->moddir)
		return o->moddir;
	snprintf(img, sizeof(img), "%s", o->kernel);
	slash = strrchr(img, '/');
	if (!slash)
		snprintf(img, sizeof(img), ".");
	else
		*slash = '\0';
	if ((size_t)snprintf(buf, cap, "%s/../lib/modules/%s", img, release) >= cap ||
	    stat(buf, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	return buf;
}

int vm_session(const struct vm_opts *o, struct vm_result *r, struct tr_err *err)
{
	char *inputs[IMAGE_INPUTS_MAX];
	char cwd[PATH_MAX], moddir[PATH_MAX], initrd[PATH_MAX + 32], console[PATH_MAX + 32],
		results[PATH_MAX + 32], append[2048];
	const char *tmp = getenv("TMPDIR");
	struct image_spec spec = { 0 };
	struct qemu_boot boot = { 0 };
	struct qemu_end end;
	size_t ninputs = 0;
	char *status;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (vm_check(o, err) || image_release(o->kernel, r->release, sizeof(r->release), err))
		return -1;
	if (!getcwd(cwd, sizeof(cwd)))
		return err_sys(err, "getcwd");
	if (vm_inputs(o, cwd, inputs, &ninputs, err))
		goto out;
	snprintf(r->dir, sizeof(r->dir), "%s/tcprig-vm.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(r->dir)) {
		err_sys(err, "mkdtemp %s", r->dir);
		r->dir[0] = '\0';
		goto out;
	}
	snprintf(initrd, sizeof(initrd), "%s/initrd.cpio", r->dir);
	snprintf(console, sizeof(console), "%s/console.log", r->dir);
	snprintf(results, sizeof(results), "%s/results.tar", r->dir);
	spec.initrd = initrd;
	spec.moddir = vm_moddir(o, r->release, moddir, sizeof(moddir));
	r->no_modules = !spec.moddir;
	spec.release = r->release;
	spec.cwd = cwd;
	spec.argv = o->argv;
	spec.argc = o->argc;
	spec.inputs = (const char *const *)inputs;
	spec.ninputs = ninputs;
	if (image_build(&spec, err))
		goto out;
	r->kvm = kvm_usable(r->accel_why, sizeof(r->accel_why));
	/* panic=-1: a guest that panics reboots, and -no-reboot ends qemu. */
	snprintf(append, sizeof(append), "console=ttyS0 panic=-1 quiet rdinit=/init%s%s",
		 o->append ? " " : "", o->append ? o->append : "");
	boot.kernel = o->kernel;
	boot.initrd = initrd;
	boot.append = append;
	boot.console_log = console;
	boot.results = results;
	boot.kvm = r->kvm;
	boot.timeout_s = o->timeout_s;
	if (qemu_run(&boot, &end, err))
		goto out;
	r->seconds = end.seconds;
	r->timed_out = end.timed_out;
	rc = 0;
	if (r->timed_out) {
		snprintf(r->why, sizeof(r->why), "the guest was still running after %u s: killed",
			 o->timeout_s);
		goto out;
	}
	{
		char dest[PATH_MAX + 32];
		struct tr_err terr = { 0 };

		snprintf(dest, sizeof(dest), "%s/x", r->dir);
		if (mkdir(dest, 0700) || tar_extract(results, dest, &terr)) {
			snprintf(r->why, sizeof(r->why), "%s (qemu exited %d)",
				 terr.msg[0] ? terr.msg : strerror(errno), end.status);
			goto out;
		}
		/* dir/x/out -> dir/out, dir/x/files -> dir/files */
		snprintf(dest, sizeof(dest), "%s/x/out", r->dir);
		snprintf(results, sizeof(results), "%s/out", r->dir);
		rename(dest, results);
		snprintf(dest, sizeof(dest), "%s/x/files", r->dir);
		snprintf(results, sizeof(results), "%s/files", r->dir);
		rename(dest, results);
	}
	status = vm_result_read(r, "status");
	if (!status) {
		snprintf(r->why, sizeof(r->why), "the guest's results hold no exit status");
		goto out;
	}
	r->status = atoi(status);
	free(status);
	status = vm_result_read(r, "release");
	if (status) {
		status[strcspn(status, "\n")] = '\0';
		snprintf(r->release, sizeof(r->release), "%s", status);
		free(status);
	}
	r->ok = true;
out:
	for (size_t i = 0; i < ninputs; i++)
		free(inputs[i]);
	return rc;
}

static int vm_copy(const char *src, const char *dst, struct tr_err *err)
{
	char buf[65536];
	FILE *in = fopen(src, "re"), *out;
	size_t n;
	int rc = 0;

	if (!in)
		return err_sys(err, "%s", src);
	out = fopen(dst, "we");
	if (!out) {
		fclose(in);
		return err_sys(err, "%s", dst);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = err_sys(err, "writing %s", dst);
	if (ferror(in))
		rc = err_sys(err, "reading %s", src);
	if (fclose(out) && !rc)
		rc = err_sys(err, "writing %s", dst);
	fclose(in);
	return rc;
}

/* dir/files/... -> <cwd>/... */
static int vm_files_walk(const char *from, const char *to, int depth, struct tr_err *err)
{
	struct dirent **ents;
	int n, rc = 0;

	if (depth > 16)
		return 0;
	n = scandir(from, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		char src[PATH_MAX], dst[PATH_MAX];
		struct stat st;
		const char *d = ents[i]->d_name;

		if (!rc && strcmp(d, ".") && strcmp(d, "..") &&
		    (size_t)snprintf(src, sizeof(src), "%s/%s", from, d) < sizeof(src) &&
		    (size_t)snprintf(dst, sizeof(dst), "%s/%s", to, d) < sizeof(dst) &&
		    !lstat(src, &st)) {
			if (S_ISDIR(st.st_mode)) {
				if (mkdir(dst, 0755) && errno != EEXIST)
					rc = err_sys(err, "%s", dst);
				else
					rc = vm_files_walk(src, dst, depth + 1, err);
			} else if (S_ISREG(st.st_mode)) {
				rc = vm_copy(src, dst, err);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int vm_result_files(const struct vm_result *r, const char *cwd, struct tr_err *err)
{
	char from[PATH_MAX + 16];

	if ((size_t)snprintf(from, sizeof(from), "%s/files", r->dir) >= sizeof(from))
		return err_env(err, "%s: path too long", cwd);
	return vm_files_walk(from, cwd, 0, err);
}
