/* SPDX-License-Identifier: MIT */
/*
 * CPUID as a guest sees it: the host's answers, with the hypervisor bit
 * set, the hypervisor leaves 0x40000000-0x40000001 (signature and ABI
 * version), and the features a partition cannot use hidden: SVM and VMX
 * (no nested virtualization), MONITOR/MWAIT, x2APIC and XSAVE/OSXSAVE
 * (XSETBV is not offered to guests yet).
 */
#include "cpuid_policy.h"

#include <bulkhead/hypercall.h>
#include <string.h>

#include "../arch/x86_64/cpu.h"

#define LEAF1_ECX_HIDDEN ((1u << 3) | (1u << 5) | (1u << 21) | (1u << 26) | \
			  (1u << 27))
#define LEAF1_ECX_HYPERVISOR (1u << 31)
#define EXTENDED1_ECX_SVM (1u << 2)

void cpuid_emulate(struct vcpu_registers *r)
{
	uint32_t leaf = (uint32_t)r->rax, subleaf = (uint32_t)r->rcx;
	struct cpuid_result result;

	if (leaf == BULKHEAD_CPUID_LEAF_BASE) {
		result.eax = BULKHEAD_CPUID_LEAF_VERSION;
		memcpy(&result.ebx, BULKHEAD_SIGNATURE, 4);
		memcpy(&result.ecx, BULKHEAD_SIGNATURE + 4, 4);
		memcpy(&result.edx, BULKHEAD_SIGNATURE + 8, 4);
	} else if (leaf == BULKHEAD_CPUID_LEAF_VERSION) {
		result = (struct cpuid_result){ BULKHEAD_ABI_VERSION, 0, 0, 0 };
	} else if ((leaf & 0xf0000000u) == 0x40000000u) {
		result = (struct cpuid_result){ 0, 0, 0, 0 };
	} else {
		result = cpuid(leaf, subleaf);
		if (leaf == 1) {
			result.ecx &= ~LEAF1_ECX_HIDDEN;
			result.ecx |= LEAF1_ECX_HYPERVISOR;
		} else if (leaf == 0x80000001) {
			result.ecx &= ~EXTENDED1_ECX_SVM;
		} else if (leaf == 0x8000000a) {
			result = (struct cpuid_result){ 0, 0, 0, 0 };
		}
	}
	r->rax = result.eax;
	r->rbx = result.ebx;
	r->rcx = result.ecx;
	r->rdx = result.edx;
}
