/* SPDX-License-Identifier: MIT */
/*
 * intruder: the attacks of the catalogue (docs/isolation.md) a partition
 * survives, each checked for the answer real hardware (or the ABI) gives:
 * the chipset's reset, SMI, PCI, PIT, PIC and ACPI ports and the
 * emulators' own ports; the MSRs of the APIC, the virtualization
 * extensions of both vendors, feature control, microcode update, MTRRs,
 * debug and performance monitoring, x2APIC and unknown indexes; every VMX
 * and SVM instruction, XSETBV, RDPMC, RDTSCP, ICEBP, a reserved PAT; page
 * tables that point above the physical-address width; hypercalls with every
 * unknown number, pointers across the end of memory and of the address space
 * and partitions out of range; and, with the PC platform (args "pc"), INIT,
 * start-up, NMI, SMI and fixed IPIs to APIC IDs the partition lacks, every
 * shorthand, and a self-IPI storm. Without the platform the partition also
 * writes the reset ports (with it they reset only itself, which linux-reboot
 * shows). One
 * "<attack>: ok" or "FAILED" line each, then "N of M checks passed";
 * exits 0 when all passed.
 */
#include <string.h>

#include "bulkhead.h"
#include "checks.h"
#include "format.h"

#define MSR_APIC_BASE	 0x1bu
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define MSR_EFER	 0xc0000080u
#define EFER_SVME	 (1ull << 12)
#define LAPIC_BASE	 0xfee00000ull
#define LAPIC_EOI	 0x0b0
#define LAPIC_SVR	 0x0f0
#define LAPIC_ICR_LOW	 0x300
#define LAPIC_ICR_HIGH	 0x310
#define SVR_ENABLE	 (1u << 8)
#define IPI_VECTOR	 0x61
#define STORM		 2000
/* Above every physical-address width the emulators give (40 and 46 bits),
 * still a canonical lower-half address for the identity map. */
#define ABOVE_PHYSICAL_WIDTH (1ull << 46)

static bool with_pc;

static void expect_result(const char *name, int64_t got, int64_t expected)
{
	char got_text[32], expected_text[32];

	format(got_text, sizeof(got_text), "%ld", got);
	format(expected_text, sizeof(expected_text), "%ld", expected);
	check_report(name, got == expected, got_text, expected_text);
}

/* ---- ports: a read of all ones, a dropped write ---- */

static void check_ports(void)
{
	/* PCI configuration mechanism 1: no device answers (PC platform:
	 * its emulated, empty bus; without: the port denied). */
	outl(0xcf8, 0x80000000u);
	check_hex("PCI config 0xcfc of 00:00.0 reads all ones", inl(0xcfc),
		  0xffffffffu);
	outl(0xcf8, 0x8000f800u);
	check_hex("PCI config 0xcfc of 00:1f.0 reads all ones", inl(0xcfc),
		  0xffffffffu);
	outb(0xb2, 0x01);
	check_hex("SMI command port 0xb2 write dropped, reads 0xff", inb(0xb2),
		  0xff);
	outb(0x21, 0x00);
	outb(0xa1, 0x00);
	check_hex("PIC masks 0x21 written, read 0xff", inb(0x21), 0xff);
	outb(0x80, 0x55);
	check_hex("POST port 0x80 reads 0xff", inb(0x80), 0xff);
	/* ACPI PM1a control of QEMU's q35 (0x604) and Bochs's PIIX4
	 * (0xb004): a sleep request for S5 would power the machine off. */
	outw(0x604, 0x3c00);
	outw(0xb004, 0x3c00);
	check_hex("ACPI PM1a control S5 (0x604, 0xb004) dropped", inw(0xb004),
		  0xffff);
	inl(0xf4);
	outl(0xf4, 0);
	check_hex("debug-exit port 0xf4 as a dword reads all ones", inl(0xf4),
		  0xffffffffu);
	outb(0xe9, 'X');
	outb(0x402, 'X');
	check_report("debug console ports 0xe9 and 0x402 dropped", true, "",
		     "");
	if (with_pc)
		return;
	/* Without the PC platform the reset ports are denied like any
	 * other; a real write would reset the whole machine. */
	outb(0xcf9, 0x06);
	check_hex("reset control 0xcf9 write dropped, reads 0xff", inb(0xcf9),
		  0xff);
	outb(0x64, 0xfe);
	check_hex("keyboard controller reset 0x64 dropped, reads 0xff",
		  inb(0x64), 0xff);
	outb(0x92, 0x01);
	check_hex("fast reset 0x92 dropped, reads 0xff", inb(0x92), 0xff);
	outb(0x43, 0x34);
	outb(0x40, 0x00);
	check_hex("PIT channel 0 reads 0xff", inb(0x40), 0xff);
	outb(0x70, 0x8f);
	check_hex("CMOS 0x71 reads 0xff", inb(0x71), 0xff);
}

