/* kmod.h - which of a kernel image's own modules a guest must load, and in
 * which order.
 *
 * moddir is the image's module tree (lib/modules/<release>/, as a Debian
 * package unpacks it). A module the kernel has built in (modules.builtin) is
 * not needed; any other wanted module is found by name in the tree ('-' and
 * '_' alike), with the modules it depends on, from modules.dep when depmod
 * made one, else from each module's own .modinfo section ("depends=", an
 * uncompressed .ko; a Debian package ships no modules.dep). The set comes
 * back in load order, each module after those it depends on. A module's
 * "vermagic=" must name the release given: modules of another kernel are
 * refused before any guest boots.
 *
 * Errors: a wanted module that is neither built in nor in the tree, a
 * dependency missing, a cycle, a compressed module without modules.dep:
 * TR_ENV, naming the module and the tree.
 */
#ifndef TCPRIG_VM_KMOD_H
#define TCPRIG_VM_KMOD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define KMOD_MAX 64
#define KMOD_NAME_MAX 64

struct kmod {
	char name[KMOD_NAME_MAX]; /* "inet_diag" */
	char path[PATH_MAX];	  /* the host file */
	bool compressed;	  /* .ko.xz, .ko.zst, .ko.gz */
};

struct kmod_set {
	struct kmod mods[KMOD_MAX];
	size_t n;
	size_t nbuiltin; /* how many wanted names were built in */
};

/* release "" skips the vermagic check. */
int kmod_resolve(const char *moddir, const char *release, const char *const *names,
		 size_t nnames, struct kmod_set *set, struct tr_err *err);

/* "veth-x.ko.xz" -> "veth_x"; false when name is no module file name. */
bool kmod_name_of(const char *file, char *name, size_t cap, bool *compressed);
/* The .modinfo strings of an ELF64 module in buf: calls fn for each
 * "key=value" string; -1 when buf is no ELF64 little-endian object with a
 * sane .modinfo section. */
int kmod_modinfo(const unsigned char *buf, size_t len,
		 void (*fn)(const char *kv, size_t n, void *ctx), void *ctx);

#endif
