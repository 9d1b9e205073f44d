/* SPDX-License-Identifier: MIT */
/* The hypervisor's own page tables: an identity map of physical memory. */
#ifndef BULKHEAD_ARCH_PAGING_H
#define BULKHEAD_ARCH_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/pagetable.h>

/* Builds the identity map of [0, limit) with pages from allocator and
 * returns the PML4 address, which must be below 4 GiB so that 32-bit AP
 * start-up code can load it; 0 when the tables cannot be built there. */
uint64_t paging_build_identity(uint64_t limit,
			       const struct pagetable_allocator *allocator);

/* One past the highest address the identity map covers: the limit given
 * to paging_build_identity rounded up to 1 GiB; 0 before it is built. */
uint64_t paging_identity_limit(void);

/*
 * Maps [base, base + size) uncached where the identity map does not
 * cover it yet, for MMIO the firmware put above the end of memory (an
 * ECAM window, say): whole 2 MiB pages, identity, read-write, no execute,
 * with tables from the identity map's allocator, then reloads CR3. What
 * the identity map covers already is left as it is: write-back in the
 * page tables, made uncached by the firmware's MTRRs for MMIO. Boot CPU,
 * before the APs start (they load the same tables). Returns false when
 * the range is invalid or the allocator runs dry.
 */
bool paging_map_uncached(uint64_t base, uint64_t size);

#endif
