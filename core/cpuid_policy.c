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

/* The leaves 0x40000000-0x4fffffff belong to the hypervisor. */
static __attribute__((noinline)) void hypervisor_leaf(uint32_t leaf,
						    struct vcpu_registers *r)
{
	struct cpuid_result result = { 0, 0, 0, 0 };

	if (leaf == BULKHEAD_CPUID_LEAF_BASE) {
		result.eax = BULKHEAD_CPUID_LEAF_VERSION;
		memcpy(&result.ebx, BULKHEAD_SIGNATURE, 4);
		memcpy(&result.ecx, BULKHEAD_SIGNATURE + 4, 4);
		memcpy(&result.edx, BULKHEAD_SIGNATURE + 8, 4);
	} else if (leaf == BULKHEAD_CPUID_LEAF_VERSION) {
		result.eax = BULKHEAD_ABI_VERSION;
	}
	r->rax = result.eax;
	r->rbx = result.ebx;
	r->rcx = result.ecx;
	r->rdx = result.edx;
}

/* On the exit path of every CPUID: the host's answer goes straight into
 * the guest's registers (CPUID zero-extends what it writes, so 64-bit
 * outputs need no extra moves), then the few leaves the policy edits. */
void cpuid_emulate(struct vcpu_registers *r)
{
	uint32_t leaf = (uint32_t)r->rax;
	uint64_t a, b, c, d;

	if ((leaf & 0xf0000000u) == 0x40000000u) {
		hypervisor_leaf(leaf, r);
		return;
	}
	__asm__ volatile("cpuid"
			 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(leaf), "c"((uint32_t)r->rcx));
	switch (leaf) {
	case 1:
		c = (c & ~(uint64_t)LEAF1_ECX_HIDDEN) | LEAF1_ECX_HYPERVISOR;
		break;
	case 0x80000001:
		c &= ~(uint64_t)EXTENDED1_ECX_SVM;
		break;
	case 0x8000000a:
		a = b = c = d = 0;
		break;
	}
	r->rax = a;
	r->rbx = b;
	r->rcx = c;
	r->rdx = d;
}
