/* SPDX-License-Identifier: MIT */
/*
 * Entry encoders for x86-64 paging structures (also the AMD NPT format).
 * Write-back is the default memory type (PAT index 0); PT_UNCACHED selects
 * PCD|PWT, which is uncached with the architectural default PAT.
 */
#include <bulkhead/x86_paging.h>

static uint64_t permission_bits(uint32_t flags)
{
	uint64_t bits = X86_PTE_PRESENT;

	if (flags & PT_WRITE)
		bits |= X86_PTE_WRITE;
	if (!(flags & PT_EXECUTE))
		bits |= X86_PTE_NO_EXECUTE;
	if (flags & PT_UNCACHED)
		bits |= X86_PTE_CACHE_DISABLE | X86_PTE_WRITE_THROUGH;
	return bits;
}

static uint64_t supervisor_table(uint64_t physical)
{
	return physical | X86_PTE_PRESENT | X86_PTE_WRITE;
}

static uint64_t supervisor_leaf(uint64_t physical, unsigned level,
				uint32_t flags)
{
	return physical | permission_bits(flags) |
	       (level ? X86_PTE_LARGE : 0);
}

static uint64_t nested_table(uint64_t physical)
{
	return physical | X86_PTE_PRESENT | X86_PTE_WRITE | X86_PTE_USER;
}

static uint64_t nested_leaf(uint64_t physical, unsigned level, uint32_t flags)
{
	return supervisor_leaf(physical, level, flags) | X86_PTE_USER;
}

static bool present(uint64_t entry)
{
	return entry & X86_PTE_PRESENT;
}

static bool is_leaf(uint64_t entry, unsigned level)
{
	return level == 0 || (level < 3 && (entry & X86_PTE_LARGE));
}

void x86_paging_format_supervisor(struct pagetable_format *format,
				  unsigned max_leaf_level)
{
	*format = (struct pagetable_format){
		.name = "x86-64",
		.table_entry = supervisor_table,
		.leaf_entry = supervisor_leaf,
		.present = present,
		.is_leaf = is_leaf,
		.address_mask = X86_PTE_ADDRESS_MASK,
		.max_leaf_level = max_leaf_level,
	};
}

void x86_paging_format_nested(struct pagetable_format *format,
			      unsigned max_leaf_level)
{
	x86_paging_format_supervisor(format, max_leaf_level);
	format->name = "NPT";
	format->table_entry = nested_table;
	format->leaf_entry = nested_leaf;
}
