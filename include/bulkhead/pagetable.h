/* SPDX-License-Identifier: MIT */
/*
 * A generic builder of x86-64 style four-level page tables. The entry
 * encoding comes from a format (host paging, AMD NPT, Intel EPT, a guest's
 * own tables), the pages from an allocator, so the logic is pure and is
 * unit-tested on the host. Mappings use the largest page the alignment of
 * both addresses, the remaining size and the format allow.
 */
#ifndef BULKHEAD_PAGETABLE_H
#define BULKHEAD_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE 4096ull
#define LARGE_PAGE_SIZE (2ull << 20)
#define HUGE_PAGE_SIZE (1ull << 30)

/* Access and memory-type flags of a mapping. */
#define PT_READ 0x1u
#define PT_WRITE 0x2u
#define PT_EXECUTE 0x4u
#define PT_UNCACHED 0x8u /* MMIO; otherwise write-back */
#define PT_RWX (PT_READ | PT_WRITE | PT_EXECUTE)

/* Levels: 0 = 4 KiB page table, 1 = 2 MiB directory, 2 = 1 GiB, 3 = PML4. */
struct pagetable_format {
	const char *name;
	uint64_t (*table_entry)(uint64_t table_physical);
	/* Optional, used instead of table_entry when set: for formats whose
	 * table entries name a level (AMD-Vi's NextLevel). level is the
	 * level of the table that holds the entry (1-3); the table it points
	 * to is at level - 1. */
	uint64_t (*table_entry_at)(uint64_t table_physical, unsigned level);
	uint64_t (*leaf_entry)(uint64_t physical, unsigned level, uint32_t flags);
	bool (*present)(uint64_t entry);
	bool (*is_leaf)(uint64_t entry, unsigned level);
	uint64_t address_mask;   /* physical address bits of an entry */
	unsigned max_leaf_level; /* 1: up to 2 MiB pages, 2: up to 1 GiB */
};

struct pagetable_allocator {
	/* Returns a zeroed page and its physical address, or NULL. */
	void *(*allocate_page)(void *context, uint64_t *physical);
	/* Turns a table's physical address back into a pointer. */
	void *(*to_pointer)(void *context, uint64_t physical);
	void *context;
};

struct pagetable {
	const struct pagetable_format *format;
	const struct pagetable_allocator *allocator;
	uint64_t root; /* physical address of the top-level table */
	uint64_t *root_pointer;
	uint32_t table_count; /* tables allocated, root included */
};

bool pagetable_init(struct pagetable *table,
		    const struct pagetable_format *format,
		    const struct pagetable_allocator *allocator);

/* Maps [virtual, virtual + size) to [physical, ...). All three must be
 * 4 KiB aligned; the range must not already be mapped. Returns false when
 * an argument is invalid or the allocator runs dry. */
bool pagetable_map_range(struct pagetable *table, uint64_t virtual_address,
			 uint64_t physical, uint64_t size, uint32_t flags);

/* Looks up one address; returns false when it is not mapped. */
bool pagetable_translate(const struct pagetable *table, uint64_t virtual_address,
			 uint64_t *physical, unsigned *level, uint64_t *entry);

/* Calls visit for every leaf mapping; stops and returns false when visit
 * does. */
bool pagetable_for_each_leaf(const struct pagetable *table,
			     bool (*visit)(void *context, uint64_t virtual_address,
					   uint64_t physical, uint64_t size,
					   uint64_t entry),
			     void *context);

static inline uint64_t pagetable_level_size(unsigned level)
{
	return PAGE_SIZE << (9 * level);
}

#endif
