/* SPDX-License-Identifier: MIT */
/*
 * Tests of the pure VMX pieces: control computation from capability MSRs,
 * exit decoding into struct vcpu_exit, the guest-state checks run after a
 * failed VM entry, and the VM-instruction error texts.
 */
#include "check.h"

#include "vmx/vmcs.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_diagnose.h"
#include "vmx/vmx_exit.h"

CHECK_MAIN("test_vmx")

static uint64_t capability(uint32_t must_be_one, uint32_t may_be_one)
{
	return ((uint64_t)may_be_one << 32) | must_be_one;
}

static void test_controls(void)
{
	uint32_t value, missing;

	/* Required and allowed optional bits set, forced bits added. */
	CHECK(vmx_control_compute(capability(0x16, 0xff16), 0x100, 0x200,
				  &value, &missing));
	CHECK_EQ(value, 0x316);
	CHECK_EQ(missing, 0);
	/* An optional bit the CPU does not allow is dropped silently. */
	CHECK(vmx_control_compute(capability(0, 0x0f), 0x1, 0x10, &value,
				  &missing));
	CHECK_EQ(value, 0x1);
	/* A required bit the CPU does not allow is reported. */
	CHECK(!vmx_control_compute(capability(0, 0x0f), 0x31, 0, &value,
				   &missing));
	CHECK_EQ(missing, 0x30);
	/* Default-1 bits the true MSR allows clearing stay clear. */
	CHECK(vmx_control_compute(capability(0x0, 0xffffffff), 0x80, 0, &value,
				  &missing));
	CHECK_EQ(value, 0x80);
	CHECK_EQ(vmx_fixed_bits(0x10, 0x21, 0xffff), 0x31);
	CHECK_EQ(vmx_fixed_bits(0x1ffff, 0, 0xffff), 0xffff);
	CHECK_STR_CONTAINS(vmx_instruction_error_text(7), "invalid control");
	CHECK_STR_CONTAINS(vmx_instruction_error_text(8), "host-state");
	CHECK_STR_CONTAINS(vmx_instruction_error_text(14), "unknown");
	CHECK_STR_CONTAINS(vmx_instruction_error_text(1000), "unknown");
}

static struct vcpu_exit decode(uint32_t reason, uint64_t qualification,
			       uint32_t interruption, uint64_t gpa)
{
	struct vmx_exit_raw raw = { reason, qualification, interruption, gpa,
				    0x100000, 3 };
	struct vcpu_exit exit;

	vmx_exit_decode(&raw, &exit);
	return exit;
}

static void test_exit_decode(void)
{
	struct vcpu_exit e;

	e = decode(VMX_EXIT_CPUID, 0, 0, 0);
	CHECK_EQ(e.reason, EXIT_CPUID);
	CHECK_EQ(e.next_rip, 0x100003);
	CHECK_EQ(decode(VMX_EXIT_VMCALL, 0, 0, 0).reason, EXIT_HYPERCALL);
	CHECK_EQ(decode(VMX_EXIT_HLT, 0, 0, 0).reason, EXIT_HLT);
	CHECK_EQ(decode(VMX_EXIT_RDMSR, 0, 0, 0).reason, EXIT_MSR_READ);
	CHECK_EQ(decode(VMX_EXIT_WRMSR, 0, 0, 0).reason, EXIT_MSR_WRITE);
	CHECK_EQ(decode(VMX_EXIT_TRIPLE_FAULT, 0, 0, 0).reason,
		 EXIT_TRIPLE_FAULT);
	/* OUT DX, AL to 0x3f8: size 1, out. */
	e = decode(VMX_EXIT_IO, (0x3f8ull << 16) | (1 << 6) | 0, 0, 0);
	CHECK_EQ(e.reason, EXIT_IO);
	CHECK_EQ(e.io.port, 0x3f8);
	CHECK_EQ(e.io.size, 1);
	CHECK(!e.io.in);
	CHECK(!e.io.string);
	/* IN EAX from 0xcfc; REP INSB from 0x60. */
	e = decode(VMX_EXIT_IO, (0xcfcull << 16) | (1 << 3) | 3, 0, 0);
	CHECK_EQ(e.io.size, 4);
	CHECK(e.io.in);
	e = decode(VMX_EXIT_IO, (0x60ull << 16) | (1 << 5) | (1 << 4) | (1 << 3),
		   0, 0);
	CHECK(e.io.string);
	/* EPT violation: a write, then an instruction fetch. */
	e = decode(VMX_EXIT_EPT_VIOLATION, 0x2, 0, 0x400000);
	CHECK_EQ(e.reason, EXIT_STAGE2_FAULT);
	CHECK_EQ(e.fault.address, 0x400000);
	CHECK(e.fault.write);
	CHECK(!e.fault.execute);
	e = decode(VMX_EXIT_EPT_VIOLATION, 0x4, 0, 0xfee00000);
	CHECK(e.fault.execute);
	CHECK(!e.fault.write);
	/* NMI versus a hardware exception in exit reason 0. */
	CHECK_EQ(decode(0, 0, 0x80000202, 0).reason, EXIT_NMI);
	CHECK_EQ(decode(0, 0, 0x80000b0e, 0).reason, EXIT_UNHANDLED);
	/* MOV to CR4 from RCX; MOV from CR3 to RAX. */
	e = decode(VMX_EXIT_CONTROL_REGISTER, 4 | (0 << 4) | (1 << 8), 0, 0);
	CHECK_EQ(e.reason, EXIT_CONTROL_REGISTER);
	CHECK_EQ(e.control_register.number, 4);
	CHECK_EQ(e.control_register.access, 0);
	CHECK_EQ(e.control_register.gpr, 1);
	e = decode(VMX_EXIT_CONTROL_REGISTER, 3 | (1 << 4), 0, 0);
	CHECK_EQ(e.control_register.access, 1);
	e = decode(VMX_EXIT_CONTROL_REGISTER, 0 | (3 << 4) | (0x0011ull << 16),
		   0, 0);
	CHECK_EQ(e.control_register.access, 3); /* LMSW */
	CHECK_EQ(e.control_register.lmsw_source, 0x11);
	/* VMX instructions and MONITOR/MWAIT give the guest #UD. */
	for (uint32_t r = VMX_EXIT_VMCLEAR; r <= VMX_EXIT_VMXON; r++)
		CHECK_EQ(decode(r, 0, 0, 0).reason, EXIT_DENIED_INSTRUCTION);
	CHECK_EQ(decode(VMX_EXIT_MWAIT, 0, 0, 0).reason,
		 EXIT_DENIED_INSTRUCTION);
	CHECK_EQ(decode(VMX_EXIT_INVEPT, 0, 0, 0).reason,
		 EXIT_DENIED_INSTRUCTION);
	/* Entry failures, with or without the failure bit. */
	CHECK_EQ(decode(VMX_EXIT_ENTRY_FAILURE | VMX_EXIT_INVALID_GUEST_STATE,
			0, 0, 0)
			 .reason,
		 EXIT_ENTRY_FAILED);
	CHECK_EQ(decode(VMX_EXIT_MSR_LOADING, 0, 0, 0).reason,
		 EXIT_ENTRY_FAILED);
	/* Anything else is unhandled: the partition stops. */
	CHECK_EQ(decode(VMX_EXIT_XSETBV, 0, 0, 0).reason, EXIT_UNHANDLED);
	CHECK_EQ(decode(VMX_EXIT_INVD, 0, 0, 0).reason, EXIT_CACHE_FLUSH);
	CHECK_EQ(decode(VMX_EXIT_WBINVD, 0, 0, 0).reason, EXIT_CACHE_FLUSH);
	CHECK_EQ(decode(VMX_EXIT_EPT_MISCONFIG, 0, 0, 0).reason,
		 EXIT_UNHANDLED);
	CHECK_EQ(decode(VMX_EXIT_EPT_MISCONFIG, 7, 0, 9).vendor_info1, 7);
}

