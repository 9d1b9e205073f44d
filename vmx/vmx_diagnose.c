/* SPDX-License-Identifier: MIT */
/* Reads the guest state of the current VMCS for vmx_guest_checks.c. */
#include "vmx_diagnose.h"

#include "core/console/console.h"
#include "vmcs.h"

void vmx_diagnose_guest_state(uint64_t cr0_fixed0, uint64_t cr0_fixed1,
			      uint64_t cr4_fixed0, uint64_t cr4_fixed1)
{
	struct vmx_guest_state state = {
		.cr0 = vmcs_read(VMCS_GUEST_CR0),
		.cr4 = vmcs_read(VMCS_GUEST_CR4),
		.efer = vmcs_read(VMCS_GUEST_EFER),
		.rflags = vmcs_read(VMCS_GUEST_RFLAGS),
		.rip = vmcs_read(VMCS_GUEST_RIP),
		.link_pointer = vmcs_read(VMCS_LINK_POINTER),
		.entry_controls = (uint32_t)vmcs_read(VMCS_ENTRY_CONTROLS),
		.cs_access = (uint32_t)vmcs_read(VMCS_GUEST_ES_ACCESS + 2),
		.ss_access = (uint32_t)vmcs_read(VMCS_GUEST_ES_ACCESS + 4),
		.ldtr_access = (uint32_t)vmcs_read(VMCS_GUEST_ES_ACCESS + 12),
		.tr_access = (uint32_t)vmcs_read(VMCS_GUEST_ES_ACCESS + 14),
		.activity = (uint32_t)vmcs_read(VMCS_GUEST_ACTIVITY),
		.cr0_fixed0 = cr0_fixed0,
		.cr0_fixed1 = cr0_fixed1,
		.cr4_fixed0 = cr4_fixed0,
		.cr4_fixed1 = cr4_fixed1,
	};
	const char *violation = vmx_guest_state_violation(&state);

	log_line("  failing guest-state check: %s",
		 violation ? violation
			   : "none of the checks bulkhead knows (see the SDM, "
			     "vol. 3, 27.3.1)");
}
