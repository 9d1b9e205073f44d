/* SPDX-License-Identifier: MIT */
/* What CPUID tells a guest; see cpuid_policy.c. */
#ifndef BULKHEAD_CORE_VCPU_CPUID_POLICY_H
#define BULKHEAD_CORE_VCPU_CPUID_POLICY_H

#include "vcpu.h"

/* Who asks: the virtual CPU's place in its partition, and whether the
 * partition has the PC platform (platform = "pc", every Linux partition),
 * which gets the virtual APIC's features. The exit loop reads pc_platform
 * wherever it decides by the platform: one plain load on the hot path. */
struct cpuid_view {
	uint32_t vcpu_index, vcpu_count;
	bool pc_platform;
};

void cpuid_emulate(struct vcpu_registers *registers,
		   const struct cpuid_view *view);

struct control_cpuid;
/* The CPUID words that decide which CR4 and EFER bits the guest may set,
 * as this view shows them. */
void cpuid_control_words(const struct cpuid_view *view,
			 struct control_cpuid *words);

#endif
