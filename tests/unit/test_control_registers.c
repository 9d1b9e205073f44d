/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the control-register rules (core/vcpu/control_registers.c):
 * the CR4 and EFER bits offered by CPUID, every #GP condition of CR0, CR4,
 * CR8 and EFER writes next to a legal neighbour, LMSW and CLTS, EFER.LMA
 * following CR0.PG, and when the PAE PDPTEs load.
 */
#include "core/vcpu/control_registers.h"

#include "check.h"

CHECK_MAIN("test_control_registers")

#define CR0_LONG  0x80050033ull /* PG AM WP NE ET MP PE */
#define CR4_LONG  0x6a0ull	/* OSXMMEXCPT OSFXSR PGE PAE */
#define EFER_LONG 0xd01ull	/* NXE LMA LME SCE */

static const struct control_state long_mode = {
    .cr0 = CR0_LONG,
    .cr3 = 0x3000,
    .cr4 = CR4_LONG,
    .efer = EFER_LONG,
    .code_64bit = true,
};

/* A CPU like QEMU's qemu64 plus FSGSBASE and PCID; no XSAVE, no VMX. */
static struct control_limits limits(void)
{
	struct control_cpuid cpuid = {
	    .leaf1_ecx = (1u << 17) | (1u << 5), /* PCID, VMX */
	    .leaf1_edx = 0x078bfbff,
	    .leaf7_ebx = 1u << 0,
	    .extended1_edx = (1u << 11) | (1u << 20) | (1u << 29),
	    .extended8_eax = 40,
	};
	struct control_limits l;

	control_limits_from_cpuid(&cpuid, &l);
	return l;
}

static void test_limits(void)
{
	struct control_limits l = limits();
	struct control_cpuid none = {0};

	CHECK(l.cr4_allowed & CR4_FLAG_PAE);
	CHECK(l.cr4_allowed & CR4_FLAG_PCIDE);
	CHECK(l.cr4_allowed & (1ull << 16));	 /* FSGSBASE */
	CHECK(l.cr4_allowed & (1ull << 8));	 /* PCE, always */
	CHECK(!(l.cr4_allowed & CR4_FLAG_VMXE)); /* VMX in ECX: never */
	CHECK(!(l.cr4_allowed & (1ull << 18)));	 /* no XSAVE */
	CHECK(!(l.cr4_allowed & (1ull << 14)));	 /* SMXE */
	CHECK(!(l.cr4_allowed & CR4_FLAG_CET));
	CHECK(!(l.cr4_allowed & ~0xffffffffull));
	CHECK_EQ(l.efer_allowed, 0x901);
	CHECK_EQ(l.physical_address_bits, 40);
	control_limits_from_cpuid(&none, &l);
	CHECK_EQ(l.cr4_allowed, 1ull << 8);
	CHECK_EQ(l.efer_allowed, 0);
	CHECK_EQ(l.physical_address_bits, 36);
}

static void test_cr0(void)
{
	struct control_state s = long_mode;
	uint64_t r;

	CHECK(control_cr0_write(&s, CR0_LONG | CR0_FLAG_TS, &r));
	CHECK_EQ(r, CR0_LONG | CR0_FLAG_TS);
	CHECK(control_cr0_write(&s, CR0_LONG | CR0_FLAG_CD, &r));
	CHECK(control_cr0_write(&s, CR0_LONG | CR0_FLAG_CD | CR0_FLAG_NW, &r));
	CHECK(!control_cr0_write(&s, CR0_LONG | CR0_FLAG_NW, &r));
	CHECK(!control_cr0_write(&s, CR0_LONG | 1ull << 32, &r));
	CHECK(!control_cr0_write(&s, CR0_LONG | 1ull << 63, &r));
	CHECK(!control_cr0_write(&s, CR0_LONG & ~CR0_FLAG_PE, &r));
	CHECK(!control_cr0_write(&s, CR0_LONG & ~CR0_FLAG_PG, &r));
	/* Reserved low bits are dropped, ET reads 1. */
	CHECK(control_cr0_write(&s, (CR0_LONG | 0x40) & ~CR0_FLAG_ET, &r));
	CHECK_EQ(r, CR0_LONG);
	/* Compatibility mode may leave IA-32e mode, unless PCIDE is set. */
	s.code_64bit = false;
	CHECK(control_cr0_write(&s, CR0_LONG & ~CR0_FLAG_PG, &r));
	s.cr4 |= CR4_FLAG_PCIDE;
	CHECK(!control_cr0_write(&s, CR0_LONG & ~CR0_FLAG_PG, &r));
	/* Entering IA-32e mode needs PAE. */
	s = (struct control_state){.cr0 = 0x11, .efer = EFER_FLAG_LME};
	CHECK(!control_cr0_write(&s, 0x80000011, &r));
	s.cr4 = CR4_FLAG_PAE;
	CHECK(control_cr0_write(&s, 0x80000011, &r));
	/* Real mode: PE and PG both clear, or PE alone, are fine. */
	s = (struct control_state){.cr0 = 0x10};
	CHECK(control_cr0_write(&s, 0x11, &r));
	CHECK(!control_cr0_write(&s, 0x80000010, &r));
	/* CET needs WP. */
	s = long_mode;
	s.cr4 |= CR4_FLAG_CET;
	CHECK(!control_cr0_write(&s, CR0_LONG & ~CR0_FLAG_WP, &r));
}

