/* kmod.c - a kernel's modules found by name, with what they depend on. */
#include "vm/kmod.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KMOD_TREE_DEPTH 12
#define KMOD_FILES_MAX 65536
#define KMOD_FILE_BYTES_MAX (64u << 20)
#define KMOD_DEPS_MAX 16

/* Every module file of the tree: its name and its path under moddir. */
struct kmod_index {
	char (*name)[KMOD_NAME_MAX];
	char **rel;
	size_t n, cap;
};

bool kmod_name_of(const char *file, char *name, size_t cap, bool *compressed)
{
	static const char *const ext[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };
	const char *base = strrchr(file, '/');
	size_t len;

	base = base ? base + 1 : file;
	len = strlen(base);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);

		if (len <= e || strcmp(base + len - e, ext[i]) || len - e >= cap)
			continue;
		for (size_t k = 0; k < len - e; k++)
			name[k] = base[k] == '-' ? '_' : base[k];
		name[len - e] = '\0';
		if (compressed)
			*compressed = i > 0;
		return true;
	}
	return false;
}

/* "inet-diag" and "inet_diag" are one module. */
static void kmod_canon(const char *in, char *out, size_t cap)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < cap; i++)
		out[i] = in[i] == '-' ? '_' : in[i];
	out[i] = '\0';
}

static int kmod_index_add(struct kmod_index *ix, const char *name, const char *rel,
			  struct tr_err *err)
{
	if (ix->n == KMOD_FILES_MAX)
		return err_env(err, "more than %d module files", KMOD_FILES_MAX);
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? 2 * ix->cap : 1024;
		void *nm = realloc(ix->name, cap * sizeof(*ix->name));

		if (!nm)
			return err_sys(err, "module index");
		ix->name = nm;
		nm = realloc(ix->rel, cap * sizeof(*ix->rel));
		if (!nm)
			return err_sys(err, "module index");
		ix->rel = nm;
		ix->cap = cap;
	}
	snprintf(ix->name[ix->n], KMOD_NAME_MAX, "%s", name);
	ix->rel[ix->n] = strdup(rel);
	if (!ix->rel[ix->n])
		return err_sys(err, "module index");
	ix->n++;
	return 0;
}

static int kmod_walk(struct kmod_index *ix, const char *moddir, const char *rel, int depth,
		     struct tr_err *err)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (depth > KMOD_TREE_DEPTH)
		return 0;
	snprintf(dir, sizeof(dir), "%s%s%s", moddir, *rel ? "/" : "", rel);
	d = opendir(dir);
	if (!d)
		return depth ? 0 : err_sys(err, "module tree %s", moddir);
	while (!rc && (de = readdir(d))) {
		char sub[PATH_MAX], name[KMOD_NAME_MAX];

		if (de->d_name[0] == '.' ||
		    (size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", de->d_name) >=
			    sizeof(sub))
			continue;
		if (de->d_type == DT_DIR)
			rc = kmod_walk(ix, moddir, sub, depth + 1, err);
		else if ((de->d_type == DT_REG || de->d_type == DT_UNKNOWN) &&
			 kmod_name_of(de->d_name, name, sizeof(name), NULL))
			rc = kmod_index_add(ix, name, sub, err);
	}
	closedir(d);
	return rc;
}

static void kmod_index_free(struct kmod_index *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		free(ix->rel[i]);
	free(ix->rel);
	free(ix->name);
	memset(ix, 0, sizeof(*ix));
}

static const char *kmod_index_find(const struct kmod_index *ix, const char *name)
{
	for (size_t i = 0; i < ix->n; i++)
		if (!strcmp(ix->name[i], name))
			return ix->rel[i];
	return NULL;
}

/* Whether moddir/<file> lists name (one module path a line, as
 * modules.builtin and modules.dep's left sides do). */
