/* SPDX-License-Identifier: MIT */
/*
 * cpustate: writes to CR0, CR4 and EFER that a CPU refuses with #GP must
 * be refused the same way, legal ones must take effect, the microcode
 * revision MSR (0x8b) must answer as on hardware, and WBINVD, WBNOINVD and
 * INVD must leave the guest running (counted as cache-flush exits). Every
 * refused write is tried twice on Intel-style shadowing: as is, and with
 * CR0.NE flipped (or an extra reserved CR4 bit), so that it reaches the
 * hypervisor's own checks and not only the CPU's. args: only=cr4|msr|
 * efer|cr0|cache runs one group. One "<check>: ok" / "FAILED" line each,
 * then "N of M checks passed".
 */
#include <string.h>

#include "bulkhead.h"
#include "checks.h"
#include "format.h"

#define MSR_EFER	       0xc0000080u
#define MSR_MICROCODE_REVISION 0x8bu
#define EFER_SCE	       (1ull << 0)
#define EFER_LME	       (1ull << 8)
#define EFER_SVME	       (1ull << 12)
#define CR0_PE		       (1ull << 0)
#define CR0_TS		       (1ull << 3)
#define CR0_NE		       (1ull << 5)
#define CR0_NW		       (1ull << 29)
#define CR0_CD		       (1ull << 30)
#define CR0_PG		       (1ull << 31)
#define CR4_PAE		       (1ull << 5)
#define CR4_PCIDE	       (1ull << 17)
#define CR4_RESERVED_15	       (1ull << 15)
#define STATS_CACHE_FLUSH      15 /* docs/hypercalls.md */

struct cr_write {
	unsigned number; /* 0, 4, or 8 for EFER (through WRMSR) */
	uint64_t value;
	uint64_t read_back, restore;
};

static uint64_t read_control(unsigned number)
{
	uint64_t value = 0;

	if (number == 0)
		asm volatile("mov %%cr0, %0" : "=r"(value));
	else if (number == 4)
		asm volatile("mov %%cr4, %0" : "=r"(value));
	else
		value = rdmsr(MSR_EFER);
	return value;
}

static void write_control(void *arg)
{
	const struct cr_write *write = arg;

	if (write->number == 0)
		asm volatile("mov %0, %%cr0" : : "r"(write->value) : "memory");
	else if (write->number == 4)
		asm volatile("mov %0, %%cr4" : : "r"(write->value) : "memory");
	else
		wrmsr(MSR_EFER, write->value);
}

/* Writes, reads back and restores with no other instruction between:
 * nothing that could use the FPU while CR0.TS is set. */
static void write_read_restore(void *arg)
{
	struct cr_write *write = arg;

	write_control(write);
	write->read_back = read_control(write->number);
	if (write->number == 0)
		asm volatile("mov %0, %%cr0"
			     :
			     : "r"(write->restore)
			     : "memory");
	else if (write->number == 4)
		asm volatile("mov %0, %%cr4"
			     :
			     : "r"(write->restore)
			     : "memory");
	else
		wrmsr(MSR_EFER, write->restore);
}

static const char *register_name(unsigned number)
{
	return number == 0 ? "CR0" : number == 4 ? "CR4" : "EFER";
}

/* The write must raise #GP and leave the register as it was. */
static void expect_refused(const char *what, unsigned number, uint64_t value)
{
	struct cr_write write = {number, value, 0, 0};
	uint64_t before = read_control(number);
	char name[128];

	format(name, sizeof(name), "%s 0x%lx (%s)", register_name(number),
	       value, what);
	check_exception(name, write_control, &write, VECTOR_GP);
	format(name, sizeof(name), "%s unchanged after %s",
	       register_name(number), what);
	check_hex(name, read_control(number), before);
	if (read_control(number) != before) {
		write.value = before;
		guest_catch(write_control, &write);
	}
}

/* The write must succeed and read back; then the old value returns. */
static void expect_accepted(const char *what, unsigned number, uint64_t value)
{
	struct cr_write write = {number, value, 0, read_control(number)};
	char name[128];

	format(name, sizeof(name), "%s 0x%lx (%s)", register_name(number),
	       value, what);
	check_exception(name, write_read_restore, &write, -1);
	format(name, sizeof(name), "%s reads back after %s",
	       register_name(number), what);
	check_hex(name, write.read_back, value);
	format(name, sizeof(name), "%s restored after %s",
	       register_name(number), what);
	check_hex(name, read_control(number), write.restore);
}

