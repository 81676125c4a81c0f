/* The pure parts of tcprig vm: the initramfs (newc cpio) writer read back
 * by hand, the results' tar written and extracted (and refused when cut
 * short), module names, .modinfo and the load order of a module tree. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "vm/initramfs.h"
#include "vm/kmod.h"
#include "vm/tar.h"

static char dir[] = "/tmp/test_vm_archive.XXXXXX";

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	fwrite(data, 1, len, f);
	fclose(f);
}

static size_t read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static unsigned hex8(const char *p)
{
	char b[9];

	memcpy(b, p, 8);
	b[8] = '\0';
	return (unsigned)strtoul(b, NULL, 16);
}

static void test_normalize(void)
{
	char buf[64];

	ok(!initramfs_normalize("/a//b/./c/", buf, sizeof(buf)) && !strcmp(buf, "a/b/c"),
	   "normalize: /a//b/./c/ is a/b/c");
	ok(initramfs_normalize("a/../b", buf, sizeof(buf)) < 0, "normalize: refuses ..");
	ok(initramfs_normalize("/", buf, sizeof(buf)) < 0, "normalize: refuses the root alone");
	ok(initramfs_normalize("abcdef", buf, 4) < 0, "normalize: refuses what does not fit");
}

/* The archive read back entry by entry: names, modes, sizes, data. */
static void test_cpio(void)
{
	static char buf[8192];
	char path[128], src[128];
	struct initramfs ir;
	struct tr_err err = { 0 };
	size_t len, off = 0;
	const char *want[] = { "bin", "bin/x", "dev", "dev/console", "init", "etc", "etc/motd",
			       "TRAILER!!!" };
	unsigned seen = 0;
	bool aligned = true, data_ok = false, link_ok = false, dev_ok = false;

	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	snprintf(src, sizeof(src), "%s/x", dir);
	write_file(src, "hello", 5);
	ok(!initramfs_open(&ir, path, &err) && !initramfs_file(&ir, "/bin/x", src, 0755, &err) &&
		   !initramfs_file(&ir, "bin/x", src, 0755, &err) &&
		   !initramfs_chardev(&ir, "dev/console", 5, 1, 0600, &err) &&
		   !initramfs_symlink(&ir, "init", "/bin/x", &err) &&
		   !initramfs_data(&ir, "etc/motd", "hi\n", 3, 0644, &err) &&
		   !initramfs_close(&ir, &err),
	   "cpio: written (the same file twice is one entry) %s", err.msg);
	ok(!initramfs_open(&ir, path, &err) && !initramfs_data(&ir, "a", "1", 1, 0644, &err) &&
		   initramfs_data(&ir, "a", "2", 1, 0644, &err) < 0,
	   "cpio: a path twice with other content is refused");
	initramfs_abort(&ir);
	ok(!initramfs_open(&ir, path, &err) && !initramfs_data(&ir, "a", "1", 1, 0644, &err) &&
		   !initramfs_close(&ir, &err),
	   "cpio: rewritten");
	/* the first archive again, for reading */
	ok(!initramfs_open(&ir, path, &err) && !initramfs_file(&ir, "/bin/x", src, 0755, &err) &&
		   !initramfs_chardev(&ir, "dev/console", 5, 1, 0600, &err) &&
		   !initramfs_symlink(&ir, "init", "/bin/x", &err) &&
		   !initramfs_data(&ir, "etc/motd", "hi\n", 3, 0644, &err) &&
		   !initramfs_close(&ir, &err),
	   "cpio: written again");
	len = read_file(path, buf, sizeof(buf));
	while (off + 110 <= len && seen < 8) {
		unsigned mode = hex8(buf + off + 14), size = hex8(buf + off + 54),
			 namesize = hex8(buf + off + 94);
		const char *name = buf + off + 110, *data;
		size_t hdr = off;

		if (memcmp(buf + off, "070701", 6))
			break;
		ok(!strcmp(name, want[seen]), "cpio: entry %u is %s (%s)", seen, want[seen], name);
		off = (off + 110 + namesize + 3) & ~(size_t)3;
		data = buf + off;
		if (!strcmp(name, "bin/x"))
			data_ok = S_ISREG(mode) && (mode & 0777) == 0755 && size == 5 &&
				  !memcmp(data, "hello", 5);
		if (!strcmp(name, "init"))
			link_ok = S_ISLNK(mode) && size == 6 && !memcmp(data, "/bin/x", 6);
		if (!strcmp(name, "dev/console"))
			dev_ok = S_ISCHR(mode) && hex8(buf + hdr + 78) == 5 &&
				 hex8(buf + hdr + 86) == 1;
		off = (off + size + 3) & ~(size_t)3;
		aligned &= off % 4 == 0;
		seen++;
	}
	is_int(seen, 8, "cpio: every entry, parents made, the trailer last");
	ok(data_ok, "cpio: a file's mode, size and data");
	ok(link_ok, "cpio: a symbolic link's target");
	ok(dev_ok, "cpio: a character device's major and minor");
	ok(aligned, "cpio: every header and every data on a 4-byte boundary");
	is_int(off, len, "cpio: nothing after the trailer but padding");
}

