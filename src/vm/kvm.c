/* kvm.c - one HLT in a one-page VM, in a child that may hang. */
#include "vm/kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Exit codes of the probing child, each a reason. */
enum { KVM_OK = 0, KVM_NO_DEV, KVM_NO_CPUID, KVM_NO_VM, KVM_NO_RUN, KVM_NOT_HLT };

#define KVM_CPUID_ENTRIES 128

/* Every x86-64 CPU since 2005 has SSE3, and qemu's CPU models and the
 * kernels we boot expect it; a KVM that cannot give a vCPU SSE3 and SSE2
 * is an emulation that boots nothing (seen: the guest never prints). */
static bool kvm_cpuid_sane(int kvm)
{
	static struct {
		struct kvm_cpuid2 head;
		struct kvm_cpuid_entry2 e[KVM_CPUID_ENTRIES];
	} c;

	c.head.nent = KVM_CPUID_ENTRIES;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &c))
		return false;
	for (unsigned i = 0; i < c.head.nent; i++)
		if (c.e[i].function == 1)
			return (c.e[i].ecx & 1u) && (c.e[i].edx & (1u << 26));
	return false;
}

static int kvm_probe_child(void)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };
	struct kvm_run *run;
	unsigned char *mem;
	int kvm, vm, cpu;
	long size;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0 || ioctl(kvm, KVM_GET_API_VERSION, 0) != 12)
		return KVM_NO_DEV;
	if (!kvm_cpuid_sane(kvm))
		return KVM_NO_CPUID;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return KVM_NO_VM;
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return KVM_NO_VM;
	mem[0] = 0xf4; /* hlt */
	region.guest_phys_addr = 0x1000;
	region.memory_size = 4096;
	region.userspace_addr = (unsigned long)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		return KVM_NO_VM;
	cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (cpu < 0 || size <= 0)
		return KVM_NO_VM;
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
	if (run == MAP_FAILED || ioctl(cpu, KVM_GET_SREGS, &sregs))
		return KVM_NO_VM;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(cpu, KVM_SET_SREGS, &sregs))
		return KVM_NO_VM;
	regs.rip = 0x1000;
	regs.rflags = 0x2;
	if (ioctl(cpu, KVM_SET_REGS, &regs) || ioctl(cpu, KVM_RUN, 0))
		return KVM_NO_RUN;
	return run->exit_reason == KVM_EXIT_HLT ? KVM_OK : KVM_NOT_HLT;
}

bool kvm_usable(char *why, unsigned long cap)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int status = 0;
	pid_t pid, got = 0;

	if (access("/dev/kvm", R_OK | W_OK)) {
		snprintf(why, cap, "/dev/kvm: %s", strerror(errno));
		return false;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, cap, "fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0)
		_exit(kvm_probe_child());
	for (int ms = 0; ms < KVM_PROBE_MS && !got; ms += 10) {
		got = waitpid(pid, &status, WNOHANG);
		if (!got)
			nanosleep(&pause, NULL);
	}
	if (!got) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(why, cap, "a vCPU of /dev/kvm did not halt within %d ms", KVM_PROBE_MS);
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == KVM_OK)
		return true;
	snprintf(why, cap, "/dev/kvm %s",
		 !WIFEXITED(status)			   ? "probe crashed" :
		 WEXITSTATUS(status) == KVM_NO_DEV	   ? "speaks no KVM API 12" :
		 WEXITSTATUS(status) == KVM_NO_CPUID	   ? "offers no vCPU with SSE2 and SSE3" :
		 WEXITSTATUS(status) == KVM_NO_VM	   ? "makes no VM or vCPU" :
		 WEXITSTATUS(status) == KVM_NO_RUN	   ? "could not run a vCPU" :
							     "ran a vCPU that did not halt");
	return false;
}
