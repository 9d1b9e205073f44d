/* SPDX-License-Identifier: MIT */
/* What CPUID tells a guest; see cpuid_policy.c. */
#ifndef BULKHEAD_CORE_CPUID_POLICY_H
#define BULKHEAD_CORE_CPUID_POLICY_H

#include "vcpu.h"

void cpuid_emulate(struct vcpu_registers *registers);

#endif