/* ---- MSRs: #GP for everything not the guest's ---- */

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

static void expect_rdmsr_gp(const char *name, uint32_t msr)
{
	struct msr_access access = {.msr = msr};

	check_exception(name, do_rdmsr, &access, VECTOR_GP);
}

static void expect_wrmsr_gp(const char *name, uint32_t msr, uint64_t value)
{
	struct msr_access access = {.msr = msr, .value = value};

	check_exception(name, do_wrmsr, &access, VECTOR_GP);
}

static void check_msrs(void)
{
	uint64_t apic = LAPIC_BASE | APIC_BASE_ENABLE;

	expect_wrmsr_gp("wrmsr APIC_BASE relocated to 0xfed00000",
			MSR_APIC_BASE, 0xfed00000ull | APIC_BASE_ENABLE);
	expect_wrmsr_gp("wrmsr APIC_BASE disabled", MSR_APIC_BASE, LAPIC_BASE);
	expect_wrmsr_gp("wrmsr APIC_BASE x2APIC mode", MSR_APIC_BASE,
			apic | APIC_BASE_X2APIC);
	expect_wrmsr_gp("wrmsr EFER.SVME", MSR_EFER,
			rdmsr(MSR_EFER) | EFER_SVME);
	expect_wrmsr_gp("wrmsr EFER bit 63 (reserved)", MSR_EFER,
			rdmsr(MSR_EFER) | (1ull << 63));
	expect_rdmsr_gp("rdmsr IA32_FEATURE_CONTROL", 0x3a);
	expect_wrmsr_gp("wrmsr IA32_FEATURE_CONTROL lock|VMXON", 0x3a, 0x5);
	expect_rdmsr_gp("rdmsr IA32_VMX_BASIC", 0x480);
	expect_rdmsr_gp("rdmsr IA32_VMX_PROCBASED_CTLS2", 0x48b);
	expect_rdmsr_gp("rdmsr VM_CR", 0xc0010114u);
	expect_wrmsr_gp("wrmsr VM_CR (clear SVMDIS)", 0xc0010114u, 0);
	expect_wrmsr_gp("wrmsr VM_HSAVE_PA", 0xc0010117u, 0x100000);
	expect_wrmsr_gp("wrmsr IA32_BIOS_UPDT_TRIG (microcode update)", 0x79,
			0x100000);
	expect_wrmsr_gp("wrmsr AMD PATCH_LOADER (microcode update)",
			0xc0010020u, 0x100000);
	expect_rdmsr_gp("rdmsr MTRRcap", 0xfe);
	expect_wrmsr_gp("wrmsr MTRRdefType (all uncached)", 0x2ff, 0x800);
	expect_wrmsr_gp("wrmsr MTRRphysBase0", 0x200, 0x6);
	expect_wrmsr_gp("wrmsr MTRRfix64K_00000", 0x250, 0);
	expect_wrmsr_gp("wrmsr IA32_DEBUGCTL (LBR, BTF)", 0x1d9, 0x3);
	expect_wrmsr_gp("wrmsr IA32_PERFEVTSEL0", 0x186, 0x43003c);
	expect_rdmsr_gp("rdmsr IA32_PMC0", 0xc1);
	expect_wrmsr_gp("wrmsr IA32_PERF_GLOBAL_CTRL", 0x38f, 0xff);
	expect_wrmsr_gp("wrmsr AMD PERF_CTL0", 0xc0010000u, 0x43003c);
	expect_rdmsr_gp("rdmsr AMD PERF_CTR0", 0xc0010004u);
	expect_rdmsr_gp("rdmsr x2APIC ID (0x802)", 0x802);
	expect_wrmsr_gp("wrmsr x2APIC ICR (0x830) INIT to all", 0x830,
			0x000c4500u);
	expect_wrmsr_gp("wrmsr x2APIC EOI (0x80b)", 0x80b, 0);
	expect_wrmsr_gp("wrmsr IA32_SPEC_CTRL", 0x48, 1);
	expect_wrmsr_gp("wrmsr IA32_SMM_MONITOR_CTL", 0x9b, 1);
	expect_rdmsr_gp("rdmsr TSC_AUX", 0xc0000103u);
	expect_rdmsr_gp("rdmsr 0x40000000 (hypervisor range)", 0x40000000u);
	expect_rdmsr_gp("rdmsr 0x12345678 (unknown)", 0x12345678u);
	expect_wrmsr_gp("wrmsr 0xffffffff (unknown)", 0xffffffffu, 1);
}

