/* SPDX-License-Identifier: MIT */
/* Pure VMX helpers: control values and error texts; see vmx_controls.h. */
#include "vmx_controls.h"

bool vmx_control_compute(uint64_t capability, uint32_t required,
			 uint32_t optional, uint32_t *value, uint32_t *missing)
{
	uint32_t must_be_one = (uint32_t)capability;
	uint32_t may_be_one = (uint32_t)(capability >> 32);

	*missing = required & ~may_be_one;
	*value = ((required | optional) & may_be_one) | must_be_one;
	return *missing == 0;
}

const char *vmx_instruction_error_text(uint32_t error)
{
	static const char *const texts[] = {
		[1] = "VMCALL executed in VMX root operation",
		[2] = "VMCLEAR with invalid physical address",
		[3] = "VMCLEAR with VMXON pointer",
		[4] = "VMLAUNCH with non-clear VMCS",
		[5] = "VMRESUME with non-launched VMCS",
		[6] = "VMRESUME after VMXOFF",
		[7] = "VM entry with invalid control field(s)",
		[8] = "VM entry with invalid host-state field(s)",
		[9] = "VMPTRLD with invalid physical address",
		[10] = "VMPTRLD with VMXON pointer",
		[11] = "VMPTRLD with incorrect VMCS revision identifier",
		[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
		[13] = "VMWRITE to read-only VMCS component",
		[15] = "VMXON executed in VMX root operation",
		[16] = "VM entry with invalid executive-VMCS pointer",
		[17] = "VM entry with non-launched executive VMCS",
		[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
		[19] = "VMCALL with non-clear VMCS",
		[20] = "VMCALL with invalid VM-exit control fields",
		[22] = "VMCALL with incorrect MSEG revision identifier",
		[23] = "VMXOFF under dual-monitor treatment",
		[24] = "VMCALL with invalid SMM-monitor features",
		[25] = "VM entry with invalid VM-execution control fields in "
		       "executive VMCS",
		[26] = "VM entry with events blocked by MOV SS",
		[28] = "invalid operand to INVEPT/INVVPID",
	};

	if (error < sizeof(texts) / sizeof(texts[0]) && texts[error])
		return texts[error];
	return "unknown VM-instruction error";
}
