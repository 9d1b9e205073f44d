/* SPDX-License-Identifier: MIT */
/*
 * Walks a guest's page tables in software: 32-bit, PAE, 4-level and 5-level
 * paging, with 4 MiB, 2 MiB and 1 GiB pages. Every entry is read through the
 * caller's callback, so a hostile table pointer can only make a read fail.
 * Permissions are not checked: the walk serves instruction fetches by the
 * hypervisor, not guest accesses.
 */
#include <bulkhead/guest_walk.h>

#define ENTRY_PRESENT	   (1ull << 0)
#define ENTRY_LARGE	   (1ull << 7)
#define ENTRY_ADDRESS_MASK 0x000ffffffffff000ull
#define GUEST_PAGE_SIZE	   4096ull
#define PAGE_OFFSET_MASK   (GUEST_PAGE_SIZE - 1)

/* Long-mode and PAE levels: 0 page table ... 4 PML5; 9 address bits each. */
#define LEVEL_BITS	 9
#define LEVEL_INDEX_MASK 511ull
#define LEVEL_PDPT	 2

/* PAE PDPTEs: bits 2:1, 8:5 and 63:52 must be zero. */
#define PAE_PDPTE_RESERVED (0xfff0000000000000ull | 0x1e6ull)
#define PAE_PDPT_MASK	   0xffffffe0ull

/* 32-bit paging: 10 address bits a level, 4-byte entries. */
#define LEGACY_INDEX_MASK	  1023u
#define LEGACY_ADDRESS_MASK	  0xfffff000u
#define LEGACY_LARGE_ADDRESS_MASK 0xffc00000u
#define LEGACY_LARGE_OFFSET_MASK  0x3fffffu
#define LEGACY_LARGE_RESERVED	  (1u << 21)
/* PSE-36: 4 MiB PDE bits 20:13 are address bits 39:32. */
#define LEGACY_PSE36_SHIFT 13

static unsigned level_shift(unsigned level)
{
	return 12 + LEVEL_BITS * level;
}

static enum guest_walk_result read_entry(guest_read_fn read, void *context,
					 uint64_t address, uint64_t *entry)
{
	if (!read(context, address, entry, sizeof(*entry)))
		return GUEST_WALK_BAD_TABLE;
	if (!(*entry & ENTRY_PRESENT))
		return GUEST_WALK_NOT_PRESENT;
	return GUEST_WALK_OK;
}

/*
 * A large-page leaf at `level` (1 GiB at the PDPT, 2 MiB at the PD). Bit 12
 * is PAT; the address bits below the page size above it must be zero.
 */
static enum guest_walk_result large_leaf(uint64_t entry, unsigned level,
					 uint64_t virtual_address,
					 uint64_t *guest_physical)
{
	uint64_t offset_mask = (1ull << level_shift(level)) - 1;
	uint64_t reserved = offset_mask & ~(2 * GUEST_PAGE_SIZE - 1);

	if (level > LEVEL_PDPT || (entry & reserved))
		return GUEST_WALK_RESERVED;
	*guest_physical = (entry & ENTRY_ADDRESS_MASK & ~offset_mask) |
			  (virtual_address & offset_mask);
	return GUEST_WALK_OK;
}

/* Walks 8-byte-entry tables from `level` down to the 4 KiB page table. */
static enum guest_walk_result walk_levels(uint64_t table, unsigned level,
					  uint64_t virtual_address,
					  guest_read_fn read, void *context,
					  uint64_t *guest_physical)
{
	for (;; level--) {
		uint64_t index =
		    (virtual_address >> level_shift(level)) & LEVEL_INDEX_MASK;
		enum guest_walk_result result;
		uint64_t entry;

		result = read_entry(read, context, table + index * 8, &entry);
		if (result != GUEST_WALK_OK)
			return result;
		if (level == 0) {
			*guest_physical = (entry & ENTRY_ADDRESS_MASK) |
					  (virtual_address & PAGE_OFFSET_MASK);
			return GUEST_WALK_OK;
		}
		if (entry & ENTRY_LARGE)
			return large_leaf(entry, level, virtual_address,
					  guest_physical);
		table = entry & ENTRY_ADDRESS_MASK;
	}
}

/* PAE: four PDPTEs at CR3 bits 31:5, then a 2-level 64-bit walk. */
static enum guest_walk_result walk_pae(const struct guest_paging *paging,
				       uint32_t virtual_address,
				       guest_read_fn read, void *context,
				       uint64_t *guest_physical)
{
	uint64_t pdpt = paging->cr3 & PAE_PDPT_MASK;
	uint64_t index = virtual_address >> level_shift(LEVEL_PDPT);
	enum guest_walk_result result;
	uint64_t entry;

	result = read_entry(read, context, pdpt + index * 8, &entry);
	if (result != GUEST_WALK_OK)
		return result;
	if (entry & PAE_PDPTE_RESERVED)
		return GUEST_WALK_RESERVED;
	return walk_levels(entry & ENTRY_ADDRESS_MASK, LEVEL_PDPT - 1,
			   virtual_address, read, context, guest_physical);
}

