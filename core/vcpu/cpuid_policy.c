/* SPDX-License-Identifier: MIT */
/*
 * CPUID as a guest sees it: the host's answers, with the hypervisor bit
 * set, the hypervisor leaves 0x40000000-0x40000001 (signature and ABI
 * version), and the features a partition cannot use hidden: SVM and VMX
 * (no nested virtualization), MONITOR/MWAIT, x2APIC, XSAVE/OSXSAVE and AVX
 * (XSETBV is not offered to guests yet), machine checks (no MCE MSRs),
 * MTRRs (no MTRR MSRs; memory types come from the PAT), thermal control
 * and monitoring (ACPI, TM, TM2 and leaf 6 but turbo and ARAT: no thermal
 * or power MSRs: no APERF/MPERF, energy bias or HWP), performance
 * monitoring (leaf 0xa, PDCM, debug store: no PMU MSRs), INVPCID and
 * RDTSCP (under VMX each needs an execution control not enabled), and
 * the features whose CR4 bit a guest may not set (core/vcpu/control_registers.c:
 * SMX, CET, key locker, PKS, user interrupts, LAM). The topology is
 * the partition's: APIC ID = vCPU index, one package of vcpu_count cores.
 * A partition with the PC platform (every Linux partition) also sees its
 * virtual APIC's TSC-deadline timer, an always-running APIC timer (ARAT),
 * an invariant TSC and the TSC_ADJUST MSR (fixed at 0, see
 * msr_policy.c): the TSC a partition reads is the CPU's own, never
 * offset or scaled, and with these three Linux trusts it without a
 * clocksource watchdog, as on a physical machine of this kind.
 * (A watchdog against the tick count marks the TSC unstable whenever the
 * partition's CPU falls behind its ticks, as an emulated CPU on a busy
 * host does.)
 */
#include "cpuid_policy.h"

#include <bulkhead/hypercall.h>
#include <string.h>

#include "arch/x86_64/cpu.h"
#include "control_registers.h"

/* DTES64, MONITOR, DS-CPL, VMX, SMX, TM2, PDCM, x2APIC, XSAVE, OSXSAVE,
 * AVX */
#define LEAF1_ECX_HIDDEN ((1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | \
			  (1u << 6) | (1u << 8) | (1u << 15) | (1u << 21) | \
			  (1u << 26) | (1u << 27) | (1u << 28))
/* MCE, MTRR, MCA, debug store; thermal control and monitor (ACPI, TM) */
#define LEAF1_EDX_HIDDEN ((1u << 7) | (1u << 12) | (1u << 14) | (1u << 21) | \
			  (1u << 22) | (1u << 29))
#define LEAF1_ECX_TSC_DEADLINE (1u << 24)
#define LEAF6_EAX_ARAT (1u << 2)
/* Turbo and ARAT; not the thermal sensors, APERF/MPERF, EPB, HWP... */
#define LEAF6_EAX_OFFERED ((1u << 1) | LEAF6_EAX_ARAT)
/* AVX2 and AVX-512 (no XSAVE), INVPCID (VMX would need its control) */
#define LEAF7_EBX_HIDDEN ((1u << 5) | (1u << 10) | (1u << 16) | (1u << 30) | \
			  (1u << 31))
#define LEAF7_EBX_TSC_ADJUST (1u << 1)
/* CET shadow stacks, key locker, PKS; user interrupts, CET IBT; LAM */
#define LEAF7_ECX_HIDDEN ((1u << 7) | (1u << 23) | (1u << 31))
#define LEAF7_EDX_HIDDEN ((1u << 5) | (1u << 20))
#define LEAF7_1_EAX_HIDDEN (1u << 26)
#define EXTENDED1_EDX_RDTSCP (1u << 27) /* VMX would need its control */
#define EXTENDED7_EDX_INVARIANT_TSC (1u << 8)
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
/* Bits needed to number count cores (the x2APIC ID shift of a level). */
static uint32_t id_bits(uint32_t count)
{
	uint32_t bits = 0;

	while ((1u << bits) < count)
		bits++;
	return bits;
}

static void topology_leaf(uint32_t subleaf, const struct cpuid_view *view,
			  uint64_t *a, uint64_t *b, uint64_t *c, uint64_t *d)
{
	*d = view->vcpu_index;
	*c = subleaf & 0xff;
	if (subleaf == 0) { /* SMT level: one thread per core */
		*a = 0;
		*b = 1;
		*c |= 1u << 8;
	} else if (subleaf == 1) { /* core level: the partition */
		*a = id_bits(view->vcpu_count);
		*b = view->vcpu_count;
		*c |= 2u << 8;
	} else {
		*a = *b = 0;
	}
}

