/* SPDX-License-Identifier: MIT */
/*
 * The second-level page-table format of Intel VT-d (specification 9.8):
 * read and write permission in bits 0-1, bit 7 for 2 MiB and 1 GiB
 * leaves, the address in bits 12-51; a table entry grants both. It plugs
 * into the generic builder of <bulkhead/pagetable.h>. Pure.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_VTD_FORMAT_H
#define BULKHEAD_DRIVERS_IOMMU_VTD_FORMAT_H

#include <bulkhead/pagetable.h>

/* max_leaf_level: 0 for 4 KiB pages only, 1 with 2 MiB, 2 with 1 GiB
 * (what the unit's CAP.SLLPS offers). */
void vtd_format_init(struct pagetable_format *format, unsigned max_leaf_level);

#endif