static bool kmod_listed(const char *moddir, const char *file, const char *name, char *deps,
			size_t cap)
{
	char path[PATH_MAX], line[4096], n[KMOD_NAME_MAX];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", moddir, file);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		line[strcspn(line, "\n")] = '\0';
		if (colon)
			*colon = '\0';
		if (!kmod_name_of(line, n, sizeof(n), NULL) || strcmp(n, name))
			continue;
		found = true;
		if (deps)
			snprintf(deps, cap, "%s", colon ? colon + 1 : "");
	}
	fclose(f);
	return found;
}

int kmod_modinfo(const unsigned char *buf, size_t len,
		 void (*fn)(const char *kv, size_t n, void *ctx), void *ctx)
{
	Elf64_Ehdr eh;
	Elf64_Shdr names, sh;

	if (len < sizeof(eh))
		return -1;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    eh.e_shstrndx >= eh.e_shnum || eh.e_shoff > len ||
	    (len - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum)
		return -1;
	memcpy(&names, buf + eh.e_shoff + eh.e_shstrndx * sizeof(sh), sizeof(names));
	if (names.sh_offset > len || names.sh_size > len - names.sh_offset)
		return -1;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		const char *s;

		memcpy(&sh, buf + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_name >= names.sh_size ||
		    strnlen((const char *)buf + names.sh_offset + sh.sh_name,
			    names.sh_size - sh.sh_name) == names.sh_size - sh.sh_name)
			continue;
		if (strcmp((const char *)buf + names.sh_offset + sh.sh_name, ".modinfo"))
			continue;
		if (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset)
			return -1;
		s = (const char *)buf + sh.sh_offset;
		for (size_t off = 0; off < sh.sh_size;) {
			size_t n = strnlen(s + off, sh.sh_size - off);

			if (n)
				fn(s + off, n, ctx);
			off += n + 1;
		}
		return 0;
	}
	return -1;
}

struct kmod_info {
	char depends[1024];
	char vermagic[256];
};

static void kmod_info_take(const char *kv, size_t n, void *ctx)
{
	struct kmod_info *in = ctx;

	if (n > 8 && !strncmp(kv, "depends=", 8))
		snprintf(in->depends, sizeof(in->depends), "%.*s", (int)(n - 8), kv + 8);
	else if (n > 9 && !strncmp(kv, "vermagic=", 9))
		snprintf(in->vermagic, sizeof(in->vermagic), "%.*s", (int)(n - 9), kv + 9);
}

