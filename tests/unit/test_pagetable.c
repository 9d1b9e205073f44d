/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the page-table builder (lib/pagetable.c) with the x86-64
 * entry formats (lib/x86_paging.c): page-size selection, table counts,
 * translation, the bits of every entry in supervisor and NPT flavours, and
 * the refusals (overlap, misalignment, overflow, allocator exhaustion).
 * Tables come from a pool of real pages given fake physical addresses, so
 * a confusion of physical and virtual addresses cannot go unnoticed.
 */
#include <bulkhead/pagetable.h>
#include <bulkhead/x86_paging.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_pagetable")

#define POOL_PAGES 64
#define POOL_BASE 0x10000000ull
#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define HOST 0x40000000ull

struct pool {
	uint8_t *pages;
	size_t used;
	size_t limit; /* allocations that succeed */
	size_t bad_lookups;
};

static void *pool_allocate(void *context, uint64_t *physical)
{
	struct pool *pool = context;

	if (pool->used >= pool->limit || pool->used >= POOL_PAGES)
		return NULL;
	*physical = POOL_BASE + pool->used * PAGE_SIZE;
	/* The pool starts as 0xcc junk; the contract says zeroed pages. */
	memset(pool->pages + pool->used * PAGE_SIZE, 0, PAGE_SIZE);
	return pool->pages + pool->used++ * PAGE_SIZE;
}

static void *pool_pointer(void *context, uint64_t physical)
{
	struct pool *pool = context;

	if (physical < POOL_BASE || (physical - POOL_BASE) % PAGE_SIZE ||
	    (physical - POOL_BASE) / PAGE_SIZE >= pool->used) {
		pool->bad_lookups++;
		fprintf(stderr, "bad table address 0x%llx\n",
			(unsigned long long)physical);
		abort();
	}
	return pool->pages + (physical - POOL_BASE);
}

struct fixture {
	struct pool pool;
	struct pagetable_allocator allocator;
	struct pagetable_format format;
	struct pagetable table;
};

enum flavour { SUPERVISOR, NESTED };

/* limit: how many pages the allocator hands out before failing. */
static bool setup(struct fixture *f, enum flavour flavour, unsigned max_level,
		  size_t limit)
{
	memset(f, 0, sizeof(*f));
	f->pool.pages = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	memset(f->pool.pages, 0xcc, POOL_PAGES * PAGE_SIZE);
	f->pool.limit = limit;
	f->allocator = (struct pagetable_allocator){ pool_allocate,
						     pool_pointer, &f->pool };
	if (flavour == NESTED)
		x86_paging_format_nested(&f->format, max_level);
	else
		x86_paging_format_supervisor(&f->format, max_level);
	return pagetable_init(&f->table, &f->format, &f->allocator);
}

static void teardown(struct fixture *f)
{
	free(f->pool.pages);
}

#define LEAVES_MAX 2048

struct leaf {
	uint64_t virtual_address, physical, size, entry;
};

struct leaves {
	struct leaf leaf[LEAVES_MAX];
	size_t count;
	uint64_t mapped;
	size_t stop_after; /* 0: never stop */
};

static bool collect(void *context, uint64_t virtual_address, uint64_t physical,
		    uint64_t size, uint64_t entry)
{
	struct leaves *l = context;

	if (l->count < LEAVES_MAX)
		l->leaf[l->count] = (struct leaf){ virtual_address, physical,
						   size, entry };
	l->count++;
	l->mapped += size;
	return !(l->stop_after && l->count >= l->stop_after);
}

static struct leaves *leaves_of(const struct pagetable *table)
{
	static struct leaves leaves;

	memset(&leaves, 0, sizeof(leaves));
	CHECK(pagetable_for_each_leaf(table, collect, &leaves));
	return &leaves;
}

/* Every leaf of size page_size and mapping virtual + offset to host +
 * offset: the number of leaves that break this. */
static size_t leaves_not_linear(const struct leaves *l, uint64_t virtual_base,
				uint64_t host, uint64_t page_size)
{
	size_t bad = 0;

	for (size_t i = 0; i < l->count && i < LEAVES_MAX; i++) {
		const struct leaf *leaf = &l->leaf[i];

		if (leaf->size != page_size ||
		    leaf->virtual_address != virtual_base + i * page_size ||
		    leaf->physical != host + i * page_size)
			bad++;
	}
	return bad;
}

