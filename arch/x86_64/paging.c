/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's page tables: all physical memory identity-mapped with the
 * largest pages the CPU offers, write-back (the firmware's MTRRs make MMIO
 * ranges uncached). Guest memory is mapped here too, because hypercalls copy
 * from it; guests never see these tables.
 */
#include "paging.h"

#include <stddef.h>

#include <bulkhead/x86_paging.h>

#include "cpu.h"

static struct pagetable host_table;
static uint64_t identity_limit;

uint64_t paging_build_identity(uint64_t limit,
			       const struct pagetable_allocator *allocator)
{
	static struct pagetable_format format;
	bool huge = cpuid(0x80000001, 0).edx & (1u << 26);

	x86_paging_format_supervisor(&format, huge ? 2 : 1);
	limit = (limit + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
	if (!pagetable_init(&host_table, &format, allocator) ||
	    !pagetable_map_range(&host_table, 0, 0, limit, PT_RWX) ||
	    host_table.root >= (1ull << 32))
		return 0;
	identity_limit = limit;
	return host_table.root;
}

uint64_t paging_identity_limit(void)
{
	return identity_limit;
}

bool paging_map_uncached(uint64_t base, uint64_t size)
{
	uint64_t start = base & ~(LARGE_PAGE_SIZE - 1);
	uint64_t end = base + size;
	uint64_t physical;

	if (!identity_limit || !size || end < base ||
	    end > (1ull << 48) - LARGE_PAGE_SIZE)
		return false;
	end = (end + LARGE_PAGE_SIZE - 1) & ~(LARGE_PAGE_SIZE - 1);
	for (uint64_t page = start; page < end; page += LARGE_PAGE_SIZE) {
		/* 2 MiB pages throughout: a page is all mapped or not. */
		if (page < identity_limit ||
		    pagetable_translate(&host_table, page, &physical, NULL,
					NULL))
			continue;
		if (!pagetable_map_range(&host_table, page, page,
					 LARGE_PAGE_SIZE,
					 PT_READ | PT_WRITE | PT_UNCACHED))
			return false;
	}
	write_cr3(read_cr3());
	return true;
}
