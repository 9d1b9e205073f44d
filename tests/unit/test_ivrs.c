/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the pure parts of the AMD-Vi driver: the IVRS table
 * reader (drivers/iommu/ivrs.c) on a table shaped like QEMU's, on every
 * device entry kind and on truncated or inconsistent tables; and the host
 * page-table format (drivers/iommu/amd_vi_format.c) through the generic
 * builder: NextLevel in every table entry, exactly the mapped range
 * translates, large pages where allowed.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "page_pool.h"
#include "drivers/iommu/amd_vi_format.h"
#include "drivers/iommu/ivrs.h"

CHECK_MAIN("test_ivrs")

static uint8_t table[512];
static size_t used;
static size_t block_start;

static void put8(uint8_t value)
{
	table[used++] = value;
}

static void put16(uint16_t value)
{
	put8((uint8_t)value);
	put8((uint8_t)(value >> 8));
}

static void put32(uint32_t value)
{
	put16((uint16_t)value);
	put16((uint16_t)(value >> 16));
}

static void put64(uint64_t value)
{
	put32((uint32_t)value);
	put32((uint32_t)(value >> 32));
}

static void begin_table(uint32_t iv_info)
{
	memset(table, 0, sizeof(table));
	memcpy(table, "IVRS", 4);
	used = 36;
	put32(iv_info);
	used = 48;
}

static void end_table(void)
{
	table[4] = (uint8_t)used;
	table[5] = (uint8_t)(used >> 8);
}

static void begin_ivhd(uint8_t type, uint16_t device_id, uint64_t base)
{
	block_start = used;
	put8(type);
	put8(0xd1);
	put16(0); /* length, set by end_ivhd */
	put16(device_id);
	put16(0x40);
	put64(base);
	put16(0);    /* segment */
	put16(0);    /* IOMMU info */
	put32(0);    /* features or attributes */
	if (type != 0x10) {
		put64(0x29d3); /* EFR image */
		put64(0);
	}
}

static void end_ivhd(void)
{
	size_t length = used - block_start;

	table[block_start + 2] = (uint8_t)length;
	table[block_start + 3] = (uint8_t)(length >> 8);
}

static void put_entry4(uint8_t type, uint16_t id)
{
	put8(type);
	put16(id);
	put8(0);
}

static void qemu_like_table(void)
{
	begin_table(0x2800);
	begin_ivhd(0x10, 0x0010, 0xfed80000);
	put_entry4(0x02, 0x0000);
	put_entry4(0x02, 0x0008);
	put_entry4(0x02, 0x0010);
	put_entry4(0x02, 0x0080);
	put_entry4(0x02, 0x0088);
	/* Special: IOAPIC 0 at 00:14.0. */
	put8(0x48);
	put16(0);
	put8(0xd7);
	put8(0);
	put16(0x00a0);
	put8(1);
	end_ivhd();
	end_table();
}

static void test_qemu_table(void)
{
	struct ivrs_info info;
	char error[IVRS_ERROR_MAX];

	qemu_like_table();
	CHECK(ivrs_parse(table, used, &info, error));
	CHECK_EQ(info.physical_address_bits, 40);
	CHECK_EQ(info.unit_count, 1);
	CHECK_EQ(info.units[0].type, 0x10);
	CHECK_EQ(info.units[0].device_id, 0x10);
	CHECK_EQ(info.units[0].capability_offset, 0x40);
	CHECK_EQ(info.units[0].mmio_base, 0xfed80000ull);
	CHECK_EQ(info.units[0].range_count, 5);
	CHECK_EQ(info.units[0].special_count, 1);
	CHECK_EQ(info.units[0].specials[0].variety, IVRS_SPECIAL_IOAPIC);
	CHECK_EQ(info.units[0].specials[0].device_id, 0xa0);
	CHECK(!info.units[0].all);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0080), 0);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0088), 0);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0090), -1);
	CHECK_EQ(ivrs_unit_of(&info, 1, 0x0080), -1);
}