static void test_large_pages(void)
{
	static const struct {
		enum flavour flavour;
		unsigned max_level;
	} formats[] = { { NESTED, 1 }, { NESTED, 2 }, { SUPERVISOR, 1 },
			{ SUPERVISOR, 2 } };

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct fixture f;
		struct leaves *l;

		CHECK(setup(&f, formats[i].flavour, formats[i].max_level,
			    POOL_PAGES));
		CHECK_EQ(f.table.root, POOL_BASE);
		CHECK_EQ(f.table.table_count, 1);
		CHECK(pagetable_map_range(&f.table, 0, HOST, 64 * MIB, PT_RWX));
		l = leaves_of(&f.table);
		CHECK_EQ(l->count, 32);
		CHECK_EQ(l->mapped, 64 * MIB);
		CHECK_EQ(leaves_not_linear(l, 0, HOST, LARGE_PAGE_SIZE), 0);
		CHECK_EQ(f.table.table_count, 3);
		CHECK_EQ(f.pool.used, 3);
		teardown(&f);
	}
}

static void test_huge_pages(void)
{
	struct fixture f;
	struct leaves *l;

	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, GIB, 2 * GIB, 2 * GIB, PT_RWX));
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 2);
	CHECK_EQ(leaves_not_linear(l, GIB, 2 * GIB, HUGE_PAGE_SIZE), 0);
	CHECK_EQ(f.table.table_count, 2);
	CHECK(l->leaf[0].entry & X86_PTE_LARGE);
	teardown(&f);

	/* Without 1 GiB pages: 1024 pages of 2 MiB in two directories. */
	CHECK(setup(&f, NESTED, 1, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, GIB, 2 * GIB, 2 * GIB, PT_RWX));
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 1024);
	CHECK_EQ(leaves_not_linear(l, GIB, 2 * GIB, LARGE_PAGE_SIZE), 0);
	CHECK_EQ(f.table.table_count, 4);
	teardown(&f);

	/* 1 GiB-aligned virtual but only 2 MiB-aligned host: 2 MiB pages. */
	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, GIB, GIB + 2 * MIB, GIB, PT_RWX));
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 512);
	CHECK_EQ(leaves_not_linear(l, GIB, GIB + 2 * MIB, LARGE_PAGE_SIZE), 0);
	teardown(&f);
}

static void test_small_pages(void)
{
	struct fixture f;
	struct leaves *l;

	/* Host only 4 KiB aligned: 4 KiB pages throughout. */
	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, 0, HOST + PAGE_SIZE, 4 * MIB,
				  PT_RWX));
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 1024);
	CHECK_EQ(leaves_not_linear(l, 0, HOST + PAGE_SIZE, PAGE_SIZE), 0);
	CHECK_EQ(f.table.table_count, 5); /* PML4, PDPT, PD, 2 PTs */
	CHECK(!(l->leaf[0].entry & X86_PTE_LARGE));
	teardown(&f);

	/* Start 4 KiB below a 2 MiB boundary: 4K, 2M, 2M, then 4K, 4K. */
	CHECK(setup(&f, SUPERVISOR, 2, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, 2 * MIB - PAGE_SIZE,
				  HOST + 2 * MIB - PAGE_SIZE,
				  PAGE_SIZE + 4 * MIB + 2 * PAGE_SIZE, PT_RWX));
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 5);
	static const uint64_t starts[] = { 0x1ff000, 0x200000, 0x400000,
					   0x600000, 0x601000 };
	static const uint64_t sizes[] = { PAGE_SIZE, LARGE_PAGE_SIZE,
					  LARGE_PAGE_SIZE, PAGE_SIZE,
					  PAGE_SIZE };
	for (size_t i = 0; i < 5 && i < l->count; i++) {
		CHECK_EQ(l->leaf[i].virtual_address, starts[i]);
		CHECK_EQ(l->leaf[i].physical, HOST + starts[i]);
		CHECK_EQ(l->leaf[i].size, sizes[i]);
	}
	/* PML4, PDPT, PD, a PT for 0x1ff000 and one for 0x600000. */
	CHECK_EQ(f.table.table_count, 5);
	teardown(&f);
}

