/* SPDX-License-Identifier: MIT */
/*
 * The host (v1) page-table format of AMD-Vi (AMD I/O Virtualization
 * Technology specification, 2.2.3): present in bit 0, NextLevel in bits
 * 9-11 (the level of the table an entry points to; 0 in a leaf, whose
 * page size is then the default of its level: 4 KiB, 2 MiB or 1 GiB),
 * the address in bits 12-51, FC (force coherent) in bit 60, IR and IW in
 * bits 61-62. It plugs into the generic builder of <bulkhead/pagetable.h>
 * through its level-aware table entry. Pure.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_AMD_VI_FORMAT_H
#define BULKHEAD_DRIVERS_IOMMU_AMD_VI_FORMAT_H

#include <bulkhead/pagetable.h>

#define AMD_VI_PTE_PRESENT (1ull << 0)
#define AMD_VI_PTE_NEXT_LEVEL(entry) ((unsigned)((entry) >> 9) & 7)
#define AMD_VI_PTE_FC (1ull << 60)
#define AMD_VI_PTE_IR (1ull << 61)
#define AMD_VI_PTE_IW (1ull << 62)
#define AMD_VI_ADDRESS_MASK 0x000ffffffffff000ull

/* max_leaf_level: 0 for 4 KiB pages only, 1 with 2 MiB, 2 with 1 GiB. */
void amd_vi_format_init(struct pagetable_format *format,
			unsigned max_leaf_level);

#endif
