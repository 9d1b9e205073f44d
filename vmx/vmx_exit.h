/* SPDX-License-Identifier: MIT */
/*
 * Decoding of VMX exits into the generic struct vcpu_exit. Pure: it takes
 * the raw VMCS values, so it is unit-tested on the host.
 */
#ifndef BULKHEAD_VMX_EXIT_H
#define BULKHEAD_VMX_EXIT_H

#include <stdint.h>

#include "core/vcpu/vcpu.h"

struct vmx_exit_raw {
	uint32_t reason;
	uint64_t qualification;
	uint32_t interruption_info;
	uint64_t guest_physical;
	uint64_t rip;
	uint32_t instruction_length;
};

void vmx_exit_decode(const struct vmx_exit_raw *raw, struct vcpu_exit *exit);

#endif
