/* SPDX-License-Identifier: MIT */
/*
 * hostile: misuses the hypercall, I/O and MSR interfaces on vCPU 0 and
 * checks that every misuse is refused the documented way. Prints
 * "hostile: <check>: ok" or "... FAILED got X expected Y" per check, then
 * "hostile: N of M checks passed"; exits 0 when all passed, else 1.
 */
#include <string.h>

#include "bulkhead.h"
#include "checks.h"
#include "format.h"

#define MSR_IA32_TSC 0x10u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define MSR_EFER 0xc0000080u
#define EFER_SVME (1ull << 12)
#define PORT_PS2_DATA 0x60
#define PORT_DEBUG_EXIT 0xf4
#define WRAPPING_POINTER 0xfffffffffffffff0ull

static void expect_result(const char *name, int64_t got, int64_t expected)
{
	char got_text[32], expected_text[32];

	format(got_text, sizeof(got_text), "%ld", got);
	format(expected_text, sizeof(expected_text), "%ld", expected);
	check_report(name, got == expected, got_text, expected_text);
}

static void check_unknown_calls(void)
{
	expect_result("unknown call 1000", hypercall0(1000), BULKHEAD_ENOSYS);
	expect_result("unknown call 0xffffffffffffffff",
		      hypercall0(~0ull), BULKHEAD_ENOSYS);
}

static void check_console_write(uint64_t memory_size)
{
	static char too_long[BULKHEAD_CONSOLE_WRITE_MAX + 1];
	static const char valid[] = "this console write is valid\n";
	int64_t result;
	char got_text[32];

	expect_result("console write outside memory",
		      hypercall2(BULKHEAD_HC_CONSOLE_WRITE, memory_size, 1),
		      BULKHEAD_EFAULT);
	expect_result("console write straddling the end",
		      hypercall2(BULKHEAD_HC_CONSOLE_WRITE, memory_size - 5, 10),
		      BULKHEAD_EFAULT);

	result = hypercall2(BULKHEAD_HC_CONSOLE_WRITE, WRAPPING_POINTER, 0x20);
	format(got_text, sizeof(got_text), "%ld", result);
	check_report("console write wrapping the address space",
	       result == BULKHEAD_EFAULT || result == BULKHEAD_EINVAL, got_text,
	       "-14 or -22");

	memset(too_long, '.', sizeof(too_long));
	too_long[sizeof(too_long) - 1] = '\n';
	expect_result("console write one byte too long",
		      bulkhead_console_write(too_long, sizeof(too_long)),
		      BULKHEAD_EINVAL);
	expect_result("console write of length 0",
		      bulkhead_console_write(valid, 0), 0);
	expect_result("console write of a valid buffer",
		      bulkhead_console_write(valid, strlen(valid)),
		      strlen(valid));
}

static void check_partition_info(uint64_t memory_size)
{
	struct bulkhead_partition_info info;
	uint64_t straddling = memory_size - sizeof(info) / 2;

	expect_result("partition info outside memory",
		      hypercall2(BULKHEAD_HC_PARTITION_INFO, memory_size,
				 sizeof(info)),
		      BULKHEAD_EFAULT);
	expect_result("partition info with a short size",
		      hypercall2(BULKHEAD_HC_PARTITION_INFO, (uintptr_t)&info,
				 sizeof(info) - 1),
		      BULKHEAD_EINVAL);
	expect_result("partition info straddling the end",
		      hypercall2(BULKHEAD_HC_PARTITION_INFO, straddling,
				 sizeof(info)),
		      BULKHEAD_EFAULT);
}

static void check_identity(void)
{
	struct cpuid_result r = cpuid(BULKHEAD_CPUID_LEAF_BASE, 0);
	char signature[13];

	memcpy(signature, &r.ebx, 4);
	memcpy(signature + 4, &r.ecx, 4);
	memcpy(signature + 8, &r.edx, 4);
	signature[12] = '\0';
	check_report("cpuid signature", !strcmp(signature, BULKHEAD_SIGNATURE),
	       signature, "\"" BULKHEAD_SIGNATURE "\"");

	r = cpuid(BULKHEAD_CPUID_LEAF_VERSION, 0);
	check_hex("cpuid abi version", r.eax, BULKHEAD_ABI_VERSION);
	check_hex("version hypercall", bulkhead_version(),
		   BULKHEAD_ABI_VERSION);
}