static enum guest_walk_result read_legacy_entry(guest_read_fn read,
						void *context, uint64_t address,
						uint32_t *entry)
{
	if (!read(context, address, entry, sizeof(*entry)))
		return GUEST_WALK_BAD_TABLE;
	if (!(*entry & ENTRY_PRESENT))
		return GUEST_WALK_NOT_PRESENT;
	return GUEST_WALK_OK;
}

/* A 4 MiB page; PDE bits 20:13 give address bits 39:32 (PSE-36). */
static enum guest_walk_result legacy_large_leaf(uint32_t pde,
						uint32_t virtual_address,
						uint64_t *guest_physical)
{
	uint64_t high = (pde >> LEGACY_PSE36_SHIFT) & 0xff;

	if (pde & LEGACY_LARGE_RESERVED)
		return GUEST_WALK_RESERVED;
	*guest_physical = (high << 32) | (pde & LEGACY_LARGE_ADDRESS_MASK) |
			  (virtual_address & LEGACY_LARGE_OFFSET_MASK);
	return GUEST_WALK_OK;
}

/* 32-bit paging: a page directory and a page table of 4-byte entries. */
static enum guest_walk_result walk_legacy(const struct guest_paging *paging,
					  uint32_t virtual_address,
					  guest_read_fn read, void *context,
					  uint64_t *guest_physical)
{
	uint64_t directory = paging->cr3 & LEGACY_ADDRESS_MASK;
	uint32_t directory_index = virtual_address >> 22;
	uint32_t table_index = (virtual_address >> 12) & LEGACY_INDEX_MASK;
	enum guest_walk_result result;
	uint32_t pde, pte;

	result = read_legacy_entry(read, context,
				   directory + directory_index * 4, &pde);
	if (result != GUEST_WALK_OK)
		return result;
	if ((paging->cr4 & GUEST_CR4_PSE) && (pde & ENTRY_LARGE))
		return legacy_large_leaf(pde, virtual_address, guest_physical);
	result = read_legacy_entry(
	    read, context, (pde & LEGACY_ADDRESS_MASK) + table_index * 4, &pte);
	if (result != GUEST_WALK_OK)
		return result;
	*guest_physical =
	    (pte & LEGACY_ADDRESS_MASK) | (virtual_address & PAGE_OFFSET_MASK);
	return GUEST_WALK_OK;
}

/* The top long-mode levels (PML5, PML4) have no large pages. */
static enum guest_walk_result walk_long_mode(const struct guest_paging *paging,
					     uint64_t virtual_address,
					     guest_read_fn read, void *context,
					     uint64_t *guest_physical)
{
	unsigned top = (paging->cr4 & GUEST_CR4_LA57) ? 4 : 3;

	return walk_levels(paging->cr3 & ENTRY_ADDRESS_MASK, top,
			   virtual_address, read, context, guest_physical);
}

enum guest_walk_result guest_walk(const struct guest_paging *paging,
				  uint64_t virtual_address, guest_read_fn read,
				  void *context, uint64_t *guest_physical)
{
	if (!(paging->cr0 & GUEST_CR0_PG)) {
		*guest_physical = virtual_address;
		return GUEST_WALK_OK;
	}
	if (paging->efer & GUEST_EFER_LMA)
		return walk_long_mode(paging, virtual_address, read, context,
				      guest_physical);
	if (paging->cr4 & GUEST_CR4_PAE)
		return walk_pae(paging, (uint32_t)virtual_address, read,
				context, guest_physical);
	return walk_legacy(paging, (uint32_t)virtual_address, read, context,
			   guest_physical);
}

size_t guest_read_virtual(const struct guest_paging *paging, uint64_t va,
			  guest_read_fn read, void *context, void *out,
			  size_t size)
{
	uint8_t *destination = out;
	size_t copied = 0;

	while (copied < size) {
		uint64_t address = va + copied;
		uint64_t room = GUEST_PAGE_SIZE - (address & PAGE_OFFSET_MASK);
		size_t chunk = size - copied < room ? size - copied : room;
		uint64_t guest_physical;

		if (guest_walk(paging, address, read, context,
			       &guest_physical) != GUEST_WALK_OK)
			break;
		if (!read(context, guest_physical, destination + copied,
			  (unsigned)chunk))
			break;
		copied += chunk;
	}
	return copied;
}