/* ---- instructions ---- */

#define INSTRUCTION(name, text)                                                \
	static void name(void *arg)                                            \
	{                                                                      \
		static uint64_t region[2];                                     \
		(void)arg;                                                     \
		asm volatile(text                                              \
			     :                                                 \
			     : "a"(0ull), "c"(0ull), "d"(0ull), "D"(region),   \
			       "m"(region)                                     \
			     : "memory", "cc");                                \
	}

INSTRUCTION(do_vmxon, "vmxon %4")
INSTRUCTION(do_vmxoff, "vmxoff")
INSTRUCTION(do_vmclear, "vmclear %4")
INSTRUCTION(do_vmptrld, "vmptrld %4")
INSTRUCTION(do_vmptrst, "vmptrst %4")
INSTRUCTION(do_vmlaunch, "vmlaunch")
INSTRUCTION(do_vmresume, "vmresume")
INSTRUCTION(do_vmread, "vmread %%rax, %%rcx")
INSTRUCTION(do_vmwrite, "vmwrite %%rax, %%rcx")
INSTRUCTION(do_invept, "invept %4, %%rax")
INSTRUCTION(do_invvpid, "invvpid %4, %%rax")
INSTRUCTION(do_vmfunc, "vmfunc")
INSTRUCTION(do_vmrun, "vmrun")
INSTRUCTION(do_vmload, "vmload")
INSTRUCTION(do_vmsave, "vmsave")
INSTRUCTION(do_stgi, "stgi")
INSTRUCTION(do_clgi, "clgi")
INSTRUCTION(do_invlpga, "invlpga")
INSTRUCTION(do_skinit, "skinit")
INSTRUCTION(do_getsec, "getsec")
INSTRUCTION(do_xsetbv, "xsetbv")
INSTRUCTION(do_monitor, "monitor")
INSTRUCTION(do_icebp, ".byte 0xf1")

static void do_rdpmc(void *arg)
{
	uint32_t low, high;

	asm volatile("rdpmc" : "=a"(low), "=d"(high) : "c"(0));
	*(uint64_t *)arg = (uint64_t)high << 32 | low;
}

static void do_rdtscp(void *arg)
{
	uint32_t low, high, aux;

	asm volatile("rdtscp" : "=a"(low), "=d"(high), "=c"(aux));
	*(uint64_t *)arg = aux;
}
INSTRUCTION(do_mwait, "mwait")

