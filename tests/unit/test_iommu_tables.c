/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the pure parts of the VT-d driver: the DMAR table reader
 * (drivers/iommu/dmar.c) on a table shaped like QEMU's q35 one, on
 * scopes behind bridges and on truncated or inconsistent tables; and the
 * second-level page-table format (drivers/iommu/vtd_format.c) through the
 * generic builder: exactly the mapped range translates, read-write, with
 * large pages where the unit offers them.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "page_pool.h"
#include "drivers/iommu/dmar.h"
#include "drivers/iommu/vtd_format.h"

CHECK_MAIN("test_iommu_tables")

static uint8_t table[512];
static size_t used;

static void put8(uint8_t value)
{
	table[used++] = value;
}

static void put16(uint16_t value)
{
	put8((uint8_t)value);
	put8((uint8_t)(value >> 8));
}

static void put64(uint64_t value)
{
	for (int i = 0; i < 8; i++)
		put8((uint8_t)(value >> (8 * i)));
}

static void begin_table(uint8_t width_minus_1, uint8_t flags)
{
	memset(table, 0, sizeof(table));
	memcpy(table, "DMAR", 4);
	used = 36;
	put8(width_minus_1);
	put8(flags);
	used = 48;
}

static void end_table(void)
{
	table[4] = (uint8_t)used;
	table[5] = (uint8_t)(used >> 8);
}

/* A scope of one (device, function) step from bus. */
static void put_scope(uint8_t type, uint8_t id, uint8_t bus, uint8_t device,
		      uint8_t function)
{
	put8(type);
	put8(8);
	put16(0);
	put8(id);
	put8(bus);
	put8(device);
	put8(function);
}

/* A DRHD header for `scopes` one-step scopes that follow it. */
static void put_drhd(uint8_t flags, uint16_t segment, uint64_t base,
		     unsigned scopes)
{
	put16(0);
	put16((uint16_t)(16 + 8 * scopes));
	put8(flags);
	put8(0);
	put16(segment);
	put64(base);
}

static void qemu_like_table(void)
{
	begin_table(38, 1);
	put_drhd(0, 0, 0xfed90000, 4);
	put_scope(DMAR_SCOPE_IOAPIC, 0, 0xff, 0, 0);
	put_scope(DMAR_SCOPE_ENDPOINT, 0, 0, 0x10, 0);
	put_scope(DMAR_SCOPE_ENDPOINT, 0, 0, 0x11, 0);
	put_scope(DMAR_SCOPE_BRIDGE, 0, 0, 0x1c, 0);
	end_table();
}

/* 00:1c.0 is a bridge to buses 2..3; 00:1e.0 one to bus 5. */
static bool bridges(void *context, uint16_t segment, uint8_t bus,
		    uint8_t device, uint8_t function, uint8_t *secondary,
		    uint8_t *subordinate)
{
	(void)context;
	if (segment || bus || function)
		return false;
	if (device == 0x1c) {
		*secondary = 2;
		*subordinate = 3;
		return true;
	}
	if (device == 0x1e) {
		*secondary = *subordinate = 5;
		return true;
	}
	return false;
}

static void test_qemu_table(void)
{
	struct dmar_info info;
	char error[DMAR_ERROR_MAX];

	qemu_like_table();
	CHECK(dmar_parse(table, used, &info, error));
	CHECK_EQ(info.host_address_width, 39);
	CHECK(info.interrupt_remapping);
	CHECK_EQ(info.unit_count, 1);
	CHECK_EQ(info.units[0].register_base, 0xfed90000ull);
	CHECK(!info.units[0].include_all);
	CHECK_EQ(info.units[0].scope_count, 4);
	CHECK_EQ(info.units[0].scopes[0].type, DMAR_SCOPE_IOAPIC);
	CHECK_EQ(info.units[0].scopes[0].start_bus, 0xff);
	CHECK_EQ(dmar_unit_of(&info, 0, 0, 0x10, 0, bridges, NULL), 0);
	CHECK_EQ(dmar_unit_of(&info, 0, 0, 0x11, 0, bridges, NULL), 0);
	CHECK_EQ(dmar_unit_of(&info, 0, 0, 0x12, 0, bridges, NULL), -1);
	CHECK_EQ(dmar_unit_of(&info, 0, 0, 0x10, 1, bridges, NULL), -1);
	CHECK_EQ(dmar_unit_of(&info, 1, 0, 0x10, 0, bridges, NULL), -1);
	/* Behind the bridge scope: the bridge itself and buses 2..3. */
	CHECK_EQ(dmar_unit_of(&info, 0, 0, 0x1c, 0, bridges, NULL), 0);
	CHECK_EQ(dmar_unit_of(&info, 0, 2, 0, 0, bridges, NULL), 0);
	CHECK_EQ(dmar_unit_of(&info, 0, 3, 7, 1, bridges, NULL), 0);
	CHECK_EQ(dmar_unit_of(&info, 0, 4, 0, 0, bridges, NULL), -1);
	/* Without a way to read bridges, only the bridge itself matches. */
	CHECK_EQ(dmar_unit_of(&info, 0, 2, 0, 0, NULL, NULL), -1);
	/* The IOAPIC (enumeration id 0) on the pseudo-bus 0xff, 00.0. */
	uint16_t requester = 0;

	CHECK_EQ(dmar_ioapic_of(&info, 0, &requester), 0);
	CHECK_EQ(requester, 0xff00);
	CHECK_EQ(dmar_ioapic_of(&info, 1, &requester), -1);
	/* The IOAPIC is not an endpoint: DMA scopes do not match it. */
	CHECK_EQ(dmar_unit_of(&info, 0, 0xff, 0, 0, bridges, NULL), -1);
}

