/* SPDX-License-Identifier: MIT */
/*
 * Builds a bare-metal guest's entry environment in its memory. Pure: it only
 * writes through the pointer it is given, so it is unit-tested on the host.
 * Page tables come from the fixed region [BULKHEAD_GUEST_PML4,
 * BULKHEAD_GUEST_TABLES_END), which bounds the memory a guest can map.
 */
#include "guest_boot.h"

#include <bulkhead/x86_paging.h>
#include <string.h>

struct table_region {
	uint8_t *memory;
	uint64_t next;
};

static void *allocate_table(void *context, uint64_t *physical)
{
	struct table_region *region = context;

	if (region->next + PAGE_SIZE > BULKHEAD_GUEST_TABLES_END)
		return NULL;
	*physical = region->next;
	region->next += PAGE_SIZE;
	memset(region->memory + *physical, 0, PAGE_SIZE);
	return region->memory + *physical;
}

static void *table_pointer(void *context, uint64_t physical)
{
	struct table_region *region = context;

	return region->memory + physical;
}

#define GDT_CODE_64 0x00af9b000000ffffull
#define GDT_DATA 0x00cf93000000ffffull

static bool build_identity_tables(uint8_t *memory, uint64_t mapped_size)
{
	struct table_region region = { memory, BULKHEAD_GUEST_PML4 };
	struct pagetable_allocator allocator = { allocate_table, table_pointer,
						 &region };
	struct pagetable_format format;
	struct pagetable table;

	x86_paging_format_supervisor(&format, 1);
	if (!pagetable_init(&table, &format, &allocator))
		return false;
	return table.root == BULKHEAD_GUEST_PML4 &&
	       pagetable_map_range(&table, 0, 0, mapped_size, PT_RWX);
}

bool guest_boot_build(uint8_t *memory, uint64_t memory_size,
		      uint64_t mapped_size,
		      const struct bulkhead_boot_info *info)
{
	static const uint64_t gdt[3] = { 0, GDT_CODE_64, GDT_DATA };

	if (memory_size < BULKHEAD_GUEST_IMAGE_MIN || mapped_size < memory_size)
		return false;
	memcpy(memory + BULKHEAD_GUEST_BOOT_INFO, info, sizeof(*info));
	memcpy(memory + BULKHEAD_GUEST_GDT, gdt, sizeof(gdt));
	return build_identity_tables(memory, mapped_size);
}

bool guest_boot_build_linux(uint8_t *memory, uint64_t memory_size,
			    uint64_t mapped_size)
{
	static const uint64_t gdt[4] = { 0, 0, GDT_CODE_64, GDT_DATA };

	if (memory_size < BULKHEAD_GUEST_IMAGE_MIN || mapped_size < memory_size)
		return false;
	memcpy(memory + BULKHEAD_GUEST_GDT, gdt, sizeof(gdt));
	return build_identity_tables(memory, mapped_size);
}