static int kmod_read_info(const char *path, struct kmod_info *in, struct tr_err *err)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	memset(in, 0, sizeof(*in));
	if (fd < 0)
		return err_sys(err, "%s", path);
	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > KMOD_FILE_BYTES_MAX) {
		close(fd);
		return err_env(err, "%s: not a module of a sane size", path);
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		close(fd);
		return err_sys(err, "%s", path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	rc = got == (size_t)st.st_size ? kmod_modinfo(buf, got, kmod_info_take, in) : -1;
	free(buf);
	return rc ? err_env(err, "%s: no module (no ELF64 .modinfo section)", path) : 0;
}

struct kmod_walker {
	const char *moddir, *release;
	struct kmod_index ix;
	bool have_dep; /* modules.dep exists */
	struct kmod_set *set;
	char stack[KMOD_MAX][KMOD_NAME_MAX];
	size_t depth;
};

/* "a,b" (modinfo) or "kernel/x/a.ko kernel/y/b.ko" (modules.dep) -> names. */
static size_t kmod_split(char *list, char names[KMOD_DEPS_MAX][KMOD_NAME_MAX])
{
	size_t n = 0;

	for (char *tok = strtok(list, ", \t"); tok && n < KMOD_DEPS_MAX;
	     tok = strtok(NULL, ", \t")) {
		if (!kmod_name_of(tok, names[n], KMOD_NAME_MAX, NULL))
			kmod_canon(tok, names[n], KMOD_NAME_MAX);
		n++;
	}
	return n;
}

/* Adds name after everything it depends on (post-order). */
static int kmod_add(struct kmod_walker *w, const char *name, const char *wanted_by,
		    struct tr_err *err)
{
	char deps[KMOD_DEPS_MAX][KMOD_NAME_MAX], list[4096] = "";
	struct kmod_info info;
	struct kmod mod, *m = &mod;
	const char *rel;
	size_t ndeps;

	for (size_t i = 0; i < w->set->n; i++)
		if (!strcmp(w->set->mods[i].name, name))
			return 0;
	for (size_t i = 0; i < w->depth; i++)
		if (!strcmp(w->stack[i], name))
			return err_env(err, "%s: modules depend on each other in a circle through %s",
				       w->moddir, name);
	if (kmod_listed(w->moddir, "modules.builtin", name, NULL, 0))
		return 0;
	rel = kmod_index_find(&w->ix, name);
	if (!rel)
		return wanted_by ? err_env(err, "%s: module %s, which %s needs, is not in the tree",
					   w->moddir, name, wanted_by) :
				   err_env(err,
					   "%s: the kernel has no %s: neither built in "
					   "(modules.builtin) nor a module in the tree",
					   w->moddir, name);
	if (w->set->n == KMOD_MAX || w->depth == KMOD_MAX)
		return err_env(err, "%s: more than %d modules needed", w->moddir, KMOD_MAX);
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->path, sizeof(m->path), "%s/%s", w->moddir, rel);
	kmod_name_of(rel, m->name, sizeof(m->name), &m->compressed);
	if (w->have_dep) {
		kmod_listed(w->moddir, "modules.dep", name, list, sizeof(list));
	} else if (m->compressed) {
		return err_env(err,
			       "%s is compressed and %s has no modules.dep: run "
			       "'depmod -b ROOT %s' on the unpacked tree",
			       m->path, w->moddir, *w->release ? w->release : "RELEASE");
	} else {
		if (kmod_read_info(m->path, &info, err))
			return -1;
		if (*w->release && strncmp(info.vermagic, w->release, strlen(w->release)))
			return err_env(err, "%s is built for kernel '%.*s', not for %s", m->path,
				       (int)strcspn(info.vermagic, " "), info.vermagic,
				       w->release);
		snprintf(list, sizeof(list), "%s", info.depends);
	}
	snprintf(w->stack[w->depth++], KMOD_NAME_MAX, "%s", name);
	ndeps = kmod_split(list, deps);
	for (size_t i = 0; i < ndeps; i++)
		if (kmod_add(w, deps[i], name, err))
			return -1;
	w->depth--;
	/* After the modules it depends on, which took their slots meanwhile. */
	if (w->set->n == KMOD_MAX)
		return err_env(err, "%s: more than %d modules needed", w->moddir, KMOD_MAX);
	w->set->mods[w->set->n++] = *m;
	return 0;
}

int kmod_resolve(const char *moddir, const char *release, const char *const *names,
		 size_t nnames, struct kmod_set *set, struct tr_err *err)
{
	struct kmod_walker w = { .moddir = moddir, .release = release ? release : "", .set = set };
	char path[PATH_MAX];
	struct stat st;
	int rc = 0;

	memset(set, 0, sizeof(*set));
	if (stat(moddir, &st) || !S_ISDIR(st.st_mode))
		return err_env(err, "%s: no module tree (a directory lib/modules/<release>)",
			       moddir);
	snprintf(path, sizeof(path), "%s/modules.dep", moddir);
	w.have_dep = !access(path, R_OK);
	if (kmod_walk(&w.ix, moddir, "", 0, err))
		rc = -1;
	for (size_t i = 0; !rc && i < nnames; i++) {
		char name[KMOD_NAME_MAX];

		kmod_canon(names[i], name, sizeof(name));
		if (kmod_listed(moddir, "modules.builtin", name, NULL, 0))
			set->nbuiltin++;
		else
			rc = kmod_add(&w, name, NULL, err);
	}
	kmod_index_free(&w.ix);
	return rc;
}
