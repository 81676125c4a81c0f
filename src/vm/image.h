/* image.h - the host side of `tcprig vm`: a kernel image's release, and the
 * guest's initramfs (the layout of guest.h) built from this host's tcprig.
 *
 * Programs go in with every shared library ldd names for them, at the
 * library's host path (the guest has no ld.so.cache; the host's loader
 * finds them where they were). Inputs go in at their absolute host paths,
 * directories whole. Modules come from moddir (kmod.h) for the image's
 * release; a kernel with no module tree gets none, and says so in the
 * guest's out/modules.
 */
#ifndef TCPRIG_VM_IMAGE_H
#define TCPRIG_VM_IMAGE_H

#include <stddef.h>

#include "core/err.h"

#define IMAGE_RELEASE_MAX 128
#define IMAGE_INPUTS_MAX 256

struct image_spec {
	const char *initrd;   /* the archive to write */
	const char *moddir;   /* NULL: no modules */
	const char *release;  /* the kernel's, for the modules' vermagic */
	const char *cwd;      /* where the command runs in the guest */
	char *const *argv;    /* the command's words (after "tcprig") */
	size_t argc;
	const char *const *inputs; /* absolute host paths */
	size_t ninputs;
};

/* The release a bzImage names in its setup header ("6.1.0-57-cloud-amd64"). */
int image_release(const char *kernel, char *release, size_t cap, struct tr_err *err);
int image_build(const struct image_spec *s, struct tr_err *err);

#endif