static void test_include_all_and_paths(void)
{
	struct dmar_info info;
	char error[DMAR_ERROR_MAX];

	begin_table(47, 0);
	/* Unit 0 names 05:00.0 by a two-step path through 00:1e.0. */
	put16(0);
	put16(16 + 10);
	put8(0);
	put8(0);
	put16(0);
	put64(0xfed91000);
	put8(DMAR_SCOPE_ENDPOINT);
	put8(10);
	put16(0);
	put8(0);
	put8(0);
	put8(0x1e);
	put8(0);
	put8(0);
	put8(0);
	/* Unit 1 takes everything else. */
	put_drhd(1, 0, 0xfed90000, 0);
	/* An RMRR for 00:14.0. */
	put16(1);
	put16(24 + 8);
	put16(0);
	put16(0);
	put64(0x7f000000);
	put64(0x7f0fffff);
	put_scope(DMAR_SCOPE_ENDPOINT, 0, 0, 0x14, 0);
	end_table();
	CHECK(dmar_parse(table, used, &info, error));
	CHECK_EQ(info.host_address_width, 48);
	CHECK(!info.interrupt_remapping);
	CHECK_EQ(info.unit_count, 2);
	CHECK(info.units[1].include_all);
	CHECK_EQ(info.reserved_count, 1);
	CHECK_EQ(info.reserved[0].base, 0x7f000000ull);
	CHECK_EQ(info.reserved[0].limit, 0x7f0fffffull);
	CHECK_EQ(dmar_unit_of(&info, 0, 5, 0, 0, bridges, NULL), 0);
	CHECK_EQ(dmar_unit_of(&info, 0, 5, 1, 0, bridges, NULL), 1);
	CHECK_EQ(dmar_unit_of(&info, 0, 0, 0x10, 0, bridges, NULL), 1);
	CHECK_EQ(dmar_unit_of(&info, 2, 0, 0x10, 0, bridges, NULL), -1);
}

static void test_bad_tables(void)
{
	struct dmar_info info;
	char error[DMAR_ERROR_MAX];

	qemu_like_table();
	CHECK(!dmar_parse(table, 40, &info, error));
	CHECK_STR_CONTAINS(error, "not a DMAR table");
	/* Cut inside the DRHD: its length runs past the end. */
	CHECK(!dmar_parse(table, used - 4, &info, error));
	CHECK_STR_CONTAINS(error, "bad length");
	/* A scope whose length runs past its structure. */
	qemu_like_table();
	table[48 + 16 + 1] = 200;
	CHECK(!dmar_parse(table, used, &info, error));
	CHECK_STR_CONTAINS(error, "device scope has a bad length");
	/* A structure of length 0 would loop for ever. */
	qemu_like_table();
	table[48 + 2] = 0;
	table[48 + 3] = 0;
	CHECK(!dmar_parse(table, used, &info, error));
	CHECK_STR_CONTAINS(error, "bad length");
	/* No unit at all. */
	begin_table(38, 0);
	end_table();
	CHECK(!dmar_parse(table, used, &info, error));
	CHECK_STR_CONTAINS(error, "no remapping unit");
	/* Wrong signature. */
	qemu_like_table();
	memcpy(table, "DMAX", 4);
	CHECK(!dmar_parse(table, used, &info, error));
}

#define POOL_PAGES 64
#define POOL_BASE 0x20000000ull


static void test_format(unsigned max_leaf, unsigned expected_level)
{
	struct pagetable_format format;
	struct pagetable t;
	uint64_t physical, entry;
	unsigned level;

	page_pool_begin(POOL_PAGES, POOL_BASE);
	vtd_format_init(&format, max_leaf);
	CHECK(pagetable_init(&t, &format, &page_pool_allocator));
	/* 16 MiB of guest memory at 0 lives at host 0x3aa00000. */
	CHECK(pagetable_map_range(&t, 0, 0x3aa00000, 16 << 20,
				  PT_READ | PT_WRITE));
	CHECK(pagetable_translate(&t, 0x123456, &physical, &level, &entry));
	CHECK_EQ(physical, 0x3aa00000ull + 0x123456);
	CHECK_EQ(level, expected_level);
	CHECK_EQ(entry & 3, 3); /* readable and writable */
	CHECK_EQ(!!(entry & 0x80), expected_level > 0);
	CHECK(pagetable_translate(&t, (16 << 20) - 1, &physical, &level,
				  &entry));
	CHECK(!pagetable_translate(&t, 16 << 20, &physical, &level, &entry));
	CHECK(!pagetable_translate(&t, 0x3aa00000, &physical, &level, &entry));
	/* A 3-level walk starts at the first PML4 entry's table: present,
	 * readable and writable. */
	CHECK_EQ(t.root_pointer[0] & 3, 3);
	CHECK_EQ(t.root_pointer[1], 0);
	page_pool_end();
}

static void run_tests(void)
{
	test_qemu_table();
	test_include_all_and_paths();
	test_bad_tables();
	test_format(0, 0);
	test_format(1, 1);
	test_format(2, 1); /* 16 MiB: no 1 GiB page fits */
}
