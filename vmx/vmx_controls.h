/* SPDX-License-Identifier: MIT */
/*
 * VMX control computation from the capability MSRs, pure so it is
 * unit-tested. A capability MSR's low half lists bits that must be 1, its
 * high half the bits that may be 1.
 */
#ifndef BULKHEAD_VMX_CONTROLS_H
#define BULKHEAD_VMX_CONTROLS_H

#include <stdbool.h>
#include <stdint.h>

/* Returns the control value with every required bit, the optional bits the
 * CPU allows and the bits it forces; false (with the required bits the CPU
 * lacks in *missing) when a required bit is not allowed. */
bool vmx_control_compute(uint64_t capability, uint32_t required,
			 uint32_t optional, uint32_t *value, uint32_t *missing);

/* Fixed-bit adjustment of CR0/CR4: bits set in fixed0 must be 1, bits clear
 * in fixed1 must be 0. */
static inline uint64_t vmx_fixed_bits(uint64_t value, uint64_t fixed0,
				      uint64_t fixed1)
{
	return (value | fixed0) & fixed1;
}

/* Human-readable meaning of a VM-instruction error number. */
const char *vmx_instruction_error_text(uint32_t error);

#endif
