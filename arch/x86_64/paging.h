/* SPDX-License-Identifier: MIT */
/* The hypervisor's own page tables: an identity map of physical memory. */
#ifndef BULKHEAD_ARCH_PAGING_H
#define BULKHEAD_ARCH_PAGING_H

#include <stdint.h>

/* Builds the identity map of [0, limit) and returns the PML4 address
 * (below 4 GiB, so 32-bit AP start-up code can load it). */
uint64_t paging_build_identity(uint64_t limit);

#endif