static void check_instructions(void)
{
	static const struct {
		const char *name;
		void (*fn)(void *);
	} denied[] = {
	    {"vmxon", do_vmxon},       {"vmxoff", do_vmxoff},
	    {"vmclear", do_vmclear},   {"vmptrld", do_vmptrld},
	    {"vmptrst", do_vmptrst},   {"vmlaunch", do_vmlaunch},
	    {"vmresume", do_vmresume}, {"vmread", do_vmread},
	    {"vmwrite", do_vmwrite},   {"invept", do_invept},
	    {"invvpid", do_invvpid},   {"vmfunc", do_vmfunc},
	    {"vmrun", do_vmrun},       {"vmload", do_vmload},
	    {"vmsave", do_vmsave},     {"stgi", do_stgi},
	    {"clgi", do_clgi},	       {"invlpga", do_invlpga},
	    {"skinit", do_skinit},     {"getsec", do_getsec},
	    {"monitor", do_monitor},   {"mwait", do_mwait},
	};
	char name[48], got[48];
	uint64_t value = 0;
	int vector;

	for (unsigned i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		format(name, sizeof(name), "%s gives #UD", denied[i].name);
		check_exception(name, denied[i].fn, NULL, VECTOR_UD);
	}
	/* No performance counter is the guest's (CPUID shows none): RDPMC
	 * is intercepted on both vendors. RDTSCP is hidden and off (VMX) or
	 * intercepted (SVM), so the host's TSC_AUX never shows. */
	check_exception("rdpmc of counter 0 gives #GP", do_rdpmc, &value,
			VECTOR_GP);
	check_exception("rdtscp gives #UD", do_rdtscp, &value, VECTOR_UD);
	/* ICEBP raises #DB on VMX; QEMU's SVM gives #UD. */
	vector = guest_catch(do_icebp, NULL);
	format(got, sizeof(got), "vector %d", vector);
	check_report("icebp gives #DB or #UD",
		     vector == VECTOR_DB || vector == VECTOR_UD, got, "1 or 6");
	/* A reserved memory type in PAT: #GP on hardware (and Bochs);
	 * QEMU keeps it, as the guest's own copy. Either way its own. */
	uint64_t pat = rdmsr(0x277);
	struct msr_access bad = {.msr = 0x277, .value = 0x0202020202020202ull};
	vector = guest_catch(do_wrmsr, &bad);
	format(got, sizeof(got), "vector %d, PAT 0x%lx", vector, rdmsr(0x277));
	check_report("wrmsr PAT with a reserved type: #GP or its own copy",
		     vector == VECTOR_GP || rdmsr(0x277) == bad.value, got,
		     "#GP or read back");
	wrmsr(0x277, pat);
	/* CR4.OSXSAVE is clear (CPUID hides XSAVE and CR4 refuses it). */
	check_exception("xsetbv (XCR0 = 0) gives #UD", do_xsetbv, NULL,
			VECTOR_UD);
}

/* ---- guest page tables ---- */

static void do_read_above_width(void *arg)
{
	*(volatile uint8_t *)arg = *(volatile uint8_t *)ABOVE_PHYSICAL_WIDTH;
}

static void check_page_tables(void)
{
	uint8_t value;

	if (guest_map_identity_2m(ABOVE_PHYSICAL_WIDTH, false) < 0) {
		check_report("map a page above the physical-address width",
			     false, "refused by the library", "mapped");
		return;
	}
	check_exception("a page above the physical-address width gives #PF",
			do_read_above_width, &value, VECTOR_PF);
}

/* ---- hypercalls ---- */

static void check_hypercalls(uint64_t memory_size)
{
	struct bulkhead_stats stats;
	unsigned unknown = 0;
	char got[32];

	for (uint64_t n = BULKHEAD_HC_COUNT; n < 256; n++)
		unknown +=
		    hypercall4(n, n * 0x9e3779b97f4a7c15ull, ~n,
			       memory_size - n, 1ull << 63) == BULKHEAD_ENOSYS;
	format(got, sizeof(got), "%u", unknown);
	check_report("every unknown call number (9-255) with random arguments",
		     unknown == 256 - BULKHEAD_HC_COUNT, got, "247 ENOSYS");
	expect_result("stats straddling the end of memory",
		      hypercall3(BULKHEAD_HC_STATS, BULKHEAD_SELF,
				 memory_size - 8, sizeof(stats)),
		      BULKHEAD_EFAULT);
	expect_result("stats at the top of the address space",
		      hypercall3(BULKHEAD_HC_STATS, BULKHEAD_SELF, ~0ull - 7,
				 sizeof(stats)),
		      BULKHEAD_EFAULT);
	expect_result(
	    "partition info at a non-canonical address",
	    hypercall2(BULKHEAD_HC_PARTITION_INFO, 0x8000000000000000ull, 64),
	    BULKHEAD_EFAULT);
	expect_result("console write with a length of 2^64-1",
		      hypercall2(BULKHEAD_HC_CONSOLE_WRITE, 0x100000, ~0ull),
		      BULKHEAD_EINVAL);
	expect_result("state of partition 2^32 (out of range)",
		      hypercall3(BULKHEAD_HC_PARTITION_STATE, 1ull << 32,
				 (uintptr_t)&stats, sizeof(stats)),
		      BULKHEAD_ENOENT);
	expect_result("stats of partition 1000 (out of range)",
		      hypercall3(BULKHEAD_HC_STATS, 1000, (uintptr_t)&stats,
				 sizeof(stats)),
		      BULKHEAD_ENOENT);
	expect_result(
	    "restart of partition 0 without the right",
	    hypercall2(BULKHEAD_HC_PARTITION_CONTROL, 0, BULKHEAD_OP_RESTART),
	    BULKHEAD_EPERM);
	expect_result("notify of channel 2^63",
		      hypercall1(BULKHEAD_HC_CHANNEL_NOTIFY, 1ull << 63),
		      BULKHEAD_ENOENT);
}

