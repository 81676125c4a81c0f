/* kvm.h - can this machine run a guest under KVM? Probed, not assumed: a
 * /dev/kvm that opens, makes a VM and a vCPU may still never run one (a
 * nested or paravirtual host that only pretends), so the probe runs one
 * real-mode HLT instruction in a tiny VM, in a child process given
 * KVM_PROBE_MS to come back. Anything else: TCG.
 */
#ifndef TCPRIG_VM_KVM_H
#define TCPRIG_VM_KVM_H

#include <stdbool.h>

#define KVM_PROBE_MS 2000

/* true when a vCPU ran and halted; why holds the reason when not. */
bool kvm_usable(char *why, unsigned long cap);

#endif
