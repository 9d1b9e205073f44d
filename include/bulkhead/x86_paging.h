/* SPDX-License-Identifier: MIT */
/*
 * The classic x86-64 page-table entry format, in the three flavours the
 * hypervisor builds: its own tables (supervisor), the identity tables of a
 * bare-metal guest (supervisor, 2 MiB pages at most) and AMD nested page
 * tables (every level must have the User bit: NPT walks are user accesses).
 */
#ifndef BULKHEAD_X86_PAGING_H
#define BULKHEAD_X86_PAGING_H

#include <bulkhead/pagetable.h>

#define X86_PTE_PRESENT (1ull << 0)
#define X86_PTE_WRITE (1ull << 1)
#define X86_PTE_USER (1ull << 2)
#define X86_PTE_WRITE_THROUGH (1ull << 3)
#define X86_PTE_CACHE_DISABLE (1ull << 4)
#define X86_PTE_LARGE (1ull << 7)
#define X86_PTE_NO_EXECUTE (1ull << 63)
#define X86_PTE_ADDRESS_MASK 0x000ffffffffff000ull

/* max_leaf_level: 1 for 2 MiB pages at most, 2 to allow 1 GiB pages. */
void x86_paging_format_supervisor(struct pagetable_format *format,
				  unsigned max_leaf_level);
void x86_paging_format_nested(struct pagetable_format *format,
			      unsigned max_leaf_level);

#endif
