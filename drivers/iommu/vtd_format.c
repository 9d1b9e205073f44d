/* SPDX-License-Identifier: MIT */
/* VT-d second-level entries; see vtd_format.h. */
#include "vtd_format.h"

#define VTD_READ (1ull << 0)
#define VTD_WRITE (1ull << 1)
#define VTD_LARGE (1ull << 7)
#define VTD_ADDRESS_MASK 0x000ffffffffff000ull

static uint64_t vtd_table(uint64_t physical)
{
	return physical | VTD_READ | VTD_WRITE;
}

/* Execute and the memory type have no meaning for DMA here: a device's
 * access is a read or a write, snooped as the platform does it. */
static uint64_t vtd_leaf(uint64_t physical, unsigned level, uint32_t flags)
{
	uint64_t entry = physical;

	if (flags & PT_READ)
		entry |= VTD_READ;
	if (flags & PT_WRITE)
		entry |= VTD_WRITE;
	if (level)
		entry |= VTD_LARGE;
	return entry;
}

static bool vtd_present(uint64_t entry)
{
	return entry & (VTD_READ | VTD_WRITE);
}

static bool vtd_is_leaf(uint64_t entry, unsigned level)
{
	return level == 0 || (level < 3 && (entry & VTD_LARGE));
}

void vtd_format_init(struct pagetable_format *format, unsigned max_leaf_level)
{
	*format = (struct pagetable_format){
		.name = "VT-d second level",
		.table_entry = vtd_table,
		.leaf_entry = vtd_leaf,
		.present = vtd_present,
		.is_leaf = vtd_is_leaf,
		.address_mask = VTD_ADDRESS_MASK,
		.max_leaf_level = max_leaf_level > 2 ? 2 : max_leaf_level,
	};
}