static void test_translate(void)
{
	struct fixture f;
	uint64_t physical = 0, entry = 0;
	unsigned level = 99;

	CHECK(setup(&f, NESTED, 1, POOL_PAGES));
	CHECK(!pagetable_translate(&f.table, 0, &physical, &level, &entry));
	CHECK(!pagetable_translate(&f.table, 0x12345000, &physical, NULL,
				   NULL));
	CHECK(pagetable_map_range(&f.table, 0, HOST, 64 * MIB, PT_RWX));

	CHECK(pagetable_translate(&f.table, 0, &physical, &level, &entry));
	CHECK_EQ(physical, HOST);
	CHECK_EQ(level, 1);
	CHECK(entry & X86_PTE_PRESENT);
	CHECK(pagetable_translate(&f.table, 64 * MIB - 1, &physical, &level,
				  NULL));
	CHECK_EQ(physical, HOST + 64 * MIB - 1);
	CHECK(pagetable_translate(&f.table, 0x1234567, &physical, NULL, NULL));
	CHECK_EQ(physical, HOST + 0x1234567);
	CHECK(!pagetable_translate(&f.table, 64 * MIB, &physical, NULL, NULL));
	CHECK(!pagetable_translate(&f.table, GIB, &physical, NULL, NULL));

	/* A 4 KiB mapping elsewhere translates at level 0. */
	CHECK(pagetable_map_range(&f.table, GIB + PAGE_SIZE, 0x7000, PAGE_SIZE,
				  PT_READ));
	CHECK(pagetable_translate(&f.table, GIB + PAGE_SIZE + 0xabc, &physical,
				  &level, &entry));
	CHECK_EQ(physical, 0x7abc);
	CHECK_EQ(level, 0);
	CHECK(!pagetable_translate(&f.table, GIB, &physical, NULL, NULL));
	CHECK(!pagetable_translate(&f.table, GIB + 2 * PAGE_SIZE, &physical,
				   NULL, NULL));
	teardown(&f);

	/* 1 GiB page: the offset within it is kept. */
	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, GIB, 4 * GIB, GIB, PT_RWX));
	CHECK(pagetable_translate(&f.table, GIB + 0x3ffffff8, &physical,
				  &level, NULL));
	CHECK_EQ(physical, 4 * GIB + 0x3ffffff8);
	CHECK_EQ(level, 2);
	CHECK(!pagetable_translate(&f.table, GIB - 1, &physical, NULL, NULL));
	CHECK(!pagetable_translate(&f.table, 2 * GIB, &physical, NULL, NULL));
	teardown(&f);
}

struct entry_census {
	struct fixture *f;
	size_t tables, leaves;
	size_t table_bad;  /* table entries with wrong bits */
	size_t leaf_bad;   /* leaves with wrong bits */
	uint64_t leaf_must, leaf_must_not;
	uint64_t table_must, table_must_not;
};

/* Walks the raw entries, below the library's own traversal. */
static void census(struct entry_census *c, const uint64_t *entries,
		   unsigned level)
{
	c->tables++;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = entries[i];
		bool leaf = level == 0 || (e & X86_PTE_LARGE);

		if (!(e & X86_PTE_PRESENT)) {
			if (e)
				c->table_bad++; /* junk in an empty slot */
			continue;
		}
		if (level == 3 && (e & X86_PTE_LARGE)) {
			c->table_bad++;
			continue;
		}
		if (leaf) {
			c->leaves++;
			bool large_ok = level ? (e & X86_PTE_LARGE) != 0
					      : (e & X86_PTE_LARGE) == 0;
			if ((e & c->leaf_must) != c->leaf_must ||
			    (e & c->leaf_must_not) || !large_ok)
				c->leaf_bad++;
		} else {
			if ((e & c->table_must) != c->table_must ||
			    (e & c->table_must_not))
				c->table_bad++;
			census(c, pool_pointer(&c->f->pool,
					       e & X86_PTE_ADDRESS_MASK),
			       level - 1);
		}
	}
}

static struct entry_census take_census(struct fixture *f, uint64_t leaf_must,
				       uint64_t leaf_must_not,
				       uint64_t table_must,
				       uint64_t table_must_not)
{
	struct entry_census c = { f, 0, 0, 0, 0, leaf_must, leaf_must_not,
				  table_must, table_must_not };

	census(&c, f->table.root_pointer, 3);
	return c;
}

/* A mix of 1 GiB, 2 MiB and 4 KiB leaves with the given flags. */
static void map_mixed(struct fixture *f, uint32_t flags)
{
	CHECK(pagetable_map_range(&f->table, 0, 0, GIB, flags));
	CHECK(pagetable_map_range(&f->table, GIB, HOST, 4 * MIB, flags));
	CHECK(pagetable_map_range(&f->table, 2 * GIB, 0x5000, 3 * PAGE_SIZE,
				  flags));
	CHECK(pagetable_map_range(&f->table, 1ull << 40, 0x200000,
				  2 * MIB, flags));
}

