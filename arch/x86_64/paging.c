/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's page tables: all physical memory identity-mapped with the
 * largest pages the CPU offers, write-back (the firmware's MTRRs make MMIO
 * ranges uncached). Guest memory is mapped here too, because hypercalls copy
 * from it; guests never see these tables.
 */
#include "paging.h"

#include <bulkhead/x86_paging.h>

#include "cpu.h"

uint64_t paging_build_identity(uint64_t limit,
			       const struct pagetable_allocator *allocator)
{
	struct pagetable_format format;
	struct pagetable table;
	bool huge = cpuid(0x80000001, 0).edx & (1u << 26);

	x86_paging_format_supervisor(&format, huge ? 2 : 1);
	limit = (limit + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
	if (!pagetable_init(&table, &format, allocator) ||
	    !pagetable_map_range(&table, 0, 0, limit, PT_RWX) ||
	    table.root >= (1ull << 32))
		return 0;
	return table.root;
}