static void test_cr4(void)
{
	struct control_limits l = limits();
	struct control_state s = long_mode;
	uint64_t r;

	CHECK(control_cr4_write(&s, &l, CR4_LONG & ~CR4_FLAG_PGE, &r));
	CHECK_EQ(r, CR4_LONG & ~CR4_FLAG_PGE);
	CHECK(!control_cr4_write(&s, &l, CR4_LONG | CR4_FLAG_VMXE, &r));
	CHECK(!control_cr4_write(&s, &l, CR4_LONG | 1ull << 18, &r));
	CHECK(!control_cr4_write(&s, &l, CR4_LONG | 1ull << 15, &r));
	CHECK(!control_cr4_write(&s, &l, CR4_LONG | 1ull << 32, &r));
	CHECK(!control_cr4_write(&s, &l, CR4_LONG & ~CR4_FLAG_PAE, &r));
	CHECK(control_cr4_write(&s, &l, CR4_LONG | CR4_FLAG_PCIDE, &r));
	s.cr3 |= 0x8;
	CHECK(!control_cr4_write(&s, &l, CR4_LONG | CR4_FLAG_PCIDE, &r));
	/* Outside long mode PAE may be cleared but PCIDE not set. */
	s = (struct control_state){.cr0 = 0x11, .cr4 = CR4_FLAG_PAE};
	CHECK(control_cr4_write(&s, &l, 0, &r));
	CHECK(!control_cr4_write(&s, &l, CR4_FLAG_PAE | CR4_FLAG_PCIDE, &r));
	/* LA57 may not change in IA-32e mode, even where offered. */
	l.cr4_allowed |= CR4_FLAG_LA57;
	s = long_mode;
	CHECK(!control_cr4_write(&s, &l, CR4_LONG | CR4_FLAG_LA57, &r));
	s = (struct control_state){.cr0 = 0x11, .cr4 = CR4_FLAG_PAE};
	CHECK(control_cr4_write(&s, &l, CR4_FLAG_PAE | CR4_FLAG_LA57, &r));
}

static void test_efer_and_cr8(void)
{
	struct control_limits l = limits();
	struct control_state s = long_mode;
	uint64_t r;
	uint8_t tpr = 0xff;

	CHECK(control_efer_write(&s, &l, EFER_LONG & ~1ull, &r));
	CHECK_EQ(r, EFER_LONG & ~1ull);
	/* LMA is the CPU's: a write cannot change it. */
	CHECK(control_efer_write(&s, &l, EFER_LONG & ~EFER_FLAG_LMA, &r));
	CHECK_EQ(r, EFER_LONG);
	CHECK(!control_efer_write(&s, &l, EFER_LONG & ~EFER_FLAG_LME, &r));
	CHECK(!control_efer_write(&s, &l, EFER_LONG | 1ull << 12, &r));
	CHECK(!control_efer_write(&s, &l, EFER_LONG | 1ull << 9, &r));
	CHECK(!control_efer_write(&s, &l, EFER_LONG | 1ull << 63, &r));
	s = (struct control_state){.cr0 = 0x11};
	CHECK(control_efer_write(&s, &l, EFER_FLAG_LME, &r));
	CHECK_EQ(r, EFER_FLAG_LME);

	CHECK(control_cr8_write(15, &tpr));
	CHECK_EQ(tpr, 15);
	CHECK(!control_cr8_write(16, &tpr));
	CHECK(!control_cr8_write(1ull << 63, &tpr));
	CHECK_EQ(tpr, 15);
}

static void test_lmsw_clts_lma(void)
{
	CHECK_EQ(control_lmsw(0x10, 0x1), 0x11);
	CHECK_EQ(control_lmsw(0x8000003b, 0x0), 0x80000031); /* PE stays */
	CHECK_EQ(control_lmsw(0x80000031, 0xfffe), 0x8000003f);
	CHECK_EQ(control_clts(0x8000003b), 0x80000033);
	CHECK_EQ(control_efer_after_cr0(EFER_FLAG_LME, 0x80000011),
		 EFER_FLAG_LME | EFER_FLAG_LMA);
	CHECK_EQ(control_efer_after_cr0(EFER_LONG, 0x11), EFER_LONG & ~0x400);
	CHECK_EQ(control_efer_after_cr0(0, 0x80000011), 0);
}

static void test_pdptes(void)
{
	struct control_state off = {.cr0 = 0x11, .cr4 = CR4_FLAG_PAE};
	struct control_state pae = {.cr0 = 0x80000011, .cr4 = CR4_FLAG_PAE};
	struct control_state pge = pae;

	pge.cr4 |= CR4_FLAG_PGE;
	CHECK(control_write_loads_pdptes(&off, &pae));
	CHECK(control_write_loads_pdptes(&pae, &pge));
	CHECK(!control_write_loads_pdptes(&pae, &pae));
	CHECK(!control_write_loads_pdptes(&pae, &off));
	CHECK(!control_write_loads_pdptes(&long_mode, &long_mode));
	CHECK(control_pdpte_valid(0, 36));
	CHECK(control_pdpte_valid(0x12345001, 36));
	CHECK(control_pdpte_valid(0x6, 36)); /* not present */
	CHECK(!control_pdpte_valid(0x3, 36));
	CHECK(!control_pdpte_valid(0x21, 36));
	CHECK(!control_pdpte_valid(0x1000000001ull, 36));
	CHECK(control_pdpte_valid(0x1000000001ull, 40));
	CHECK(!control_pdpte_valid(1ull << 63 | 1, 52));
}

static void run_tests(void)
{
	test_limits();
	test_cr0();
	test_cr4();
	test_efer_and_cr8();
	test_lmsw_clts_lma();
	test_pdptes();
}