struct msr_access {
	uint32_t msr;
	uint64_t value;
};

static void do_rdmsr(void *arg)
{
	struct msr_access *access = arg;

	access->value = rdmsr(access->msr);
}

static void do_wrmsr(void *arg)
{
	struct msr_access *access = arg;

	wrmsr(access->msr, access->value);
}

static void check_msrs(void)
{
	struct msr_access tsc = { .msr = MSR_IA32_TSC, .value = rdtsc() };
	struct msr_access hsave = { .msr = MSR_VM_HSAVE_PA };
	struct msr_access efer = { .msr = MSR_EFER };
	char got_text[64];
	int vector;

	check_exception("wrmsr IA32_TSC", do_wrmsr, &tsc, VECTOR_GP);
	check_exception("rdmsr VM_HSAVE_PA", do_rdmsr, &hsave, VECTOR_GP);

	vector = guest_catch(do_rdmsr, &efer);
	if (vector >= 0)
		format(got_text, sizeof(got_text), "exception %d (%s)", vector,
		       exception_name(vector));
	else
		format(got_text, sizeof(got_text), "EFER 0x%lx", efer.value);
	check_report("rdmsr EFER shows SVME clear",
		     vector < 0 && !(efer.value & EFER_SVME), got_text,
		     "SVME (bit 12) clear");
}

static void check_ports(void)
{
	check_hex("inb 0x60 reads 0xff", inb(PORT_PS2_DATA), 0xff);
	/* The emulators' own exits: QEMU's isa-debug-exit, Bochs's debugger
	 * port, its shutdown port and its BIOS panic ports. Had any reached
	 * the emulator, the run would end here and the harness would fail it
	 * for the missing summary. */
	outb(PORT_DEBUG_EXIT, 0x01);
	check_report("outb 0xf4 is dropped", true, "", "");
	outw(0x8a00, 0x8a00);
	outw(0x8a00, 0x8ae0);
	check_report("outw 0x8a00 (Bochs debugger) is dropped", true, "", "");
	for (const char *p = "Shutdown"; *p; p++)
		outb(0x8900, (uint8_t)*p);
	check_report("Shutdown to 0x8900 is dropped", true, "", "");
	outb(0x400, 0x01);
	outb(0x401, 0x01);
	check_report("outb 0x400/0x401 (BIOS panic) is dropped", true, "", "");
}

static void do_vmrun(void *arg)
{
	(void)arg;
	asm volatile("vmrun" : : "a"(0ull) : "memory");
}

static void do_set_cr4_vmxe(void *arg)
{
	uint64_t cr4;

	(void)arg;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1ull << 13;
	asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

static void do_vmxon(void *arg)
{
	static uint64_t region;

	(void)arg;
	asm volatile("vmxon %0" : : "m"(region) : "memory", "cc");
}

static void check_cr4_shadow(void)
{
	uint64_t cr4;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	check_hex("CR4.VMXE reads clear", cr4 & (1ull << 13), 0);
}

/* Nested virtualization is hidden: the instructions of either vendor give
 * #UD, and on Intel the guest can neither see nor set CR4.VMXE. */
static void check_virtualization_instructions(void)
{
	if (cpu_vendor_is_amd()) {
		check_exception("vmrun", do_vmrun, NULL, VECTOR_UD);
		return;
	}
	check_cr4_shadow();
	check_exception("mov to CR4 setting VMXE", do_set_cr4_vmxe, NULL,
			 VECTOR_GP);
	check_cr4_shadow();
	check_exception("vmxon", do_vmxon, NULL, VECTOR_UD);
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	if (vcpu != 0)
		return guest_wait_for_primary();

	check_unknown_calls();
	check_console_write(boot->memory_size);
	check_partition_info(boot->memory_size);
	check_identity();
	check_msrs();
	check_ports();
	check_virtualization_instructions();

	return checks_finish();
}
