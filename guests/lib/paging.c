/* SPDX-License-Identifier: MIT */
/*
 * Walks the 4-level page tables from CR3 and installs 2 MiB identity
 * mappings, taking any missing table pages from a small static pool.
 */
#include <string.h>

#include "cpu.h"
#include "paging.h"

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITABLE (1ull << 1)
#define PTE_WRITE_THROUGH (1ull << 3)
#define PTE_CACHE_DISABLE (1ull << 4)
#define PTE_LARGE (1ull << 7)
#define PTE_ADDRESS 0x000ffffffffff000ull

#define PAGE_2M (2ull << 20)
#define LOWER_HALF_END (1ull << 47)

static uint64_t spare_tables[GUEST_PAGING_SPARE_TABLES][512]
	__attribute__((aligned(4096)));
static unsigned spare_used;

/* The table an entry points to, created when absent; NULL when the entry
 * is a large page (already mapping the address) or the pool is empty. */
static uint64_t *next_table(uint64_t *entry, bool *large)
{
	uint64_t *table;

	if (*entry & PTE_PRESENT) {
		if (*entry & PTE_LARGE) {
			*large = true;
			return NULL;
		}
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDRESS);
	}
	if (spare_used == GUEST_PAGING_SPARE_TABLES)
		return NULL;
	table = spare_tables[spare_used++];
	memset(table, 0, sizeof(spare_tables[0]));
	*entry = (uintptr_t)table | PTE_PRESENT | PTE_WRITABLE;
	return table;
}

int guest_map_identity_2m(uint64_t address, bool uncached)
{
	uint64_t *table = (uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDRESS);
	uint64_t page = address & ~(PAGE_2M - 1);
	unsigned shift;
	bool large = false;

	if (address >= LOWER_HALF_END)
		return -1;
	/* PML4 (bits 47:39), then PDPT (38:30): down to the page directory. */
	for (shift = 39; shift >= 30; shift -= 9) {
		table = next_table(&table[(address >> shift) & 511], &large);
		if (large)
			return 0; /* a 1 GiB page maps it already */
		if (!table)
			return -1;
	}
	table[(address >> 21) & 511] = page | PTE_PRESENT | PTE_WRITABLE |
		PTE_LARGE |
		(uncached ? PTE_CACHE_DISABLE | PTE_WRITE_THROUGH : 0);
	invlpg(address);
	write_cr3(read_cr3());
	return 0;
}
