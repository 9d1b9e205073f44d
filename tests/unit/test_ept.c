/* SPDX-License-Identifier: MIT */
/*
 * Tests of the EPT entry format (ept/ept.c) through the generic page-table
 * builder: permissions, memory types, large-page bits, the EPT pointer, and
 * that a partition's tables map exactly its memory.
 */
#include <stdlib.h>

#include <bulkhead/ept_format.h>

#include "check.h"
#include "page_pool.h"

CHECK_MAIN("test_ept")

#define POOL_PAGES 64
#define POOL_BASE 0x10000000ull

static bool count_leaf(void *context, uint64_t guest, uint64_t host,
		       uint64_t size, uint64_t entry)
{
	unsigned *count = context;

	(void)guest, (void)host, (void)size, (void)entry;
	(*count)++;
	return true;
}

static void test_entries(void)
{
	struct pagetable_format f;

	ept_format_init(&f, 2);
	CHECK_EQ(f.max_leaf_level, 2);
	CHECK_EQ(f.table_entry(0x5000), 0x5007);
	/* RWX write-back 2 MiB leaf: memory type 6 in bits 3-5, bit 7. */
	CHECK_EQ(f.leaf_entry(0x200000, 1, PT_RWX), 0x200000 | 7 | (6 << 3) | 0x80);
	/* Read-only, uncached 4 KiB leaf. */
	CHECK_EQ(f.leaf_entry(0x3000, 0, PT_READ | PT_UNCACHED), 0x3001);
	/* Execute-only is representable in EPT. */
	CHECK_EQ(f.leaf_entry(0x3000, 0, PT_EXECUTE) & 7, 4);
	CHECK(!f.present(0));
	CHECK(f.present(4));
	CHECK(f.is_leaf(0x80 | 7, 1));
	CHECK(!f.is_leaf(7, 1));
	CHECK(f.is_leaf(7, 0));
	CHECK(!f.is_leaf(0x80 | 7, 3)); /* no leaves in the PML4 */
	CHECK_EQ(ept_pointer(0x123000), 0x123000 | 6 | (3 << 3));
	ept_format_init(&f, 1);
	CHECK_EQ(f.max_leaf_level, 1);
}

static void test_partition_mapping(void)
{
	struct pagetable_format f;
	struct pagetable t;
	uint64_t host, entry;
	unsigned level, leaves = 0;

	page_pool_begin(POOL_PAGES, POOL_BASE);
	ept_format_init(&f, 1);
	CHECK(pagetable_init(&t, &f, &page_pool_allocator));
	CHECK(pagetable_map_range(&t, 0, 0x40000000, 64ull << 20, PT_RWX));
	CHECK_EQ(t.table_count, 3);
	CHECK(pagetable_for_each_leaf(&t, count_leaf, &leaves));
	CHECK_EQ(leaves, 32);
	CHECK(pagetable_translate(&t, 0x123456, &host, &level, &entry));
	CHECK_EQ(host, 0x40123456);
	CHECK_EQ(level, 1);
	CHECK_EQ((entry >> 3) & 7, 6);
	CHECK(pagetable_translate(&t, (64ull << 20) - 1, &host, NULL, NULL));
	CHECK_EQ(host, 0x40000000 + (64ull << 20) - 1);
	CHECK(!pagetable_translate(&t, 64ull << 20, &host, NULL, NULL));
	CHECK(!pagetable_translate(&t, 0xfee00000, &host, NULL, NULL));
	page_pool_end();
}

static void run_tests(void)
{
	test_entries();
	test_partition_mapping();
}
