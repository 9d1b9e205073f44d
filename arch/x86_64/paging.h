/* SPDX-License-Identifier: MIT */
/* The hypervisor's own page tables: an identity map of physical memory. */
#ifndef BULKHEAD_ARCH_PAGING_H
#define BULKHEAD_ARCH_PAGING_H

#include <stdint.h>

#include <bulkhead/pagetable.h>

/* Builds the identity map of [0, limit) with pages from allocator and
 * returns the PML4 address, which must be below 4 GiB so that 32-bit AP
 * start-up code can load it; 0 when the tables cannot be built there. */
uint64_t paging_build_identity(uint64_t limit,
			       const struct pagetable_allocator *allocator);

#endif
