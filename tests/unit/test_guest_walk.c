/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the guest page-table walker (lib/guest_walk.c): tables are
 * built in a 4 MiB heap buffer standing in for guest memory, for each paging
 * mode (none, 32-bit with PSE and PSE-36, PAE, 4-level, 5-level). Checks
 * translations, large pages, ignored bits, reserved bits, a missing entry at
 * every level, tables outside memory and reads that cross pages.
 */
#include <bulkhead/guest_walk.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_guest_walk")

#define MEMORY_SIZE (4ull << 20)
#define P	    (1ull << 0)
#define RW	    (1ull << 1)
#define PS	    (1ull << 7)
#define PAT_LARGE   (1ull << 12)
#define NX	    (1ull << 63)
#define CR0_PE	    (1ull << 0)
#define EFER_LME    (1ull << 8)

struct guest {
	uint8_t *memory;
	unsigned reads;
	unsigned read_sizes; /* bit n set: a read of n bytes (n < 32) */
};

static bool guest_read(void *context, uint64_t guest_physical, void *out,
		       unsigned size)
{
	struct guest *g = context;

	g->reads++;
	if (size < 32)
		g->read_sizes |= 1u << size;
	if (guest_physical > MEMORY_SIZE || size > MEMORY_SIZE - guest_physical)
		return false;
	memcpy(out, g->memory + guest_physical, size);
	return true;
}

static void guest_reset(struct guest *g)
{
	memset(g->memory, 0, MEMORY_SIZE);
	g->reads = 0;
	g->read_sizes = 0;
}

static void put64(struct guest *g, uint64_t address, uint64_t value)
{
	memcpy(g->memory + address, &value, sizeof(value));
}

static void put32(struct guest *g, uint64_t address, uint32_t value)
{
	memcpy(g->memory + address, &value, sizeof(value));
}

/* Entry `index` of the 8-byte-entry table at `table`. */
static void set_entry(struct guest *g, uint64_t table, unsigned index,
		      uint64_t value)
{
	put64(g, table + index * 8ull, value);
}

