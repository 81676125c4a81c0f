/* guest.h - what the initramfs that `tcprig vm` builds holds, and its init.
 *
 * The layout both sides agree on (GUEST_* paths, inside the guest):
 *   /init               a link to /bin/tcprig, run by the kernel as pid 1
 *   /bin/tcprig         the host's tcprig, its shared libraries where ldd
 *                       found them; /bin/sh and /bin/sysctl for shell lines
 *   /tcprig-vm/argv     the command's words, each ended by a NUL
 *   /tcprig-vm/env      the caller's TCPRIG_* variables, each ended by a NUL
 *   /tcprig-vm/cwd      the host's working directory, where the command runs
 *   /tcprig-vm/modules  module files to load, one a line, in load order
 *   the inputs (case files, directories) at their host paths
 *
 * guest_init, as pid 1: mounts proc, sysfs, devtmpfs and a tmpfs on /run
 * (the rootfs itself is writable, /tmp too), loads the modules, runs /bin/tcprig with argv in cwd (stdout and
 * stderr to files), then writes to the second serial port (/dev/ttyS1) a
 * tar archive:
 *   out/status   the command's exit status ("1\n"), or 128+signal
 *   out/stdout, out/stderr, out/release (uname -r), out/modules (the load log)
 *   files/...    every file under cwd the command made or changed (the
 *                initramfs's own files have mtime 0; a new one has not)
 * and reboots, which ends qemu (-no-reboot). It never returns.
 */
#ifndef TCPRIG_VM_GUEST_H
#define TCPRIG_VM_GUEST_H

#define GUEST_DIR "tcprig-vm"
#define GUEST_ARGV GUEST_DIR "/argv"
#define GUEST_ENV GUEST_DIR "/env"
#define GUEST_CWD GUEST_DIR "/cwd"
#define GUEST_MODULES GUEST_DIR "/modules"
#define GUEST_BIN "bin/tcprig"
#define GUEST_RESULTS_TTY "/dev/ttyS1"
#define GUEST_ARGS_MAX 256
#define GUEST_TREE_DEPTH 8



void guest_init(void) __attribute__((noreturn));

#endif