/* The basic leaves (below 32) that the switch of adjusted_leaf changes. */
#define ADJUSTED_BASIC                                                       \
	((1u << 1) | (1u << 4) | (1u << 6) | (1u << 7) | (1u << 0xa) |        \
	 (1u << 0xb))

/* Every leaf the policy changes: the basic leaves in ADJUSTED_BASIC,
 * every extended one, the hypervisor's. Out of line, so that the leaves
 * that pass through need no stack frame for it. */
static __attribute__((noinline)) void
adjusted_leaf(struct vcpu_registers *r, const struct cpuid_view *view)
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
		d &= ~(uint64_t)LEAF1_EDX_HIDDEN;
		b = (b & 0xffff) | (uint64_t)view->vcpu_index << 24 |
		    (uint64_t)(view->vcpu_count & 0xff) << 16;
		if (view->pc_platform)
			c |= LEAF1_ECX_TSC_DEADLINE;
		break;
	case 4: /* Intel: cores per package in EAX[31:26] */
		if (a & 0x1f)
			a = (a & 0x03ffffff) | (uint64_t)(view->vcpu_count - 1)
							 << 26;
		break;
	case 6:
		/* Power and thermal management: only what needs no MSR. */
		a &= LEAF6_EAX_OFFERED;
		b = c = d = 0;
		if (view->pc_platform)
			a |= LEAF6_EAX_ARAT;
		break;
	case 7:
		if ((uint32_t)r->rcx == 0) {
			b &= ~(uint64_t)LEAF7_EBX_HIDDEN;
			if (view->pc_platform)
				b |= LEAF7_EBX_TSC_ADJUST;
			c &= ~(uint64_t)LEAF7_ECX_HIDDEN;
			d &= ~(uint64_t)LEAF7_EDX_HIDDEN;
		} else if ((uint32_t)r->rcx == 1) {
			a &= ~(uint64_t)LEAF7_1_EAX_HIDDEN;
		}
		break;
	case 0xa: /* no performance counters */
		a = b = c = d = 0;
		break;
	case 0xb:
		topology_leaf((uint32_t)r->rcx, view, &a, &b, &c, &d);
		break;
	case 0x80000007:
		if (view->pc_platform)
			d |= EXTENDED7_EDX_INVARIANT_TSC;
		break;
	case 0x80000008: /* AMD: cores per package - 1 in ECX[7:0] */
		c = (c & ~0xf0ffull) | (view->vcpu_count - 1);
		break;
	case 0x80000001:
		c &= ~(uint64_t)EXTENDED1_ECX_SVM;
		d &= ~(uint64_t)EXTENDED1_EDX_RDTSCP;
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

void cpuid_emulate(struct vcpu_registers *r, const struct cpuid_view *view)
{
	uint32_t leaf = (uint32_t)r->rax;
	uint64_t a, b, c, d;

	if (leaf >= 32 || (ADJUSTED_BASIC >> leaf & 1)) {
		adjusted_leaf(r, view);
		return;
	}
	/* A basic leaf the policy leaves as the CPU has it. */
	__asm__ volatile("cpuid"
			 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(leaf), "c"((uint32_t)r->rcx));
	r->rax = a;
	r->rbx = b;
	r->rcx = c;
	r->rdx = d;
}

static struct vcpu_registers view_leaf(const struct cpuid_view *view,
				       uint32_t leaf)
{
	struct vcpu_registers r = { .rax = leaf, .rcx = 0 };

	cpuid_emulate(&r, view);
	return r;
}

void cpuid_control_words(const struct cpuid_view *view,
			 struct control_cpuid *words)
{
	uint32_t basic = (uint32_t)view_leaf(view, 0).rax;
	uint32_t extended = (uint32_t)view_leaf(view, 0x80000000).rax;
	struct vcpu_registers r = view_leaf(view, 1);

	memset(words, 0, sizeof(*words));
	words->leaf1_ecx = (uint32_t)r.rcx;
	words->leaf1_edx = (uint32_t)r.rdx;
	if (basic >= 7) {
		r = view_leaf(view, 7);
		words->leaf7_ebx = (uint32_t)r.rbx;
		words->leaf7_ecx = (uint32_t)r.rcx;
	}
	if (extended >= 0x80000001) {
		r = view_leaf(view, 0x80000001);
		words->extended1_ecx = (uint32_t)r.rcx;
		words->extended1_edx = (uint32_t)r.rdx;
	}
	if (extended >= 0x80000008)
		words->extended8_eax =
			(uint32_t)view_leaf(view, 0x80000008).rax;
}
