/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of a bare-metal guest's entry environment (core/image/guest_boot.c):
 * the boot-info page, the flat GDT and the identity page tables, built in a
 * heap buffer standing in for guest memory. The tables are walked by hand
 * (an entry's address is an offset into guest memory) and every leaf must
 * map its own address, inside memory, from a table inside the fixed region.
 */
#include "core/image/guest_boot.h"

#include <bulkhead/x86_paging.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_guest_boot")

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static const struct bulkhead_boot_info boot_info = {
	.magic = BULKHEAD_BOOT_INFO_MAGIC,
	.memory_size = 0x12345000,
	.partition_id = 3,
	.cpu_count = 2,
	.args = "console=uart verbose",
};

struct walk {
	const uint8_t *memory;
	uint64_t memory_size;
	uint64_t mapped;         /* bytes mapped by leaves */
	uint64_t leaves[3];      /* leaves per level */
	unsigned tables;         /* tables visited, root included */
	unsigned bad_table;      /* table outside the region or misaligned */
	unsigned bad_leaf;       /* not identity, beyond memory or bad bits */
	unsigned bad_entry_bits; /* table entries with odd bits */
	uint64_t next_expected;  /* leaves come in address order */
};

static void walk_table(struct walk *w, uint64_t table, unsigned level,
		       uint64_t base)
{
	w->tables++;
	if (table < BULKHEAD_GUEST_PML4 ||
	    table + PAGE_SIZE > BULKHEAD_GUEST_TABLES_END ||
	    table % PAGE_SIZE) {
		w->bad_table++;
		return;
	}
	for (unsigned i = 0; i < 512; i++) {
		uint64_t entry;
		uint64_t size = pagetable_level_size(level);
		uint64_t address = base + i * size;

		memcpy(&entry, w->memory + table + i * 8, sizeof(entry));
		if (!(entry & X86_PTE_PRESENT)) {
			if (entry)
				w->bad_entry_bits++;
			continue;
		}
		if (level == 0 || (entry & X86_PTE_LARGE)) {
			uint64_t physical = entry & X86_PTE_ADDRESS_MASK &
					    ~(size - 1);
			uint64_t must = X86_PTE_PRESENT | X86_PTE_WRITE;

			if (level < 3)
				w->leaves[level]++;
			if (level > 1 || physical != address ||
			    address != w->next_expected ||
			    address + size > w->memory_size ||
			    (entry & must) != must ||
			    (entry & (X86_PTE_USER | X86_PTE_NO_EXECUTE |
				      X86_PTE_CACHE_DISABLE |
				      X86_PTE_WRITE_THROUGH)))
				w->bad_leaf++;
			w->mapped += size;
			w->next_expected = address + size;
		} else {
			if ((entry & (X86_PTE_PRESENT | X86_PTE_WRITE)) !=
				    (X86_PTE_PRESENT | X86_PTE_WRITE) ||
			    (entry & (X86_PTE_USER | X86_PTE_NO_EXECUTE)))
				w->bad_entry_bits++;
			walk_table(w, entry & X86_PTE_ADDRESS_MASK, level - 1,
				   address);
		}
	}
}

static struct walk walk_tables(const uint8_t *memory, uint64_t memory_size)
{
	struct walk w = { .memory = memory, .memory_size = memory_size };

	walk_table(&w, BULKHEAD_GUEST_PML4, 3, 0);
	return w;
}

static uint64_t read64(const uint8_t *p)
{
	uint64_t value;

	memcpy(&value, p, sizeof(value));
	return value;
}

static bool all_zero(const uint8_t *p, size_t length)
{
	for (size_t i = 0; i < length; i++)
		if (p[i])
			return false;
	return true;
}

/* The Linux boot protocol's GDT: __BOOT_CS 0x10 flat 64-bit code,
 * __BOOT_DS 0x18 flat data. */
static void check_linux_gdt(void)
{
	uint64_t size = 8 * MIB;
	uint8_t *memory = calloc(1, size);
	uint64_t code, data;

	CHECK(guest_boot_build_linux(memory, size, size));
	code = read64(memory + BULKHEAD_GUEST_GDT + GUEST_LINUX_SELECTOR_CODE);
	data = read64(memory + BULKHEAD_GUEST_GDT + GUEST_LINUX_SELECTOR_DATA);
	CHECK_EQ(GUEST_LINUX_SELECTOR_CODE + 8, GUEST_LINUX_SELECTOR_DATA);
	CHECK(GUEST_LINUX_SELECTOR_DATA + 7 <= GUEST_GDT_LIMIT);
	CHECK_EQ(code, 0x00af9b000000ffffull);
	CHECK_EQ(data, 0x00cf93000000ffffull);
	CHECK_EQ(read64(memory + BULKHEAD_GUEST_BOOT_INFO), 0); /* the caller's */
	CHECK(!guest_boot_build_linux(memory, size, size - 1));
	free(memory);
}

static void check_gdt(const uint8_t *memory)
{
	uint64_t null = read64(memory + BULKHEAD_GUEST_GDT);
	uint64_t code = read64(memory + BULKHEAD_GUEST_GDT + GUEST_SELECTOR_CODE);
	uint64_t data = read64(memory + BULKHEAD_GUEST_GDT + GUEST_SELECTOR_DATA);

	CHECK_EQ(GUEST_SELECTOR_CODE, 0x08);
	CHECK_EQ(GUEST_SELECTOR_DATA, 0x10);
	CHECK_EQ(GUEST_GDT_LIMIT, 31); /* room for the Linux selectors */
	CHECK_EQ(null, 0);
	CHECK(code & (1ull << 47));    /* present */
	CHECK(code & (1ull << 44));    /* code/data, not system */
	CHECK(code & (1ull << 43));    /* executable */
	CHECK(code & (1ull << 53));    /* L: 64-bit */
	CHECK(!(code & (1ull << 54))); /* D must be clear with L */
	CHECK_EQ((code >> 45) & 3, 0); /* DPL 0 */
	CHECK(data & (1ull << 47));
	CHECK(data & (1ull << 44));
	CHECK(!(data & (1ull << 43))); /* data */
	CHECK(data & (1ull << 41));    /* writable */
	CHECK_EQ((data >> 45) & 3, 0);
	/* Nothing after the three descriptors. */
	CHECK(all_zero(memory + BULKHEAD_GUEST_GDT + 24, PAGE_SIZE - 24));
}

/* Builds in a zeroed buffer of memory_size bytes and checks everything. */
static void check_size(uint64_t memory_size)
{
	uint8_t *memory = calloc(1, memory_size);
	struct walk w;

	if (!memory) {
		printf("test_guest_boot: cannot allocate %llu bytes, skipped\n",
		       (unsigned long long)memory_size);
		return;
	}
	CHECK(guest_boot_build(memory, memory_size, memory_size,
				&boot_info));
	CHECK(memcmp(memory + BULKHEAD_GUEST_BOOT_INFO, &boot_info,
		     sizeof(boot_info)) == 0);
	check_gdt(memory);

	w = walk_tables(memory, memory_size);
	CHECK_EQ(w.bad_table, 0);
	CHECK_EQ(w.bad_leaf, 0);
	CHECK_EQ(w.bad_entry_bits, 0);
	CHECK_EQ(w.mapped, memory_size);
	CHECK_EQ(w.leaves[1], memory_size / LARGE_PAGE_SIZE);
	CHECK_EQ(w.leaves[0], 0);
	CHECK_EQ(w.leaves[2], 0);
	/* PML4, PDPT and one directory per GiB. */
	CHECK_EQ(w.tables, 2 + (memory_size + GIB - 1) / GIB);

	/* Nothing written outside the pages the layout names. */
	CHECK(all_zero(memory, BULKHEAD_GUEST_BOOT_INFO));
	CHECK(all_zero(memory + BULKHEAD_GUEST_BOOT_INFO + sizeof(boot_info),
		       PAGE_SIZE - sizeof(boot_info)));
	CHECK(all_zero(memory + BULKHEAD_GUEST_PML4 + w.tables * PAGE_SIZE,
		       memory_size - BULKHEAD_GUEST_PML4 -
			       w.tables * PAGE_SIZE));
	free(memory);
}

/*
 * Sizes far beyond a test machine's memory: guest_boot_build only writes
 * below BULKHEAD_GUEST_TABLES_END, so a buffer of that size is enough and
 * ASan reports any write past it.
 */
static bool build_large(uint64_t memory_size, struct walk *w)
{
	uint8_t *memory = calloc(1, BULKHEAD_GUEST_TABLES_END);
	bool ok = guest_boot_build(memory, memory_size, memory_size,
				&boot_info);

	if (ok)
		*w = walk_tables(memory, memory_size);
	free(memory);
	return ok;
}

static void test_large(void)
{
	struct walk w;

	/* CONFIG_MEMORY_MAX: 16 directories + PML4 + PDPT = 18 tables. */
	CHECK(build_large(16 * GIB, &w));
	CHECK_EQ(w.tables, 18);
	CHECK_EQ(w.mapped, 16 * GIB);
	CHECK_EQ(w.leaves[1], 16 * GIB / LARGE_PAGE_SIZE);
	CHECK_EQ(w.bad_leaf, 0);
	CHECK_EQ(w.bad_table, 0);

	/* The region holds 29 tables: 27 directories at most. */
	CHECK(build_large(27 * GIB, &w));
	CHECK_EQ(w.tables, 29);
	CHECK_EQ(w.bad_table, 0);
	CHECK(!build_large(27 * GIB + LARGE_PAGE_SIZE, &w));
	CHECK(!build_large(64 * GIB, &w));
}

/* The identity map also covers the channel windows after the memory. */
static void test_channel_window(void)
{
	uint8_t *memory = calloc(1, 4 * MIB);
	struct walk w;

	CHECK(guest_boot_build(memory, 2 * MIB, 2 * MIB + 3 * PAGE_SIZE,
			       &boot_info));
	w = walk_tables(memory, 2 * MIB + 3 * PAGE_SIZE);
	CHECK_EQ(w.mapped, 2 * MIB + 3 * PAGE_SIZE);
	CHECK_EQ(w.leaves[1], 1);
	CHECK_EQ(w.leaves[0], 3);
	CHECK_EQ(w.bad_leaf, 0);
	memset(memory, 0, 4 * MIB);
	CHECK(!guest_boot_build(memory, 2 * MIB, 2 * MIB - PAGE_SIZE,
				&boot_info));
	free(memory);
}

static void test_odd_sizes(void)
{
	uint8_t *memory = calloc(1, 4 * MIB);
	struct walk w;

	/* Below the image start: refused. */
	CHECK(!guest_boot_build(memory, BULKHEAD_GUEST_IMAGE_MIN - PAGE_SIZE, BULKHEAD_GUEST_IMAGE_MIN - PAGE_SIZE,
				&boot_info));
	CHECK(!guest_boot_build(memory, 0, 0,
				&boot_info));

	/* Exactly 1 MiB: 256 pages of 4 KiB. */
	memset(memory, 0, 4 * MIB);
	CHECK(guest_boot_build(memory, BULKHEAD_GUEST_IMAGE_MIN, BULKHEAD_GUEST_IMAGE_MIN,
				&boot_info));
	w = walk_tables(memory, BULKHEAD_GUEST_IMAGE_MIN);
	CHECK_EQ(w.mapped, BULKHEAD_GUEST_IMAGE_MIN);
	CHECK_EQ(w.leaves[0], 256);
	CHECK_EQ(w.tables, 4);
	CHECK_EQ(w.bad_leaf, 0);
	CHECK_EQ(w.bad_table, 0);

	/* 2 MiB + 4 KiB: one large page and one small one. */
	memset(memory, 0, 4 * MIB);
	CHECK(guest_boot_build(memory, 2 * MIB + PAGE_SIZE, 2 * MIB + PAGE_SIZE,
				&boot_info));
	w = walk_tables(memory, 2 * MIB + PAGE_SIZE);
	CHECK_EQ(w.mapped, 2 * MIB + PAGE_SIZE);
	CHECK_EQ(w.leaves[1], 1);
	CHECK_EQ(w.leaves[0], 1);
	CHECK_EQ(w.bad_leaf, 0);

	/* A size that is not a whole number of pages cannot be mapped. */
	memset(memory, 0, 4 * MIB);
	CHECK(!guest_boot_build(memory, 2 * MIB + 1, 2 * MIB + 1,
				&boot_info));
	free(memory);
}

static void run_tests(void)
{
	check_size(2 * MIB);
	check_size(4 * MIB);
	check_size(64 * MIB);
	check_size(GIB);
	test_large();
	test_odd_sizes();
	test_channel_window();
	check_linux_gdt();
}