static struct vmx_guest_state good_state(void)
{
	return (struct vmx_guest_state){
		.cr0 = 0x80010033,
		.cr4 = 0x2620,
		.efer = 0xd00,
		.rflags = 0x2,
		.rip = 0x100000,
		.link_pointer = ~0ull,
		.entry_controls = ENTRY_IA32E_GUEST,
		.cs_access = 0xa09b,
		.ss_access = 0xc093,
		.tr_access = 0x8b,
		.ldtr_access = 0x10000,
		.activity = 0,
		.cr0_fixed0 = 0x80000021,
		.cr0_fixed1 = 0xffffffff,
		.cr4_fixed0 = 0x2000,
		.cr4_fixed1 = 0x3767ff,
	};
}

#define CHECK_VIOLATION(field, value, text)                                    \
	do {                                                                   \
		struct vmx_guest_state s = good_state();                       \
		s.field = value;                                               \
		const char *v = vmx_guest_state_violation(&s);                 \
		CHECK(v != NULL);                                              \
		if (v)                                                         \
			CHECK_STR_CONTAINS(v, text);                           \
	} while (0)

static void test_guest_checks(void)
{
	struct vmx_guest_state s = good_state();

	CHECK(vmx_guest_state_violation(&s) == NULL);
	CHECK_VIOLATION(cr0, 0x80010013, "CR0");          /* NE clear */
	CHECK_VIOLATION(cr4, 0x620, "CR4");               /* VMXE clear */
	CHECK_VIOLATION(cr4, 0x2600, "PAE");              /* no PAE */
	CHECK_VIOLATION(efer, 0x100, "LMA");              /* LME only */
	CHECK_VIOLATION(efer, 0xd00 | (1 << 3), "reserved");
	CHECK_VIOLATION(cs_access, 0xa093, "code segment");
	CHECK_VIOLATION(cs_access, 0xe09b, "L and D/B");
	CHECK_VIOLATION(ss_access, 0xc0f3, "DPL");
	CHECK_VIOLATION(tr_access, 0x89, "TSS");
	CHECK_VIOLATION(tr_access, 0x1008b, "TSS");
	CHECK_VIOLATION(ldtr_access, 0x89, "LDT");
	CHECK_VIOLATION(rflags, 0x0, "RFLAGS");
	CHECK_VIOLATION(rflags, 0x20002, "RFLAGS.VM");
	CHECK_VIOLATION(rip, 0x0000800000000000ull, "canonical");
	CHECK_VIOLATION(activity, 7, "activity");
	CHECK_VIOLATION(link_pointer, 0, "link pointer");
	CHECK_VIOLATION(entry_controls, 0, "IA-32e");
}

static void run_tests(void)
{
	test_controls();
	test_exit_decode();
	test_guest_checks();
}