/* A CR4 bit and the CPUID flag that offers it; leaf 0 = always reserved. */
struct cr4_bit {
	unsigned bit;
	const char *name;
	uint32_t leaf, subleaf;
	char reg; /* 'b', 'c' or 'd' */
	unsigned flag;
	bool probe_when_present; /* harmless to set in this guest */
};

static const struct cr4_bit cr4_bits[] = {
    {0, "VME", 1, 0, 'd', 1, true},
    {2, "TSD", 1, 0, 'd', 4, true},
    {3, "DE", 1, 0, 'd', 2, true},
    {6, "MCE", 1, 0, 'd', 7, true},
    {11, "UMIP", 7, 0, 'c', 2, true},
    {12, "LA57", 7, 0, 'c', 16, false},
    {13, "VMXE", 1, 0, 'c', 5, false},
    {14, "SMXE", 1, 0, 'c', 6, false},
    {15, "reserved bit 15", 0, 0, 0, 0, false},
    {16, "FSGSBASE", 7, 0, 'b', 0, true},
    {17, "PCIDE", 1, 0, 'c', 17, true},
    {18, "OSXSAVE", 1, 0, 'c', 26, false},
    {19, "KL", 7, 0, 'c', 23, false},
    {20, "SMEP", 7, 0, 'b', 7, false},
    {21, "SMAP", 7, 0, 'b', 20, false},
    {22, "PKE", 7, 0, 'c', 3, false},
    {23, "CET", 7, 0, 'c', 7, false},
    {24, "PKS", 7, 0, 'c', 31, false},
    {25, "UINTR", 7, 0, 'd', 5, false},
    {28, "LAM_SUP", 7, 1, 'a', 26, false},
    {31, "reserved bit 31", 0, 0, 0, 0, false},
    {32, "reserved bit 32", 0, 0, 0, 0, false},
    {63, "reserved bit 63", 0, 0, 0, 0, false},
};

static bool cpuid_flag(const struct cr4_bit *b)
{
	struct cpuid_result r;
	uint32_t value;

	if (!b->leaf || cpuid(b->leaf & 0x80000000u, 0).eax < b->leaf)
		return false;
	r = cpuid(b->leaf, b->subleaf);
	value = b->reg == 'a'	? r.eax
		: b->reg == 'b' ? r.ebx
		: b->reg == 'c' ? r.ecx
				: r.edx;
	return value & (1u << b->flag);
}

static void check_cr4(void)
{
	uint64_t cr4 = read_control(4);
	char what[64];

	check_hex("CR4.VMXE reads clear", cr4 & (1ull << 13), 0);
	for (unsigned i = 0; i < sizeof(cr4_bits) / sizeof(cr4_bits[0]); i++) {
		const struct cr4_bit *b = &cr4_bits[i];
		uint64_t bit = 1ull << b->bit;

		if (cr4 & bit)
			continue;
		if (!cpuid_flag(b)) {
			format(what, sizeof(what), "%s%s", b->name,
			       b->leaf ? ", hidden by CPUID" : "");
			expect_refused(what, 4, cr4 | bit);
		} else if (b->probe_when_present) {
			format(what, sizeof(what), "%s, offered by CPUID",
			       b->name);
			expect_accepted(what, 4, cr4 | bit);
		}
	}
	expect_accepted("PGE toggled", 4, cr4 ^ (1ull << 7));
	expect_refused("PAE cleared in long mode", 4, cr4 & ~CR4_PAE);
	expect_refused("PAE cleared, reserved bit 15", 4,
		       (cr4 & ~CR4_PAE) | CR4_RESERVED_15);
	if (cpuid(1, 0).ecx & (1u << 17)) {
		/* PCIDE may not be set while CR3[11:0] is not 0. */
		uint64_t cr3 = read_cr3();

		write_cr3(cr3 | 0x8); /* PWT */
		expect_refused("PCIDE with CR3[11:0] not 0", 4,
			       cr4 | CR4_PCIDE);
		write_cr3(cr3);
	}
}

static void do_rdmsr_revision(void *arg)
{
	*(uint64_t *)arg = rdmsr(MSR_MICROCODE_REVISION);
}

static void do_wrmsr_revision(void *arg)
{
	wrmsr(MSR_MICROCODE_REVISION, *(uint64_t *)arg);
}

