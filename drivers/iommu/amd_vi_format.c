/* SPDX-License-Identifier: MIT */
/* AMD-Vi host page-table entries; see amd_vi_format.h. */
#include "amd_vi_format.h"

/* The builder's level n holds AMD-Vi's level n + 1 (its 4 KiB page
 * table is AMD-Vi's level 1), so an entry in a table at builder level n
 * points to AMD-Vi level n: that is its NextLevel. A table entry grants
 * both directions; the leaf decides. */
static uint64_t amd_vi_table(uint64_t physical, unsigned level)
{
	return physical | (uint64_t)(level & 7) << 9 | AMD_VI_PTE_IR |
	       AMD_VI_PTE_IW | AMD_VI_PTE_PRESENT;
}

/* NextLevel 0 at any level: a page of that level's default size. */
static uint64_t amd_vi_leaf(uint64_t physical, unsigned level, uint32_t flags)
{
	uint64_t entry = physical | AMD_VI_PTE_PRESENT | AMD_VI_PTE_FC;

	(void)level;
	if (flags & PT_READ)
		entry |= AMD_VI_PTE_IR;
	if (flags & PT_WRITE)
		entry |= AMD_VI_PTE_IW;
	return entry;
}

static bool amd_vi_present(uint64_t entry)
{
	return entry & AMD_VI_PTE_PRESENT;
}

static bool amd_vi_is_leaf(uint64_t entry, unsigned level)
{
	return level == 0 || AMD_VI_PTE_NEXT_LEVEL(entry) == 0 ||
	       AMD_VI_PTE_NEXT_LEVEL(entry) == 7;
}

void amd_vi_format_init(struct pagetable_format *format,
			unsigned max_leaf_level)
{
	*format = (struct pagetable_format){
		.name = "AMD-Vi host",
		.table_entry_at = amd_vi_table,
		.leaf_entry = amd_vi_leaf,
		.present = amd_vi_present,
		.is_leaf = amd_vi_is_leaf,
		.address_mask = AMD_VI_ADDRESS_MASK,
		.max_leaf_level = max_leaf_level > 2 ? 2 : max_leaf_level,
	};
}
