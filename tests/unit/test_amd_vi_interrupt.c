/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the AMD-Vi interrupt remapping formats
 * (drivers/iommu/amd_vi_interrupt.c): the 32-bit entry's RemapEn, vector
 * and destination with every other field clear; the device table entry's
 * interrupt quad (IV, IntTabLen, IntTableRootPtr, IntCtl and the pass
 * bits); the MSI that selects an entry; the IVRS test for remapping.
 */
#include <string.h>

#include "check.h"
#include "drivers/iommu/amd_vi_interrupt.h"

CHECK_MAIN("test_amd_vi_interrupt")

static void test_entry(void)
{
	uint32_t e = amd_vi_irte_fixed(3, 0x41);

	CHECK_EQ(e & AMD_VI_IRTE_REMAP_EN, 1);
	CHECK_EQ(e >> 16 & 0xff, 0x41); /* Vector 23:16 */
	CHECK_EQ(e >> 8 & 0xff, 3);	/* Destination 15:8 */
	/* SupIOPF 1, IntType 4:2 (fixed), RqEoi 5, DM 6, GuestMode 7. */
	CHECK_EQ(e & 0xfe, 0);
	CHECK_EQ(e >> 24, 0);
	CHECK_EQ(amd_vi_irte_fixed(0xff, 0xfe), 0x00feff01u);
	CHECK_EQ(amd_vi_irte_fixed(0, 0x20), 0x00200001u);
}

static void test_device_table_entry(void)
{
	uint64_t table = 0x12345680ull; /* 128-byte aligned */
	uint64_t q = amd_vi_dte_interrupts_remapped(table);

	CHECK_EQ(q & 1, 1);				 /* IV (bit 128) */
	CHECK_EQ(q >> 1 & 0xf, 8);			 /* IntTabLen 132:129 */
	CHECK_EQ(q & 0x000fffffffffffc0ull, table); /* root 179:134 */
	CHECK_EQ(q >> 60 & 3, 2);			 /* IntCtl 189:188 */
	CHECK_EQ(q >> 56 & 7, 0); /* InitPass, EIntPass, NMIPass */
	CHECK_EQ(q >> 62 & 3, 0); /* Lint0Pass, Lint1Pass */
	CHECK_EQ(q & 0x20, 0);	  /* IG */
	CHECK_EQ(q, 0x2000000012345691ull);
	CHECK_EQ(amd_vi_dte_interrupt_table(q), table);
	q = amd_vi_dte_interrupts_blocked(table);
	CHECK_EQ(q >> 60 & 3, 0); /* IntCtl 00b: target abort */
	CHECK_EQ(amd_vi_dte_interrupt_table(q), table);
	CHECK_EQ(q, 0x0000000012345691ull);
	/* No table yet: IV alone, as the boot-time blocking entry. */
	CHECK_EQ(amd_vi_dte_interrupts_blocked(0), 1);
	CHECK_EQ(amd_vi_dte_interrupt_table(1), 0);
	/* The highest address the field holds, 51:6. */
	CHECK_EQ(amd_vi_dte_interrupt_table(
			 amd_vi_dte_interrupts_remapped(0x000fffffffffff80ull)),
		 0x000fffffffffff80ull);
}

static void test_message(void)
{
	CHECK_EQ(amd_vi_msi_address(), 0xfee00000u);
	CHECK_EQ(amd_vi_msi_data(0), 0);
	CHECK_EQ(amd_vi_msi_data(0x41), 0x41);
	CHECK_EQ(amd_vi_msi_data(255), 255);
	/* Bits 10:8 (the delivery mode) stay fixed. */
	CHECK_EQ(amd_vi_msi_data(255) & 0x700, 0);
}

static void test_ivrs_unit(void)
{
	static struct ivrs_unit unit;

	memset(&unit, 0, sizeof(unit));
	CHECK(!amd_vi_unit_remaps_interrupts(&unit));
	unit.special_count = 1;
	unit.specials[0].variety = IVRS_SPECIAL_HPET;
	CHECK(!amd_vi_unit_remaps_interrupts(&unit));
	unit.special_count = 2;
	unit.specials[1].variety = IVRS_SPECIAL_IOAPIC;
	unit.specials[1].device_id = 0xa0;
	CHECK(amd_vi_unit_remaps_interrupts(&unit));
}

static void test_ioapic_entry(void)
{
	/* Vector field = the entry index, fixed, physical, destination 0,
	 * active low, level, masked. */
	CHECK_EQ(amd_vi_ioapic_entry(0xe0), 0x1a0e0ull);
	CHECK_EQ(amd_vi_ioapic_entry(0xe7) >> 8 & 7, 0);
	CHECK_EQ(amd_vi_ioapic_entry(0xe7) >> 56, 0);
}

static void run_tests(void)
{
	test_ioapic_entry();
	test_entry();
	test_device_table_entry();
	test_message();
	test_ivrs_unit();
}
