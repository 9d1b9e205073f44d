/* SPDX-License-Identifier: MIT */
/*
 * Intel EPT entries: read/write/execute permission bits 0-2, the memory
 * type in bits 3-5 of a leaf (write-back for RAM, uncached for MMIO) and
 * bit 7 for 2 MiB and 1 GiB leaves. The EPT pointer selects a 4-level walk
 * with write-back paging structures.
 */
#include <bulkhead/ept_format.h>

#define EPT_READ (1ull << 0)
#define EPT_WRITE (1ull << 1)
#define EPT_EXECUTE (1ull << 2)
#define EPT_MEMORY_TYPE_SHIFT 3
#define EPT_MEMORY_TYPE_UNCACHED 0ull
#define EPT_MEMORY_TYPE_WRITE_BACK 6ull
#define EPT_LARGE (1ull << 7)
#define EPT_ADDRESS_MASK 0x000ffffffffff000ull
#define EPT_POINTER_WALK_4 (3ull << 3)

static uint64_t ept_table(uint64_t physical)
{
	return physical | EPT_READ | EPT_WRITE | EPT_EXECUTE;
}

static uint64_t ept_leaf(uint64_t physical, unsigned level, uint32_t flags)
{
	uint64_t entry = physical;

	if (flags & PT_READ)
		entry |= EPT_READ;
	if (flags & PT_WRITE)
		entry |= EPT_WRITE;
	if (flags & PT_EXECUTE)
		entry |= EPT_EXECUTE;
	entry |= ((flags & PT_UNCACHED) ? EPT_MEMORY_TYPE_UNCACHED
					: EPT_MEMORY_TYPE_WRITE_BACK)
		 << EPT_MEMORY_TYPE_SHIFT;
	if (level)
		entry |= EPT_LARGE;
	return entry;
}

static bool ept_present(uint64_t entry)
{
	return entry & (EPT_READ | EPT_WRITE | EPT_EXECUTE);
}

static bool ept_is_leaf(uint64_t entry, unsigned level)
{
	return level == 0 || (level < 3 && (entry & EPT_LARGE));
}

void ept_format_init(struct pagetable_format *format, unsigned max_leaf_level)
{
	*format = (struct pagetable_format){
		.name = "EPT",
		.table_entry = ept_table,
		.leaf_entry = ept_leaf,
		.present = ept_present,
		.is_leaf = ept_is_leaf,
		.address_mask = EPT_ADDRESS_MASK,
		.max_leaf_level = max_leaf_level > 1 ? 2 : 1,
	};
}

uint64_t ept_pointer(uint64_t root_physical)
{
	return root_physical | EPT_MEMORY_TYPE_WRITE_BACK | EPT_POINTER_WALK_4;
}