static void test_entry_kinds(void)
{
	struct ivrs_info info;
	char error[IVRS_ERROR_MAX];

	begin_table(0x3000);
	begin_ivhd(0x10, 0x0002, 0xfeb80000);
	put_entry4(0x03, 0x0100); /* range 01:00.0 - 01:1f.7 */
	put_entry4(0x04, 0x01ff);
	/* Alias select: 02:00.0 is seen as 00:1e.0. */
	put8(0x42);
	put16(0x0200);
	put8(0);
	put8(0);
	put16(0x00f0);
	put8(0);
	/* Alias range 03:00.0 - 03:00.7 as 00:1f.0, then its end. */
	put8(0x43);
	put16(0x0300);
	put8(0);
	put8(0);
	put16(0x00f8);
	put8(0);
	put_entry4(0x04, 0x0307);
	/* Extended select: 04:00.0. */
	put8(0x46);
	put16(0x0400);
	put8(0);
	put32(0);
	put_entry4(0x00, 0); /* padding */
	end_ivhd();
	/* A second IOMMU that takes everything else, as 11h and 40h. */
	begin_ivhd(0x11, 0x0003, 0xfec80000);
	put_entry4(0x01, 0);
	end_ivhd();
	begin_ivhd(0x40, 0x0003, 0xfec80000);
	put_entry4(0x01, 0);
	/* An ACPI HID device with a 2-byte UID: skipped by its length. */
	put8(0xf0);
	put16(0x00a5);
	put8(0);
	put64(0);
	put64(0);
	put8(1);
	put8(2);
	put16(0x3030);
	end_ivhd();
	/* An IVMD (type 20h) of 32 bytes. */
	put8(0x20);
	put8(0);
	put16(32);
	used += 28;
	end_table();
	CHECK(ivrs_parse(table, used, &info, error));
	CHECK_EQ(info.unit_count, 2);
	CHECK_EQ(info.memory_definitions, 1);
	CHECK_EQ(info.units[0].range_count, 4);
	CHECK_EQ(info.units[1].type, 0x40);
	CHECK(info.units[1].all);
	CHECK_EQ(info.units[0].ranges[1].alias, 1);
	CHECK_EQ(info.units[0].ranges[1].alias_id, 0xf0);
	CHECK_EQ(info.units[0].ranges[2].first, 0x300);
	CHECK_EQ(info.units[0].ranges[2].last, 0x307);
	CHECK_EQ(info.units[0].ranges[2].alias_id, 0xf8);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0108), 0);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0200), 0);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0305), 0);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0400), 0);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0500), 1);
	CHECK_EQ(ivrs_unit_of(&info, 0, 0x0010), 1);
	CHECK_EQ(ivrs_unit_of(&info, 1, 0x0010), -1);
}

static void expect_refused(const char *why)
{
	struct ivrs_info info;
	char error[IVRS_ERROR_MAX];

	CHECK(!ivrs_parse(table, used, &info, error));
	CHECK_STR_CONTAINS(error, why);
}

static void test_bad_tables(void)
{
	struct ivrs_info info;
	char error[IVRS_ERROR_MAX];

	qemu_like_table();
	CHECK(!ivrs_parse(table, 40, &info, error));
	CHECK_STR_CONTAINS(error, "not an IVRS table");
	/* The header says more than was read. */
	CHECK(!ivrs_parse(table, used - 4, &info, error));
	CHECK_STR_CONTAINS(error, "length is not what was read");
	/* A block longer than the table. */
	qemu_like_table();
	table[48 + 2] = 0xff;
	expect_refused("a block has a bad length");
	/* A block of length 0 would loop for ever. */
	qemu_like_table();
	table[48 + 2] = 0;
	expect_refused("a block has a bad length");
	/* An IVHD shorter than its header. */
	qemu_like_table();
	table[48 + 2] = 16;
	used = 48 + 16;
	end_table();
	expect_refused("shorter than its header");
	/* An 8-byte entry cut by its block's end. */
	qemu_like_table();
	table[48 + 2] = (uint8_t)(table[48 + 2] - 4);
	expect_refused("runs past its block");
	/* Range end without a start, start without an end. */
	begin_table(0);
	begin_ivhd(0x10, 0x10, 0xfed80000);
	put_entry4(0x04, 0x20);
	end_ivhd();
	end_table();
	expect_refused("a range end without its start");
	begin_table(0);
	begin_ivhd(0x10, 0x10, 0xfed80000);
	put_entry4(0x03, 0x20);
	put_entry4(0x02, 0x30);
	end_ivhd();
	end_table();
	expect_refused("a range start without its end");
	begin_table(0);
	begin_ivhd(0x10, 0x10, 0xfed80000);
	put_entry4(0x03, 0x20);
	end_ivhd();
	end_table();
	expect_refused("a range start without its end");
	begin_table(0);
	begin_ivhd(0x10, 0x10, 0xfed80000);
	put_entry4(0x03, 0x20);
	put_entry4(0x04, 0x10);
	end_ivhd();
	end_table();
	expect_refused("ends before it starts");
	/* A variable-length entry of an unknown kind. */
	begin_table(0);
	begin_ivhd(0x10, 0x10, 0xfed80000);
	put_entry4(0x80, 0x20);
	end_ivhd();
	end_table();
	expect_refused("unknown length");
	/* No MMIO base. */
	begin_table(0);
	begin_ivhd(0x10, 0x10, 0);
	end_ivhd();
	end_table();
	expect_refused("MMIO base");
	/* No IVHD at all. */
	begin_table(0);
	end_table();
	expect_refused("no IOMMU");
	qemu_like_table();
	memcpy(table, "IVRX", 4);
	expect_refused("not an IVRS table");
}