static unsigned index_at(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static enum guest_walk_result walk(struct guest *g,
				   const struct guest_paging *paging,
				   uint64_t va, uint64_t *gpa)
{
	return guest_walk(paging, va, guest_read, g, gpa);
}

static const struct guest_paging long_mode = {
    .cr0 = GUEST_CR0_PG | CR0_PE,
    .cr3 = 0x1000,
    .cr4 = GUEST_CR4_PAE,
    .efer = GUEST_EFER_LMA | EFER_LME,
};

/* Linux's kernel text: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000. */
#define KERNEL_VA 0xffffffff81234567ull

static void build_long_mode(struct guest *g, uint64_t va, uint64_t page)
{
	set_entry(g, 0x1000, index_at(va, 3), 0x2000 | P | RW);
	set_entry(g, 0x2000, index_at(va, 2), 0x3000 | P | RW);
	set_entry(g, 0x3000, index_at(va, 1), 0x4000 | P | RW);
	set_entry(g, 0x4000, index_at(va, 0), page | P | NX);
}

static void test_no_paging(struct guest *g)
{
	struct guest_paging paging = {.cr0 = CR0_PE, .cr4 = GUEST_CR4_PAE};
	uint64_t gpa = 0;

	guest_reset(g);
	CHECK_EQ(walk(g, &paging, 0xfee000b0, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0xfee000b0);
	CHECK_EQ(walk(g, &paging, 0xffffffffff5f00b0ull, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0xffffffffff5f00b0ull);
	CHECK_EQ(g->reads, 0);
}

static void test_long_mode_4k(struct guest *g)
{
	struct guest_paging paging = long_mode;
	uint64_t gpa = 0;

	guest_reset(g);
	build_long_mode(g, KERNEL_VA, 0x000f123456789000ull);
	CHECK_EQ(walk(g, &paging, KERNEL_VA, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x000f123456789567ull); /* bits 51:12, NX ignored */
	CHECK_EQ(g->reads, 4);
	CHECK_EQ(g->read_sizes, 1u << 8);

	/* Bits 62:52 (protection keys, software) are not address bits. */
	set_entry(g, 0x4000, index_at(KERNEL_VA, 0), 0x7ff0000000123000ull | P);
	CHECK_EQ(walk(g, &paging, KERNEL_VA, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x123567);

	/* PCID and PWT/PCD in CR3 are not part of the root address. */
	paging.cr3 = 0x1000 | 0x18 | 0x5;
	CHECK_EQ(walk(g, &paging, KERNEL_VA, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x123567);

	/* A lower-half address with other indices misses. */
	CHECK_EQ(walk(g, &paging, 0x401000, &gpa), GUEST_WALK_NOT_PRESENT);
}

static void test_long_mode_large(struct guest *g)
{
	const uint64_t two_mib_va = 0xffff888000345678ull;
	const uint64_t one_gib_va = 0xffff888123456789ull;
	uint64_t gpa = 0;

	guest_reset(g);
	set_entry(g, 0x1000, index_at(two_mib_va, 3), 0x2000 | P);
	set_entry(g, 0x2000, index_at(two_mib_va, 2), 0x3000 | P);
	set_entry(g, 0x3000, index_at(two_mib_va, 1),
		  0x7fe00000ull | PS | P | PAT_LARGE | NX);
	CHECK_EQ(walk(g, &long_mode, two_mib_va, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x7fe00000ull + 0x145678);
	CHECK_EQ(g->reads, 3);

	set_entry(g, 0x2000, index_at(one_gib_va, 2),
		  0x40000000ull * 7 | PS | P | PAT_LARGE);
	CHECK_EQ(walk(g, &long_mode, one_gib_va, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x40000000ull * 7 + 0x23456789);

	/* Address bits inside the page are reserved. */
	set_entry(g, 0x3000, index_at(two_mib_va, 1),
		  0x7fe00000ull | (1ull << 13) | PS | P);
	CHECK_EQ(walk(g, &long_mode, two_mib_va, &gpa), GUEST_WALK_RESERVED);
	set_entry(g, 0x3000, index_at(two_mib_va, 1),
		  0x7fe00000ull | (1ull << 20) | PS | P);
	CHECK_EQ(walk(g, &long_mode, two_mib_va, &gpa), GUEST_WALK_RESERVED);
	set_entry(g, 0x2000, index_at(one_gib_va, 2),
		  0x40000000ull | (1ull << 29) | PS | P);
	CHECK_EQ(walk(g, &long_mode, one_gib_va, &gpa), GUEST_WALK_RESERVED);

	/* No large pages at the PML4. */
	set_entry(g, 0x1000, index_at(two_mib_va, 3), PS | P);
	CHECK_EQ(walk(g, &long_mode, two_mib_va, &gpa), GUEST_WALK_RESERVED);

	/* PS in a 4 KiB PTE is PAT, not a size. */
	guest_reset(g);
	build_long_mode(g, KERNEL_VA, 0x200000);
	set_entry(g, 0x4000, index_at(KERNEL_VA, 0), 0x200000 | PS | P);
	CHECK_EQ(walk(g, &long_mode, KERNEL_VA, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x200567);
}

/* Clearing P at each level in turn stops the walk there. */
static void test_long_mode_not_present(struct guest *g)
{
	static const uint64_t tables[] = {0x4000, 0x3000, 0x2000, 0x1000};
	uint64_t gpa = 0x1234;

	for (unsigned level = 0; level < 4; level++) {
		uint64_t address =
		    tables[level] + index_at(KERNEL_VA, level) * 8ull;
		uint64_t entry;

		guest_reset(g);
		build_long_mode(g, KERNEL_VA, 0x200000);
		memcpy(&entry, g->memory + address, sizeof(entry));
		put64(g, address, entry & ~P);
		CHECK_EQ(walk(g, &long_mode, KERNEL_VA, &gpa),
			 GUEST_WALK_NOT_PRESENT);
		CHECK_EQ(g->reads, 4 - level);
		CHECK_EQ(gpa, 0x1234); /* untouched */
	}
}

/* Tables the callback cannot read: the walk fails cleanly. */
static void test_long_mode_bad_table(struct guest *g)
{
	struct guest_paging paging = long_mode;
	uint64_t gpa = 0;

	guest_reset(g);
	build_long_mode(g, KERNEL_VA, 0x200000);
	set_entry(g, 0x2000, index_at(KERNEL_VA, 2), 0x80000000ull | P);
	CHECK_EQ(walk(g, &paging, KERNEL_VA, &gpa), GUEST_WALK_BAD_TABLE);
	set_entry(g, 0x2000, index_at(KERNEL_VA, 2), 0x000ffffffffff000ull | P);
	CHECK_EQ(walk(g, &paging, KERNEL_VA, &gpa), GUEST_WALK_BAD_TABLE);

	paging.cr3 = MEMORY_SIZE;
	CHECK_EQ(walk(g, &paging, KERNEL_VA, &gpa), GUEST_WALK_BAD_TABLE);

	/* The last page of memory is a valid table. */
	guest_reset(g);
	paging.cr3 = MEMORY_SIZE - 0x1000;
	set_entry(g, MEMORY_SIZE - 0x1000, 511, 0x2000 | P);
	set_entry(g, 0x2000, 511, 0x3000 | P);
	set_entry(g, 0x3000, 511, 0x4000 | P);
	set_entry(g, 0x4000, 511, 0x5000 | P);
	CHECK_EQ(walk(g, &paging, 0xfffffffffffff00full, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x500f);
}

static void test_five_level(struct guest *g)
{
	struct guest_paging paging = long_mode;
	const uint64_t va = 0xff2a000000001abcull; /* PML5 index 0x12a */
	uint64_t gpa = 0;

	guest_reset(g);
	paging.cr4 |= GUEST_CR4_LA57;
	paging.cr3 = 0x5000;
	CHECK_EQ(index_at(va, 4), 0x12a);
	set_entry(g, 0x5000, index_at(va, 4), 0x1000 | P);
	build_long_mode(g, va, 0x300000);
	CHECK_EQ(walk(g, &paging, va, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x300abc);
	CHECK_EQ(g->reads, 5);

	/* The same va in 4-level mode ignores bits 56:48. */
	paging.cr4 &= ~GUEST_CR4_LA57;
	paging.cr3 = 0x1000;
	CHECK_EQ(walk(g, &paging, va, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x300abc);

	paging.cr4 |= GUEST_CR4_LA57;
	paging.cr3 = 0x5000;
	set_entry(g, 0x5000, index_at(va, 4), 0x1000);
	CHECK_EQ(walk(g, &paging, va, &gpa), GUEST_WALK_NOT_PRESENT);
	set_entry(g, 0x5000, index_at(va, 4), 0x1000 | PS | P);
	CHECK_EQ(walk(g, &paging, va, &gpa), GUEST_WALK_RESERVED);
	set_entry(g, 0x5000, index_at(va, 4), 0x7654000ull | P);
	CHECK_EQ(walk(g, &paging, va, &gpa), GUEST_WALK_BAD_TABLE);
}

static const struct guest_paging pae = {
    .cr0 = GUEST_CR0_PG | CR0_PE,
    .cr3 = 0x6020, /* PDPT: 32-byte aligned */
    .cr4 = GUEST_CR4_PAE,
};

static void test_pae(struct guest *g)
{
	struct guest_paging paging = pae;
	uint64_t gpa = 0;

	guest_reset(g);
	put64(g, 0x6020 + 3 * 8, 0x7000 | P);
	set_entry(g, 0x7000, 0, 0x8000 | P | RW);
	set_entry(g, 0x8000, 0x100, 0x0000004512345000ull | P | NX);
	CHECK_EQ(walk(g, &paging, 0xc0100abc, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x0000004512345abcull);
	CHECK_EQ(g->reads, 3);
	CHECK_EQ(g->read_sizes, 1u << 8);

	/* Only the low 32 bits of the address are translated. */
	CHECK_EQ(walk(g, &paging, 0x5c0100abcull, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x0000004512345abcull);

	/* 2 MiB page in the PD. */
	set_entry(g, 0x7000, 5, 0x00a00000ull | PS | P | NX);
	CHECK_EQ(walk(g, &paging, 0xc0a54321, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x00a54321);

	/* Not present at each level. */
	CHECK_EQ(walk(g, &paging, 0x00100000, &gpa), GUEST_WALK_NOT_PRESENT);
	CHECK_EQ(walk(g, &paging, 0xc0200000, &gpa), GUEST_WALK_NOT_PRESENT);
	CHECK_EQ(walk(g, &paging, 0xc0101000, &gpa), GUEST_WALK_NOT_PRESENT);

	/* PDPTE reserved bits: RW, PS, NX. */
	put64(g, 0x6020 + 3 * 8, 0x7000 | RW | P);
	CHECK_EQ(walk(g, &paging, 0xc0100abc, &gpa), GUEST_WALK_RESERVED);
	put64(g, 0x6020 + 3 * 8, 0x7000 | PS | P);
	CHECK_EQ(walk(g, &paging, 0xc0100abc, &gpa), GUEST_WALK_RESERVED);
	put64(g, 0x6020 + 3 * 8, 0x7000 | NX | P);
	CHECK_EQ(walk(g, &paging, 0xc0100abc, &gpa), GUEST_WALK_RESERVED);

	/* A PDPT beyond memory; a PD beyond memory. */
	paging.cr3 = 0xfffffff0;
	CHECK_EQ(walk(g, &paging, 0xc0100abc, &gpa), GUEST_WALK_BAD_TABLE);
	paging.cr3 = 0x6020;
	put64(g, 0x6020 + 3 * 8, 0x10000000ull | P);
	CHECK_EQ(walk(g, &paging, 0xc0100abc, &gpa), GUEST_WALK_BAD_TABLE);
}

static const struct guest_paging legacy = {
    .cr0 = GUEST_CR0_PG | CR0_PE,
    .cr3 = 0x9000,
};

static void test_legacy_32bit(struct guest *g)
{
	struct guest_paging paging = legacy;
	uint64_t gpa = 0;

	guest_reset(g);
	put32(g, 0x9000 + 0x300 * 4, 0xa000 | P | RW);
	put32(g, 0xa000 + 0x100 * 4, 0x00123000 | P);
	CHECK_EQ(walk(g, &paging, 0xc0100abc, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x123abc);
	CHECK_EQ(g->reads, 2);
	CHECK_EQ(g->read_sizes, 1u << 4); /* 4-byte entries */

	/* High address bits are dropped, as in PAE. */
	CHECK_EQ(walk(g, &paging, 0x1c0100abcull, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x123abc);

	CHECK_EQ(walk(g, &paging, 0xc0101000, &gpa), GUEST_WALK_NOT_PRESENT);
	CHECK_EQ(walk(g, &paging, 0x00100000, &gpa), GUEST_WALK_NOT_PRESENT);

	/* A 4 MiB page needs CR4.PSE; without it PS is ignored. */
	put32(g, 0x9000 + 0x301 * 4, 0x00c00000 | (uint32_t)PS | P);
	paging.cr4 = GUEST_CR4_PSE;
	CHECK_EQ(walk(g, &paging, 0xc0456789, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0xc56789);
	paging.cr4 = 0;
	put32(g, 0x9000 + 0x301 * 4, 0x0000b000 | (uint32_t)PS | P);
	put32(g, 0xb000 + 0x56 * 4, 0x00321000 | P);
	CHECK_EQ(walk(g, &paging, 0xc0456789, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x321789);

	/* PSE-36: PDE bits 20:13 are address bits 39:32; bit 21 reserved. */
	paging.cr4 = GUEST_CR4_PSE;
	put32(g, 0x9000 + 0x301 * 4,
	      0x00c00000 | (0xabu << 13) | (uint32_t)PS | P);
	CHECK_EQ(walk(g, &paging, 0xc0456789, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0xab00c56789ull);
	put32(g, 0x9000 + 0x301 * 4,
	      0x00c00000 | (1u << 21) | (uint32_t)PS | P);
	CHECK_EQ(walk(g, &paging, 0xc0456789, &gpa), GUEST_WALK_RESERVED);

	/* A page table beyond memory. */
	put32(g, 0x9000 + 0x302 * 4, 0x80000000u | P);
	CHECK_EQ(walk(g, &paging, 0xc0800000, &gpa), GUEST_WALK_BAD_TABLE);
}

/* The last PDE of a directory in the last page of memory: a 4-byte read. */
static void test_legacy_entry_at_memory_end(struct guest *g)
{
	struct guest_paging paging = legacy;
	uint64_t gpa = 0;

	guest_reset(g);
	paging.cr3 = MEMORY_SIZE - 0x1000;
	put32(g, MEMORY_SIZE - 4, 0xa000 | P);
	put32(g, 0xa000 + 1023 * 4, 0x00345000 | P);
	CHECK_EQ(walk(g, &paging, 0xfffffff0, &gpa), GUEST_WALK_OK);
	CHECK_EQ(gpa, 0x345ff0);

	paging.cr3 = MEMORY_SIZE;
	CHECK_EQ(walk(g, &paging, 0xfffffff0, &gpa), GUEST_WALK_BAD_TABLE);
}

static void fill_page(struct guest *g, uint64_t page, uint8_t seed)
{
	for (unsigned i = 0; i < 4096; i++)
		g->memory[page + i] = (uint8_t)(seed + i);
}

/* va 0x400000.. maps to scattered physical pages, the fourth is missing. */
static void build_scattered(struct guest *g)
{
	guest_reset(g);
	set_entry(g, 0x1000, 0, 0x2000 | P);
	set_entry(g, 0x2000, 0, 0x3000 | P);
	set_entry(g, 0x3000, 2, 0x4000 | P);
	set_entry(g, 0x4000, 0, 0x300000 | P);
	set_entry(g, 0x4000, 1, 0x100000 | P);
	set_entry(g, 0x4000, 2, 0x200000 | P);
	set_entry(g, 0x4000, 4, 0x7fff000ull | P); /* beyond memory */
	fill_page(g, 0x300000, 0x10);
	fill_page(g, 0x100000, 0x50);
	fill_page(g, 0x200000, 0x90);
}

static void test_read_virtual(struct guest *g)
{
	uint8_t out[3 * 4096];
	size_t copied;

	build_scattered(g);

	/* 15 bytes at the end of one page and the start of the next */
	memset(out, 0, sizeof(out));
	copied =
	    guest_read_virtual(&long_mode, 0x400ff6, guest_read, g, out, 15);
	CHECK_EQ(copied, 15);
	CHECK(!memcmp(out, g->memory + 0x300ff6, 10));
	CHECK(!memcmp(out + 10, g->memory + 0x100000, 5));

	/* Three pages; the third ends where the unmapped fourth begins. */
	copied = guest_read_virtual(&long_mode, 0x400800, guest_read, g, out,
				    sizeof(out));
	CHECK_EQ(copied, 0x2800);
	CHECK(!memcmp(out, g->memory + 0x300800, 0x800));
	CHECK(!memcmp(out + 0x800, g->memory + 0x100000, 0x1000));
	CHECK(!memcmp(out + 0x1800, g->memory + 0x200000, 0x1000));

	/* Second page unmapped: only the first part. */
	copied =
	    guest_read_virtual(&long_mode, 0x402ffc, guest_read, g, out, 15);
	CHECK_EQ(copied, 4);
	CHECK(!memcmp(out, g->memory + 0x200ffc, 4));

	/* First page unmapped, or mapped beyond memory: nothing. */
	CHECK_EQ(
	    guest_read_virtual(&long_mode, 0x403000, guest_read, g, out, 15),
	    0);
	CHECK_EQ(
	    guest_read_virtual(&long_mode, 0x404000, guest_read, g, out, 15),
	    0);
	CHECK_EQ(
	    guest_read_virtual(&long_mode, 0x400000, guest_read, g, out, 0), 0);
}

static void test_read_virtual_no_paging(struct guest *g)
{
	struct guest_paging paging = {.cr0 = CR0_PE};
	uint8_t out[16];

	guest_reset(g);
	fill_page(g, MEMORY_SIZE - 0x1000, 0x33);
	CHECK_EQ(guest_read_virtual(&paging, MEMORY_SIZE - 8, guest_read, g,
				    out, sizeof(out)),
		 8);
	CHECK(!memcmp(out, g->memory + MEMORY_SIZE - 8, 8));
	CHECK_EQ(guest_read_virtual(&paging, 0x1000, guest_read, g, out,
				    sizeof(out)),
		 16);
}

static void run_tests(void)
{
	struct guest g = {.memory = malloc(MEMORY_SIZE)};

	test_no_paging(&g);
	test_long_mode_4k(&g);
	test_long_mode_large(&g);
	test_long_mode_not_present(&g);
	test_long_mode_bad_table(&g);
	test_five_level(&g);
	test_pae(&g);
	test_legacy_32bit(&g);
	test_legacy_entry_at_memory_end(&g);
	test_read_virtual(&g);
	test_read_virtual_no_paging(&g);
	free(g.memory);
}
