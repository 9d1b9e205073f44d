/* SPDX-License-Identifier: MIT */
/*
 * VMX exit reasons and qualifications to the generic exit description:
 * I/O (SDM table 28-5), EPT violations (table 28-7), control-register
 * accesses (table 28-3, with LMSW's source data), NMIs (interruption
 * information type 2), INVD and WBINVD as cache flushes.
 */
#include "vmx_exit.h"

#include "vmcs.h"

#define INTERRUPTION_TYPE(info) (((info) >> 8) & 7)
#define INTERRUPTION_TYPE_NMI 2

static enum exit_reason classify(const struct vmx_exit_raw *raw)
{
	if (raw->reason & VMX_EXIT_ENTRY_FAILURE)
		return EXIT_ENTRY_FAILED;
	switch (raw->reason & 0xffff) {
	case VMX_EXIT_CPUID:
		return EXIT_CPUID;
	case VMX_EXIT_VMCALL:
		return EXIT_HYPERCALL;
	case VMX_EXIT_IO:
		return EXIT_IO;
	case VMX_EXIT_RDMSR:
		return EXIT_MSR_READ;
	case VMX_EXIT_WRMSR:
		return EXIT_MSR_WRITE;
	case VMX_EXIT_EPT_VIOLATION:
		return EXIT_STAGE2_FAULT;
	case VMX_EXIT_TRIPLE_FAULT:
		return EXIT_TRIPLE_FAULT;
	case VMX_EXIT_HLT:
		return EXIT_HLT;
	case VMX_EXIT_EXTERNAL_INTERRUPT:
		return EXIT_INTERRUPT;
	case VMX_EXIT_INTERRUPT_WINDOW:
		return EXIT_INTERRUPT_WINDOW;
	case VMX_EXIT_EXCEPTION_OR_NMI:
		return INTERRUPTION_TYPE(raw->interruption_info) ==
				       INTERRUPTION_TYPE_NMI
			       ? EXIT_NMI
			       : EXIT_UNHANDLED;
	case VMX_EXIT_CONTROL_REGISTER:
		return EXIT_CONTROL_REGISTER;
	case VMX_EXIT_INVD:
	case VMX_EXIT_WBINVD:
		return EXIT_CACHE_FLUSH;
	case VMX_EXIT_INVALID_GUEST_STATE:
	case VMX_EXIT_MSR_LOADING:
	case VMX_EXIT_MACHINE_CHECK:
		return EXIT_ENTRY_FAILED;
	case VMX_EXIT_GETSEC:
	case VMX_EXIT_RDPMC:
	case VMX_EXIT_MWAIT:
	case VMX_EXIT_MONITOR:
	case VMX_EXIT_INVEPT:
	case VMX_EXIT_INVVPID:
	case VMX_EXIT_VMFUNC:
		return EXIT_DENIED_INSTRUCTION;
	default:
		if ((raw->reason & 0xffff) >= VMX_EXIT_VMCLEAR &&
		    (raw->reason & 0xffff) <= VMX_EXIT_VMXON)
			return EXIT_DENIED_INSTRUCTION;
		return EXIT_UNHANDLED;
	}
}

void vmx_exit_decode(const struct vmx_exit_raw *raw, struct vcpu_exit *exit)
{
	uint64_t q = raw->qualification;

	exit->reason = classify(raw);
	exit->vendor_code = raw->reason;
	exit->vendor_info1 = q;
	exit->vendor_info2 = raw->guest_physical;
	exit->next_rip = raw->rip + raw->instruction_length;
	exit->instruction_unknown = false;
	switch (exit->reason) {
	case EXIT_IO:
		exit->io.size = (uint8_t)((q & 7) + 1);
		exit->io.in = q & (1 << 3);
		exit->io.string = q & (1 << 4);
		exit->io.port = (uint16_t)(q >> 16);
		break;
	case EXIT_STAGE2_FAULT:
		exit->fault.address = raw->guest_physical;
		exit->fault.write = q & (1 << 1);
		exit->fault.execute = q & (1 << 2);
		break;
	case EXIT_CONTROL_REGISTER:
		exit->control_register.number = q & 0xf;
		exit->control_register.access = (q >> 4) & 3;
		exit->control_register.gpr = (q >> 8) & 0xf;
		exit->control_register.lmsw_source = (uint16_t)(q >> 16);
		break;
	case EXIT_DENIED_INSTRUCTION:
		exit->denied.general_protection =
			(raw->reason & 0xffff) == VMX_EXIT_RDPMC;
		break;
	default:
		break;
	}
}