#define POOL_PAGES 64
#define POOL_BASE 0x20000000ull

static uint64_t *table_at(uint64_t entry)
{
	return page_pool_allocator.to_pointer(NULL,
					      entry & AMD_VI_ADDRESS_MASK);
}

static void test_format(unsigned max_leaf, unsigned expected_level)
{
	struct pagetable_format format;
	struct pagetable t;
	uint64_t physical, entry;
	unsigned level;

	page_pool_begin(POOL_PAGES, POOL_BASE);
	amd_vi_format_init(&format, max_leaf);
	CHECK(pagetable_init(&t, &format, &page_pool_allocator));
	CHECK(pagetable_map_range(&t, 0, 0x3aa00000, 16 << 20,
				  PT_READ | PT_WRITE));
	CHECK(pagetable_translate(&t, 0x123456, &physical, &level, &entry));
	CHECK_EQ(physical, 0x3aa00000ull + 0x123456);
	CHECK_EQ(level, expected_level);
	CHECK_EQ(entry & AMD_VI_PTE_PRESENT, 1);
	CHECK_EQ(AMD_VI_PTE_NEXT_LEVEL(entry), 0); /* a leaf */
	CHECK_EQ(entry & (AMD_VI_PTE_IR | AMD_VI_PTE_IW),
		 AMD_VI_PTE_IR | AMD_VI_PTE_IW);
	CHECK(pagetable_translate(&t, (16 << 20) - 1, &physical, &level,
				  &entry));
	CHECK(!pagetable_translate(&t, 16 << 20, &physical, &level, &entry));
	CHECK(!pagetable_translate(&t, 0x3aa00000, &physical, &level, &entry));
	/* A 4-level walk from the root: each table entry names the level
	 * of the table it points to, and grants both directions. */
	uint64_t l4 = t.root_pointer[0], l3, l2;

	CHECK_EQ(AMD_VI_PTE_NEXT_LEVEL(l4), 3);
	CHECK_EQ(l4 & (AMD_VI_PTE_IR | AMD_VI_PTE_IW | 1),
		 AMD_VI_PTE_IR | AMD_VI_PTE_IW | 1);
	CHECK_EQ(t.root_pointer[1], 0);
	l3 = table_at(l4)[0];
	CHECK_EQ(AMD_VI_PTE_NEXT_LEVEL(l3), 2);
	l2 = table_at(l3)[0];
	if (expected_level == 0) {
		CHECK_EQ(AMD_VI_PTE_NEXT_LEVEL(l2), 1);
		CHECK_EQ(AMD_VI_PTE_NEXT_LEVEL(table_at(l2)[0]), 0);
		CHECK_EQ(table_at(l2)[0] & AMD_VI_ADDRESS_MASK, 0x3aa00000);
		CHECK_EQ(t.table_count, 3 + 8);
	} else {
		CHECK_EQ(AMD_VI_PTE_NEXT_LEVEL(l2), 0);
		CHECK_EQ(l2 & AMD_VI_ADDRESS_MASK, 0x3aa00000);
		CHECK_EQ(t.table_count, 3);
	}
	/* A read-only leaf. */
	CHECK(pagetable_map_range(&t, 32 << 20, 0x50000000, PAGE_SIZE,
				  PT_READ));
	CHECK(pagetable_translate(&t, 32 << 20, &physical, &level, &entry));
	CHECK_EQ(entry & (AMD_VI_PTE_IR | AMD_VI_PTE_IW), AMD_VI_PTE_IR);
	page_pool_end();
}

static void run_tests(void)
{
	test_qemu_table();
	test_entry_kinds();
	test_bad_tables();
	test_format(0, 0);
	test_format(1, 1);
	test_format(2, 1);
}
