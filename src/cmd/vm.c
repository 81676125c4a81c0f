/* tcprig vm: a command (run, list, matrix, probe) inside another kernel,
 * booted under qemu with an initramfs of this tcprig. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "vm/guest.h"
#include "vm/session.h"

#define VM_TIMEOUT_MAX 3600

static void vm_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s vm --kernel IMAGE [options] -- run|list|matrix|probe ARGS...\n"
		"Boots IMAGE (a bzImage) under qemu-system-x86_64 with a generated\n"
		"initramfs (this tcprig, its shared libraries, /bin/sh, sysctl, the files\n"
		"and directories ARGS name, the kernel's veth/tcp_diag/netem modules),\n"
		"runs 'tcprig ARGS...' inside in this directory, prints its output and\n"
		"exits with its status; files it wrote here (--json, --pcap) come back.\n"
		"KVM when /dev/kvm can really run a guest (probed), else TCG.\n\n"
		"  --kernel IMAGE   the kernel (scripts/kernels DIR fetches Debian's)\n"
		"  --modules DIR    its module tree (default: IMAGE's DIR/../lib/modules/\n"
		"                   <release>, as scripts/kernels unpacks it)\n"
		"  --timeout S      kill a guest still running after S seconds (1..%d,\n"
		"                   default %d)\n"
		"  --append TEXT    more kernel command line\n"
		"  --keep           keep the work directory (initramfs, console log)\n"
		"The guest's console log is kept (its path printed) when the guest hangs\n"
		"or brings back no result.\n"
		"Exit: the command's status; 2 bad input (nothing booted); 3 no qemu, a\n"
		"guest that hung (killed at the bound) or came back without a result.\n",
		prog_name, VM_TIMEOUT_MAX, VM_TIMEOUT_DEFAULT);
}

static void vm_print(const struct vm_result *r, const char *name, FILE *to)
{
	char *s = vm_result_read(r, name);

	if (s) {
		fputs(s, to);
		free(s);
	}
}

int vm_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "modules", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "append", required_argument, NULL, 'a' },
		{ "keep", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct vm_opts o = { .timeout_s = VM_TIMEOUT_DEFAULT };
	struct vm_result r = { 0 };
	struct tr_err err = { 0 };
	bool keep = false;
	char cwd[4096];
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o.kernel = optarg;
			break;
		case 'm':
			o.moddir = optarg;
			break;
		case 't': {
			uint64_t v;

			if (parse_u64("--timeout", optarg, 1, VM_TIMEOUT_MAX, &v, &err)) {
				fprintf(stderr, "%s vm: %s\n", prog_name, err.msg);
				return TR_USAGE;
			}
			o.timeout_s = (unsigned)v;
			break;
		}
		case 'a':
			o.append = optarg;
			break;
		case 'K':
			keep = true;
			break;
		case 'h':
			vm_usage(stdout);
			return TR_OK;
		default:
			fprintf(stderr, "%s vm: unknown option '%s' (see '%s vm --help')\n",
				prog_name, argv[optind - 1], prog_name);
			return TR_USAGE;
		}
	}
	o.argv = argv + optind;
	o.argc = (size_t)(argc - optind);
	if (vm_check(&o, &err)) {
		fprintf(stderr, "%s vm: %s\n", prog_name, err.msg);
		return err.status;
	}
	if (vm_session(&o, &r, &err)) {
		fprintf(stderr, "%s vm: %s\n", prog_name, err.msg);
		vm_result_remove(&r);
		return err.status;
	}
	if (r.kvm)
		fprintf(stderr, "%s vm: %s under KVM, %.1f s\n", prog_name, r.release, r.seconds);
	else
		fprintf(stderr, "%s vm: %s under TCG (%s), %.1f s\n", prog_name, r.release,
			r.accel_why, r.seconds);
	if (r.no_modules)
		fprintf(stderr,
			"%s vm: no module tree for %s beside %s: the guest loaded no modules "
			"(--modules DIR names one)\n",
			prog_name, r.release, o.kernel);
	if (!r.ok) {
		fprintf(stderr, "%s vm: %s; console log kept: %s/console.log\n", prog_name, r.why,
			r.dir);
		return TR_ENV;
	}
	vm_print(&r, "stdout", stdout);
	fflush(stdout);
	vm_print(&r, "stderr", stderr);
	status = r.status;
	if (getcwd(cwd, sizeof(cwd)) && vm_result_files(&r, cwd, &err)) {
		fprintf(stderr, "%s vm: bringing files back: %s\n", prog_name, err.msg);
		status = status ? status : TR_ENV;
	}
	if (keep)
		fprintf(stderr, "%s vm: work directory kept: %s\n", prog_name, r.dir);
	else
		vm_result_remove(&r);
	return status;
}

int vm_guest_main(const char *argv0)
{
	(void)argv0;
	guest_init();
}
