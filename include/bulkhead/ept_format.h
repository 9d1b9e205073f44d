/* SPDX-License-Identifier: MIT */
/* The Intel EPT entry format for the page-table builder (ept/ept.c). */
#ifndef BULKHEAD_EPT_FORMAT_H
#define BULKHEAD_EPT_FORMAT_H

#include <bulkhead/pagetable.h>

/* max_leaf_level: 1 for 2 MiB pages at most, 2 to allow 1 GiB pages. */
void ept_format_init(struct pagetable_format *format, unsigned max_leaf_level);
/* The VMCS EPT pointer for a 4-level, write-back table at root. */
uint64_t ept_pointer(uint64_t root_physical);

#endif
