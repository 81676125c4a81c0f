/* session.h - one command run in a guest kernel, start to end: the guest's
 * initramfs built in a fresh work directory (mkdtemp under $TMPDIR or
 * /tmp), qemu run under KVM when kvm.h says it can, else TCG, bounded by
 * timeout_s, and the guest's results unpacked into dir/out and dir/files
 * (guest.h). The work directory holds the console log (dir/console.log);
 * the caller keeps it when the run went wrong and removes it otherwise.
 *
 * Inputs: every word of the command after its subcommand that names an
 * existing host path (not an option) goes into the guest at its absolute
 * path, relative words resolved against the working directory, which the
 * guest shares.
 *
 * Returns -1 only when the guest could not be booted (bad --kernel, no
 * qemu: nothing was run). A guest that hung (timed_out) or brought back no
 * complete result (ok false, why says it) is a 0 return.
 */
#ifndef TCPRIG_VM_SESSION_H
#define TCPRIG_VM_SESSION_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "vm/image.h"

#define VM_TIMEOUT_DEFAULT 600

struct vm_opts {
	const char *kernel;
	const char *moddir; /* NULL: beside the image (DIR/lib/modules/<release>) */
	const char *append; /* more kernel command line, or NULL */
	unsigned timeout_s;
	char *const *argv; /* the command (argv[0]: run, list, ...) */
	size_t argc;
};

struct vm_result {
	char dir[PATH_MAX];	/* the work directory */
	char release[IMAGE_RELEASE_MAX]; /* the guest's uname -r (or the image's) */
	bool kvm;
	bool no_modules;	/* no module tree found: the guest loaded none */
	char accel_why[256];	/* why not KVM */
	bool timed_out;
	bool ok;		/* the guest's results came back whole */
	char why[1200];		/* when not ok */
	int status;		/* the command's exit status, when ok */
	double seconds;		/* qemu from start to end */
};

/* Checks the options and the kernel image: 0, or -1 with TR_USAGE. */
int vm_check(const struct vm_opts *o, struct tr_err *err);
int vm_session(const struct vm_opts *o, struct vm_result *r, struct tr_err *err);
/* dir/out/<name> into a malloc'd string (NULL when absent). */
char *vm_result_read(const struct vm_result *r, const char *name);
/* The files the command made under cwd in the guest, copied to cwd here
 * (as if it had run here: `--json r.json` leaves r.json). */
int vm_result_files(const struct vm_result *r, const char *cwd, struct tr_err *err);
void vm_result_remove(struct vm_result *r);

#endif
