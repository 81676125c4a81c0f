/* qemu.h - boots a kernel with an initramfs under qemu-system-x86_64 and
 * waits, at most timeout_s seconds, for the guest to end.
 *
 * The guest has no disk and no network: its first serial port (ttyS0) is
 * its console, written to console_log; its second (ttyS1) is a raw byte
 * pipe written to results (the guest puts a tar archive there). qemu runs
 * with -no-reboot, so a guest that reboots or panics (panic=-1 on the
 * command line) ends it. A guest still running at the bound is killed
 * (SIGKILL) and reported as timed out; qemu also dies with the caller
 * (PR_SET_PDEATHSIG), so no guest outlives tcprig.
 */
#ifndef TCPRIG_VM_QEMU_H
#define TCPRIG_VM_QEMU_H

#include <stdbool.h>

#include "core/err.h"

#define QEMU_BIN "qemu-system-x86_64"
/* 1 GiB: enough that memory-scaled TCP defaults (tcp_rmem[2], hence the
 * window scale a SYN offers) reach the kernel's own cap. */
#define QEMU_MEMORY_MB 1024

struct qemu_boot {
	const char *kernel;
	const char *initrd;
	const char *append;	 /* the kernel command line */
	const char *console_log; /* ttyS0 */
	const char *results;	 /* ttyS1 */
	bool kvm;		 /* else TCG */
	unsigned timeout_s;
};

struct qemu_end {
	bool timed_out;
	int status;	/* qemu's exit status when it exited */
	double seconds; /* from exec to end */
};

/* The path of qemu-system-x86_64 on PATH into buf; -1 (TR_ENV) when absent. */
int qemu_find(char *buf, unsigned long cap, struct tr_err *err);
int qemu_run(const struct qemu_boot *b, struct qemu_end *end, struct tr_err *err);

#endif