static void test_entry_bits(void)
{
	const uint64_t pw = X86_PTE_PRESENT | X86_PTE_WRITE;
	const uint64_t cache = X86_PTE_CACHE_DISABLE | X86_PTE_WRITE_THROUGH;
	struct entry_census c;
	struct fixture f;

	/* NPT: User everywhere; executable leaves have no NX. */
	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	map_mixed(&f, PT_RWX);
	c = take_census(&f, pw | X86_PTE_USER, X86_PTE_NO_EXECUTE | cache,
			pw | X86_PTE_USER, X86_PTE_NO_EXECUTE | X86_PTE_LARGE);
	CHECK_EQ(c.leaves, 1 + 2 + 3 + 1);
	CHECK_EQ(c.tables, f.table.table_count);
	CHECK_EQ(c.table_bad, 0);
	CHECK_EQ(c.leaf_bad, 0);
	teardown(&f);

	/* NPT without PT_EXECUTE: NX on every leaf, not on tables. */
	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	map_mixed(&f, PT_READ | PT_WRITE);
	c = take_census(&f, pw | X86_PTE_USER | X86_PTE_NO_EXECUTE, cache,
			pw | X86_PTE_USER, X86_PTE_NO_EXECUTE);
	CHECK_EQ(c.leaves, 7);
	CHECK_EQ(c.table_bad, 0);
	CHECK_EQ(c.leaf_bad, 0);
	teardown(&f);

	/* Read-only, uncached. */
	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	map_mixed(&f, PT_READ | PT_UNCACHED);
	c = take_census(&f,
			X86_PTE_PRESENT | X86_PTE_USER | X86_PTE_NO_EXECUTE |
				cache,
			X86_PTE_WRITE, pw | X86_PTE_USER, X86_PTE_NO_EXECUTE);
	CHECK_EQ(c.leaves, 7);
	CHECK_EQ(c.table_bad, 0);
	CHECK_EQ(c.leaf_bad, 0);
	teardown(&f);

	/* Supervisor: no User bit anywhere. */
	CHECK(setup(&f, SUPERVISOR, 2, POOL_PAGES));
	map_mixed(&f, PT_RWX | PT_UNCACHED);
	c = take_census(&f, pw | cache, X86_PTE_USER | X86_PTE_NO_EXECUTE, pw,
			X86_PTE_USER | X86_PTE_NO_EXECUTE | X86_PTE_LARGE);
	CHECK_EQ(c.leaves, 7);
	CHECK_EQ(c.table_bad, 0);
	CHECK_EQ(c.leaf_bad, 0);
	teardown(&f);

	/* Leaf addresses: the address bits hold exactly the host address. */
	CHECK(setup(&f, SUPERVISOR, 1, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, 0, 0x000ffffffffff000ull - 0xfff000,
				  PAGE_SIZE, PT_READ));
	uint64_t physical, entry;
	CHECK(pagetable_translate(&f.table, 0x10, &physical, NULL, &entry));
	CHECK_EQ(physical, 0x000ffffffffff000ull - 0xfff000 + 0x10);
	CHECK_EQ(entry & X86_PTE_ADDRESS_MASK,
		 0x000ffffffffff000ull - 0xfff000);
	teardown(&f);
}

