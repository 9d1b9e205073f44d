/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the VT-d interrupt remapping formats
 * (drivers/iommu/vtd_interrupt.c): the entry's present bit, vector,
 * xAPIC destination and source-id verification; the remappable MSI
 * address with its handle split over bits 19:5 and 2; the
 * level-triggered entry of an IOAPIC input and its remappable-format
 * redirection entry.
 */
#include "check.h"
#include "drivers/iommu/vtd_interrupt.h"

CHECK_MAIN("test_vtd_interrupt")

static void test_entry(void)
{
	struct vtd_irte e = vtd_irte_fixed(3, 0x41, 0x0020);

	CHECK_EQ(e.low & VTD_IRTE_PRESENT, 1);
	CHECK_EQ(e.low >> 16 & 0xff, 0x41);
	CHECK_EQ(e.low >> 32, 0x0300); /* xAPIC: ID in destination 15:8 */
	/* Fixed, edge, physical, remapped (not posted), faults reported. */
	CHECK_EQ(e.low & 0xfffe, 0);
	CHECK_EQ(e.high & 0xffff, 0x0020);
	CHECK_EQ(e.high >> 16 & 3, 0);	 /* SQ: compare all 16 bits */
	CHECK_EQ(e.high >> 18 & 3, 1);	 /* SVT: verify the requester id */
	CHECK_EQ(e.high >> 20, 0);
	e = vtd_irte_fixed(0xff, 0xfe, 0xffff);
	CHECK_EQ(e.low, 0x0000ff0000fe0001ull);
	CHECK_EQ(e.high, 0x4ffffull);
}

static void test_message(void)
{
	CHECK_EQ(vtd_msi_address(0), 0xfee00010);
	CHECK_EQ(vtd_msi_address(1), 0xfee00030);
	CHECK_EQ(vtd_msi_address(0x7fff), 0xfeeffff0);
	CHECK_EQ(vtd_msi_address(0x8000), 0xfee00014);
	CHECK_EQ(vtd_msi_address(0x8000) & 0xfff00000, 0xfee00000);
	CHECK_EQ(vtd_msi_data(), 0);
}

static void test_ioapic(void)
{
	struct vtd_irte e = vtd_irte_level(1, 0xe0, 0xff00);

	CHECK_EQ(e.low, 0x0000010000e00011ull); /* TM set, else as fixed */
	CHECK_EQ(e.high, 0x4ff00ull);
	/* Handle 0xe0: format bit 48, handle 14:0 in 63:49, bit 15 in 11;
	 * vector 7:0; active low (13), level (15), masked (16). */
	CHECK_EQ(vtd_ioapic_entry(0xe0, 0xe0), 0x01c100000001a0e0ull);
	CHECK_EQ(vtd_ioapic_entry(0x8001, 0x41), 0x000300000001a841ull);
	CHECK_EQ(vtd_ioapic_entry(0x8001, 0x41) >> 8 & 7, 0); /* zero 10:8 */
}

static void run_tests(void)
{
	test_ioapic();
	test_entry();
	test_message();
}