/* ---- the PC platform's local APIC: IPIs ---- */

static void lapic_write(uint32_t reg, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = value;
}

static void ipi(uint32_t destination, uint32_t low)
{
	lapic_write(LAPIC_ICR_HIGH, destination << 24);
	lapic_write(LAPIC_ICR_LOW, low);
}

static void ipi_interrupt(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
	lapic_write(LAPIC_EOI, 0);
}

static void check_ipis(void)
{
	static const struct {
		const char *name;
		uint32_t destination, low;
	} refused[] = {
	    {"INIT IPI to APIC ID 1", 1, 0x00004500u},
	    {"start-up IPI to APIC ID 2", 2, 0x00004610u},
	    {"NMI IPI to APIC ID 3", 3, 0x00004400u},
	    {"SMI IPI to APIC ID 5", 5, 0x00004200u},
	    {"fixed IPI to APIC ID 0x7f", 0x7f, 0x00004000u | IPI_VECTOR},
	    {"INIT to all excluding self", 0, 0x000c4500u},
	    {"NMI to all excluding self", 0, 0x000c4400u},
	    {"SMI to all including self", 0, 0x00084200u},
	    {"INIT to all including self", 0, 0x00084500u},
	    {"start-up to all excluding self", 0, 0x000c4610u},
	    {"NMI to broadcast APIC ID 0xff", 0xff, 0x00004400u},
	    {"logical INIT to every cluster", 0xff, 0x00004d00u},
	};
	char name[64];

	if (guest_map_identity_2m(LAPIC_BASE, true) < 0) {
		check_report("map the local APIC", false, "refused", "mapped");
		return;
	}
	lapic_write(LAPIC_SVR, SVR_ENABLE | 0xff);
	guest_set_interrupt_handler(IPI_VECTOR, ipi_interrupt);
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		ipi(refused[i].destination, refused[i].low);
		format(name, sizeof(name), "%s: still running",
		       refused[i].name);
		check_report(name, true, "", "");
	}
	/* A storm of fixed self-IPIs with interrupts off coalesces into one;
	 * with them on each is taken. */
	uint64_t before = guest_interrupt_count(IPI_VECTOR);
	guest_interrupts_disable();
	for (unsigned i = 0; i < STORM; i++)
		ipi(0, 0x00044000u | IPI_VECTOR); /* shorthand self */
	guest_interrupts_enable();
	asm volatile("nop" ::: "memory");
	guest_interrupts_disable();
	check_hex("self-IPI storm with interrupts off: taken once",
		  guest_interrupt_count(IPI_VECTOR) - before, 1);
	before = guest_interrupt_count(IPI_VECTOR);
	guest_interrupts_enable();
	for (unsigned i = 0; i < STORM; i++)
		ipi(0, 0x00004000u | IPI_VECTOR); /* to APIC ID 0: itself */
	guest_interrupts_disable();
	check_hex("self-IPI storm by APIC ID with interrupts on: every one",
		  guest_interrupt_count(IPI_VECTOR) - before, STORM);
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	if (vcpu != 0)
		return guest_wait_for_primary();
	char word[8];

	with_pc = args_first_word(boot->args, word, sizeof(word)) &&
		  !strcmp(word, "pc");
	gprintf("intruder: %s the PC platform\n", with_pc ? "with" : "without");
	check_ports();
	check_msrs();
	check_instructions();
	check_hypercalls(boot->memory_size);
	if (with_pc)
		check_ipis();
	check_page_tables();
	return checks_finish();
}
