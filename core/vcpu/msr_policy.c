/* SPDX-License-Identifier: MIT */
/*
 * MSR access policy. Passed through: the SYSENTER and SYSCALL MSRs, FS/GS
 * bases, KernelGSBase (all part of the guest state the CPU switches) and
 * PAT (the guest PAT under nested paging). Emulated: EFER (the guest never
 * sees or sets the virtualization enable bit; writes are checked as the
 * CPU would, core/vcpu/control_registers.c), the TSC read, the APIC base read
 * and the microcode revision (0x8b: a fixed revision; Intel's writes are
 * ignored, AMD's patch level is read-only); with the PC platform (every
 * Linux partition) also the APIC base and TSC-deadline MSRs of the virtual
 * APIC, and AMD's interrupt-pending message register (no C1E) that Linux
 * reads unguarded on AMD family 0xf, and Intel's MISC_ENABLE, which Linux
 * reads (and may write to clear XD_DISABLE) before it has an IDT: a fixed
 * value, writes ignored; and TSC_ADJUST, which reads 0 and takes only 0
 * (#GP for any other value: a partition may not move its TSC away from
 * the CPU's).
 * Everything else: #GP.
 */
#include "msr_policy.h"

#include "arch/x86_64/cpu.h"
#include "core/partition/partition.h"
#include "core/platform/apic.h"
#include "control_registers.h"

#define MSR_TSC 0x10
#define MSR_TSC_ADJUST 0x3b /* PC platform: fixed at 0 */
#define MSR_PAT 0x277
#define MSR_AMD_INTERRUPT_PENDING 0xc0010055 /* C1E status: reads 0 */
#define MSR_MISC_ENABLE 0x1a0 /* Intel: read before any IDT exists */
/* Fast strings on, branch trace and PEBS unavailable, XD not disabled. */
#define MISC_ENABLE_VALUE ((1ull << 0) | (1ull << 11) | (1ull << 12))
/* Intel IA32_BIOS_SIGN_ID (revision in bits 63:32, loaded by CPUID(1)
 * after a write of 0) and AMD PATCH_LEVEL (bits 31:0, read-only). */
#define MSR_MICROCODE_REVISION 0x8b
#define MICROCODE_REVISION 1

/* AMD's meaning of 0x8b: the backend follows the CPU vendor. */
static bool amd_patch_level(void)
{
	return backend == &svm_backend;
}

const uint32_t msr_passthrough[] = {
	0x174,      /* SYSENTER_CS */
	0x175,      /* SYSENTER_ESP */
	0x176,      /* SYSENTER_EIP */
	MSR_PAT,    /* guest PAT (G_PAT with nested paging) */
	0xc0000081, /* STAR */
	0xc0000082, /* LSTAR */
	0xc0000083, /* CSTAR */
	0xc0000084, /* SFMASK */
	0xc0000100, /* FS_BASE */
	0xc0000101, /* GS_BASE */
	0xc0000102, /* KERNEL_GS_BASE */
};
const uint32_t msr_passthrough_count =
	sizeof(msr_passthrough) / sizeof(msr_passthrough[0]);

bool msr_read(struct vcpu *vcpu, uint32_t index, uint64_t *value)
{
	switch (index) {
	case MSR_EFER:
		*value = backend->vcpu_efer(vcpu);
		return true;
	case MSR_TSC:
		*value = rdtsc();
		return true;
	case MSR_AMD_INTERRUPT_PENDING:
		*value = 0;
		return vcpu->cpuid_view.pc_platform;
	case MSR_MISC_ENABLE:
		*value = MISC_ENABLE_VALUE;
		return vcpu->cpuid_view.pc_platform;
	case MSR_TSC_ADJUST:
		*value = 0;
		return vcpu->cpuid_view.pc_platform;
	case MSR_MICROCODE_REVISION:
		*value = amd_patch_level() ? MICROCODE_REVISION
					     : (uint64_t)MICROCODE_REVISION << 32;
		return true;
	default:
		return vcpu->cpuid_view.pc_platform &&
		       virtual_apic_msr_read(vcpu, index, value);
	}
}

bool msr_write(struct vcpu *vcpu, uint32_t index, uint64_t value)
{
	struct control_state state;
	uint64_t efer;

	if (index == MSR_MISC_ENABLE)
		return vcpu->cpuid_view.pc_platform;
	if (index == MSR_TSC_ADJUST)
		return vcpu->cpuid_view.pc_platform && value == 0;
	if (index == MSR_MICROCODE_REVISION)
		return !amd_patch_level();
	if (index != MSR_EFER)
		return vcpu->cpuid_view.pc_platform &&
		       virtual_apic_msr_write(vcpu, index, value);
	backend->vcpu_control_state(vcpu, &state);
	if (!control_efer_write(&state, &vcpu->control_limits, value, &efer))
		return false;
	backend->vcpu_set_efer(vcpu, efer);
	return true;
}