static void test_tar(void)
{
	char img[128], out[128], path[256], buf[256], src[128];
	struct tar_writer w;
	struct tr_err err = { 0 };
	int fd;

	snprintf(img, sizeof(img), "%s/r.tar", dir);
	snprintf(src, sizeof(src), "%s/x", dir);
	fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	tar_writer_init(&w, fd);
	ok(!tar_add_dir(&w, "out", &err) && !tar_add_data(&w, "out/status", "1\n", 2, &err) &&
		   !tar_add_file(&w, "out/stdout", src, &err) && !tar_finish(&w, &err),
	   "tar: written %s", err.msg);
	close(fd);
	snprintf(out, sizeof(out), "%s/x1", dir);
	mkdir(out, 0700);
	ok(!tar_extract(img, out, &err), "tar: extracted %s", err.msg);
	snprintf(path, sizeof(path), "%s/out/status", out);
	ok(read_file(path, buf, sizeof(buf)) == 2 && !memcmp(buf, "1\n", 2), "tar: data back");
	snprintf(path, sizeof(path), "%s/out/stdout", out);
	ok(read_file(path, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5), "tar: a file back");
	/* cut short, as a guest that died while writing leaves it */
	ok(!truncate(img, 1024 + 256), "tar: cut");
	snprintf(out, sizeof(out), "%s/x2", dir);
	mkdir(out, 0700);
	ok(tar_extract(img, out, &err) < 0 && err.status == TR_ENV, "tar: one cut short is refused");
	/* the reader trusts no guest: a name that climbs out is refused */
	fd = open(img, O_WRONLY | O_TRUNC);
	tar_writer_init(&w, fd);
	ok(!tar_add_data(&w, "../evil", "x", 1, &err) && !tar_finish(&w, &err), "tar: ../evil written");
	close(fd);
	snprintf(out, sizeof(out), "%s/x4", dir);
	mkdir(out, 0700);
	snprintf(path, sizeof(path), "%s/evil", dir);
	ok(tar_extract(img, out, &err) < 0 && access(path, F_OK), "tar: ../evil refused on reading (%s)",
	   err.msg);
	fd = open(img, O_WRONLY | O_TRUNC);
	ok(fd >= 0 && write(fd, (char[1024]){ 0 }, 1024) == 1024, "tar: zeros");
	close(fd);
	snprintf(out, sizeof(out), "%s/x3", dir);
	mkdir(out, 0700);
	ok(tar_extract(img, out, &err) < 0 && strstr(err.msg, "no result"),
	   "tar: nothing written is 'no result' (%s)", err.msg);
}

/* A relocatable ELF64 with one .modinfo section of the strings given. */
static void write_module(const char *path, const char *const *info, size_t n)
{
	static const char shstr[] = "\0.modinfo\0.shstrtab";
	unsigned char buf[4096] = { 0 };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Shdr sh[3] = { 0 };
	size_t off = sizeof(*eh), mi_off, mi_len = 0;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_REL;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 3;
	eh->e_shstrndx = 2;
	mi_off = off;
	for (size_t i = 0; i < n; i++) {
		memcpy(buf + off, info[i], strlen(info[i]) + 1);
		off += strlen(info[i]) + 1;
		mi_len += strlen(info[i]) + 1;
	}
	sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_PROGBITS, .sh_offset = mi_off,
			      .sh_size = mi_len };
	sh[2] = (Elf64_Shdr){ .sh_name = 10, .sh_type = SHT_STRTAB, .sh_offset = off,
			      .sh_size = sizeof(shstr) };
	memcpy(buf + off, shstr, sizeof(shstr));
	off += sizeof(shstr);
	off = (off + 7) & ~(size_t)7;
	eh->e_shoff = off;
	memcpy(buf + off, sh, sizeof(sh));
	write_file(path, buf, off + sizeof(sh));
}