static void test_refusals(void)
{
	struct fixture f;
	struct leaves *l;

	CHECK(setup(&f, NESTED, 2, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, 0, HOST, 4 * MIB, PT_RWX));
	uint32_t tables = f.table.table_count;
	/* Overlapping an existing 2 MiB page, at its start or inside it. */
	CHECK(!pagetable_map_range(&f.table, 2 * MIB, HOST, 4 * MIB, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, PAGE_SIZE, 0, PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, 0, 0, 4 * MIB, PT_RWX));
	/* A 1 GiB page over a directory that already holds mappings. */
	CHECK(!pagetable_map_range(&f.table, 0, 0, GIB, PT_RWX));
	/* A 2 MiB page over a page table that holds a 4 KiB page. */
	CHECK(pagetable_map_range(&f.table, 8 * MIB, 0x3000, PAGE_SIZE,
				  PT_RWX));
	CHECK(!pagetable_map_range(&f.table, 8 * MIB, HOST, 2 * MIB, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, 8 * MIB, 0x9000, PAGE_SIZE,
				   PT_RWX));
	/* A neighbouring 4 KiB page in the same page table is fine. */
	CHECK(pagetable_map_range(&f.table, 8 * MIB + PAGE_SIZE, 0x9000,
				  PAGE_SIZE, PT_RWX));
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 4);
	CHECK_EQ(l->mapped, 4 * MIB + 2 * PAGE_SIZE);
	uint64_t physical;
	CHECK(pagetable_translate(&f.table, 2 * MIB, &physical, NULL, NULL));
	CHECK_EQ(physical, HOST + 2 * MIB); /* unchanged by the refusals */
	CHECK_EQ(f.table.table_count, tables + 1);

	/* Misaligned arguments allocate nothing. */
	tables = f.table.table_count;
	CHECK(!pagetable_map_range(&f.table, GIB + 0x800, 0, PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, GIB, 0x800, PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, GIB, 0, PAGE_SIZE + 1, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, GIB + 1, 1, 1, PT_RWX));

	/* Overflow: wrapping virtual or physical ranges, beyond 2^48. */
	CHECK(!pagetable_map_range(&f.table, 0xfffffffffffff000ull, 0,
				   2 * PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, 0xfffffffffffff000ull, 0,
				   PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, GIB, 0xfffffffffffff000ull,
				   2 * PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, (1ull << 48) - PAGE_SIZE, 0,
				   2 * PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, 1ull << 48, 0, PAGE_SIZE, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, GIB, 0, 0xfffffffffffff000ull,
				   PT_RWX));
	CHECK_EQ(f.table.table_count, tables);
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 4);

	/* The very last page below 2^48 can be mapped. */
	CHECK(pagetable_map_range(&f.table, (1ull << 48) - PAGE_SIZE, 0x4000,
				  PAGE_SIZE, PT_RWX));
	CHECK(pagetable_translate(&f.table, (1ull << 48) - 1, &physical, NULL,
				  NULL));
	CHECK_EQ(physical, 0x4fff);
	l = leaves_of(&f.table);
	CHECK_EQ(l->count, 5);
	CHECK_EQ(l->leaf[4].virtual_address, (1ull << 48) - PAGE_SIZE);
	teardown(&f);
}

static void test_traversal_stop(void)
{
	struct fixture f;
	static struct leaves l;

	CHECK(setup(&f, NESTED, 1, POOL_PAGES));
	CHECK(pagetable_map_range(&f.table, 0, HOST, 64 * MIB, PT_RWX));
	memset(&l, 0, sizeof(l));
	l.stop_after = 5;
	CHECK(!pagetable_for_each_leaf(&f.table, collect, &l));
	CHECK_EQ(l.count, 5);
	teardown(&f);

	/* An empty table has no leaves. */
	CHECK(setup(&f, SUPERVISOR, 2, POOL_PAGES));
	CHECK_EQ(leaves_of(&f.table)->count, 0);
	teardown(&f);
}

static void test_exhaustion(void)
{
	struct fixture f;

	CHECK(!setup(&f, NESTED, 2, 0));
	CHECK_EQ(f.table.table_count, 0);
	teardown(&f);

	/* Root and PDPT only: a 2 MiB page needs a directory too. */
	CHECK(setup(&f, NESTED, 2, 2));
	CHECK(!pagetable_map_range(&f.table, 0, HOST, 2 * MIB, PT_RWX));
	CHECK_EQ(f.pool.used, 2);
	CHECK_EQ(f.table.table_count, 2);
	/* ... while a 1 GiB page fits. */
	CHECK(pagetable_map_range(&f.table, GIB, 0, GIB, PT_RWX));
	teardown(&f);

	/* Three tables: 2 MiB pages fit, a 4 KiB page does not. */
	CHECK(setup(&f, SUPERVISOR, 1, 3));
	CHECK(pagetable_map_range(&f.table, 0, HOST, 4 * MIB, PT_RWX));
	CHECK(!pagetable_map_range(&f.table, 4 * MIB, HOST, PAGE_SIZE,
				   PT_RWX));
	CHECK_EQ(f.table.table_count, 3);
	CHECK_EQ(leaves_of(&f.table)->count, 2);
	teardown(&f);

	/* Running dry in the middle of a range fails cleanly. */
	CHECK(setup(&f, SUPERVISOR, 1, 4));
	CHECK(!pagetable_map_range(&f.table, 0, PAGE_SIZE, 4 * MIB, PT_RWX));
	CHECK_EQ(f.table.table_count, 4);
	CHECK_EQ(f.pool.bad_lookups, 0);
	teardown(&f);
}

static void run_tests(void)
{
	test_large_pages();
	test_huge_pages();
	test_small_pages();
	test_translate();
	test_entry_bits();
	test_refusals();
	test_traversal_stop();
	test_exhaustion();
}
