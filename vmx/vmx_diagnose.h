/* SPDX-License-Identifier: MIT */
/*
 * After a VM entry fails, names the first guest-state check (Intel SDM
 * vol. 3, 27.3.1) the current VMCS violates, among those bulkhead knows.
 */
#ifndef BULKHEAD_VMX_DIAGNOSE_H
#define BULKHEAD_VMX_DIAGNOSE_H

#include <stdint.h>

/* Returns the text of the first violated check, or NULL. Pure: takes the
 * guest-state values. */
struct vmx_guest_state {
	uint64_t cr0, cr4, efer, rflags, rip, link_pointer;
	uint32_t entry_controls, cs_access, tr_access, ldtr_access, ss_access;
	uint32_t activity;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};
const char *vmx_guest_state_violation(const struct vmx_guest_state *state);

/* Reads the current VMCS and logs the result. */
void vmx_diagnose_guest_state(uint64_t cr0_fixed0, uint64_t cr0_fixed1,
			      uint64_t cr4_fixed0, uint64_t cr4_fixed1);

#endif