static void test_kmod(void)
{
	char tree[128], p[256], name[KMOD_NAME_MAX];
	struct kmod_set set;
	struct tr_err err = { 0 };
	bool compressed = false;
	const char *vm = "vermagic=6.1.0-test SMP mod_unload";

	ok(kmod_name_of("kernel/net/inet-diag.ko.xz", name, sizeof(name), &compressed) &&
		   !strcmp(name, "inet_diag") && compressed,
	   "kmod: inet-diag.ko.xz is inet_diag, compressed");
	ok(!kmod_name_of("veth.o", name, sizeof(name), NULL), "kmod: veth.o is no module");
	snprintf(tree, sizeof(tree), "%s/lib", dir);
	mkdir(tree, 0755);
	snprintf(p, sizeof(p), "%s/kernel", tree);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/kernel/veth.ko", tree);
	write_module(p, (const char *[]){ vm, "depends=" }, 2);
	snprintf(p, sizeof(p), "%s/kernel/tcp_diag.ko", tree);
	write_module(p, (const char *[]){ "license=GPL", "depends=inet_diag", vm }, 3);
	snprintf(p, sizeof(p), "%s/kernel/inet_diag.ko", tree);
	write_module(p, (const char *[]){ vm, "depends=" }, 2);
	snprintf(p, sizeof(p), "%s/kernel/old.ko", tree);
	write_module(p, (const char *[]){ "vermagic=5.10.0 SMP", "depends=" }, 2);
	snprintf(p, sizeof(p), "%s/kernel/a.ko", tree);
	write_module(p, (const char *[]){ vm, "depends=b" }, 2);
	snprintf(p, sizeof(p), "%s/kernel/b.ko", tree);
	write_module(p, (const char *[]){ vm, "depends=a" }, 2);
	snprintf(p, sizeof(p), "%s/modules.builtin", tree);
	write_file(p, "kernel/net/core/sock_diag.ko\n", 29);

	ok(!kmod_resolve(tree, "6.1.0-test", (const char *[]){ "tcp-diag", "veth", "sock_diag" },
			 3, &set, &err),
	   "kmod: resolved from .modinfo %s", err.msg);
	is_int(set.n, 3, "kmod: three modules to load");
	ok(set.n == 3 && !strcmp(set.mods[0].name, "inet_diag") &&
		   !strcmp(set.mods[1].name, "tcp_diag") && !strcmp(set.mods[2].name, "veth"),
	   "kmod: each after what it depends on (inet_diag, tcp_diag, veth)");
	is_int(set.nbuiltin, 1, "kmod: sock_diag is built in");
	ok(kmod_resolve(tree, "6.1.0-test", (const char *[]){ "old" }, 1, &set, &err) < 0 &&
		   strstr(err.msg, "built for kernel '5.10.0'"),
	   "kmod: another release's module is refused (%s)", err.msg);
	ok(kmod_resolve(tree, "6.1.0-test", (const char *[]){ "nope" }, 1, &set, &err) < 0 &&
		   strstr(err.msg, "has no nope"),
	   "kmod: a module the kernel lacks is named (%s)", err.msg);
	ok(kmod_resolve(tree, "6.1.0-test", (const char *[]){ "a" }, 1, &set, &err) < 0 &&
		   strstr(err.msg, "circle"),
	   "kmod: a circle is refused (%s)", err.msg);
	snprintf(p, sizeof(p), "%s/modules.dep", tree);
	write_file(p, "kernel/veth.ko:\nkernel/tcp_diag.ko: kernel/inet_diag.ko\n", 56);
	ok(!kmod_resolve(tree, "", (const char *[]){ "tcp_diag" }, 1, &set, &err) && set.n == 2 &&
		   !strcmp(set.mods[0].name, "inet_diag"),
	   "kmod: modules.dep when there is one %s", err.msg);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_normalize();
	test_cpio();
	test_tar();
	test_kmod();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			diag("could not remove the test directory");
	}
	return tap_done();
}