/* Intel: writing 0 then CPUID(1) loads the revision into bits 63:32;
 * AMD: the patch level is read-only, in bits 31:0. */
static void check_microcode_revision(void)
{
	uint64_t first = 0, second = 0, zero = 0;

	check_exception("rdmsr 0x8b (microcode revision)", do_rdmsr_revision,
			&first, -1);
	if (cpu_vendor_is_amd()) {
		check_exception("wrmsr 0x8b (AMD patch level: read-only)",
				do_wrmsr_revision, &zero, VECTOR_GP);
		check_hex("patch level high half", first >> 32, 0);
		return;
	}
	check_exception("wrmsr 0x8b, 0", do_wrmsr_revision, &zero, -1);
	cpuid(1, 0);
	check_exception("rdmsr 0x8b after CPUID(1)", do_rdmsr_revision, &second,
			-1);
	check_hex("revision is stable", second, first);
	check_hex("revision low half", first & 0xffffffffu, 0);
}

static void check_efer(void)
{
	uint64_t efer = read_control(8);

	check_hex("EFER.SVME reads clear", efer & EFER_SVME, 0);
	expect_refused("SVME: the guest sees no SVM", 8, efer | EFER_SVME);
	expect_refused("reserved bit 9", 8, efer | (1ull << 9));
	expect_refused("reserved bit 63", 8, efer | (1ull << 63));
	expect_refused("LME cleared while paging", 8, efer & ~EFER_LME);
	expect_accepted("SCE toggled", 8, efer ^ EFER_SCE);
}

static void check_cr0(void)
{
	uint64_t cr0 = read_control(0);
	static const struct {
		const char *what;
		uint64_t set, clear;
	} refused[] = {
	    {"reserved bit 32", 1ull << 32, 0},
	    {"reserved bit 63", 1ull << 63, 0},
	    {"NW without CD", CR0_NW, CR0_CD},
	    {"PG without PE", 0, CR0_PE},
	    {"PG cleared in 64-bit mode", 0, CR0_PG},
	};
	char what[64];

	expect_accepted("TS toggled", 0, cr0 ^ CR0_TS);
	expect_accepted("NE toggled", 0, cr0 ^ CR0_NE);
	expect_accepted("CD set", 0, cr0 | CR0_CD);
	expect_accepted("CD and NW set", 0, cr0 | CR0_CD | CR0_NW);
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		uint64_t value = (cr0 | refused[i].set) & ~refused[i].clear;

		expect_refused(refused[i].what, 0, value);
		format(what, sizeof(what), "%s, NE flipped", refused[i].what);
		expect_refused(what, 0, value ^ CR0_NE);
	}
}

static volatile uint64_t flush_witness;

static void check_cache_flushes(void)
{
	struct bulkhead_stats stats;
	uint64_t before, after;

	memset(&stats, 0, sizeof(stats));
	bulkhead_stats(BULKHEAD_SELF, &stats);
	before = stats.exits[STATS_CACHE_FLUSH];
	flush_witness = 0x1234;
	asm volatile("wbinvd" : : : "memory");
	check_report("wbinvd: still running", true, "", "");
	asm volatile(".byte 0xf3, 0x0f, 0x09" : : : "memory"); /* wbnoinvd */
	check_report("wbnoinvd: still running", true, "", "");
	flush_witness = 0x5678;
	asm volatile("invd" : : : "memory");
	check_report("invd: still running", true, "", "");
	check_hex("invd kept a store just before it", flush_witness, 0x5678);
	bulkhead_stats(BULKHEAD_SELF, &stats);
	after = stats.exits[STATS_CACHE_FLUSH];
	check_hex("cache-flush exits counted", after - before, 3);
}

static bool selected(const char *only, const char *group)
{
	return !only[0] || !strcmp(only, group);
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	char only[16] = "";

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get(boot->args, "only", only, sizeof(only));
	gprintf("probing CPU state on %s\n",
		cpu_vendor_is_amd() ? "AMD" : "Intel");
	/* Harmless if wrongly accepted first, a broken guest state last. */
	if (selected(only, "cr4"))
		check_cr4();
	if (selected(only, "msr"))
		check_microcode_revision();
	if (selected(only, "efer"))
		check_efer();
	if (selected(only, "cr0"))
		check_cr0();
	if (selected(only, "cache"))
		check_cache_flushes();
	return checks_finish();
}
