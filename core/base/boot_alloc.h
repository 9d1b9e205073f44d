/* SPDX-License-Identifier: MIT */
/*
 * The boot-time allocator: a bump pointer over the heap the loader reserved.
 * It hands out zeroed, aligned memory until boot_alloc_seal() is called when
 * the guests start; any allocation after that panics, which makes "no
 * allocation after boot" a checked rule rather than a convention.
 */
#ifndef BULKHEAD_CORE_BASE_BOOT_ALLOC_H
#define BULKHEAD_CORE_BASE_BOOT_ALLOC_H

#include <stdint.h>

#include <bulkhead/pagetable.h>

void boot_alloc_init(uint64_t base, uint64_t size);
void *boot_alloc(uint64_t size, uint64_t alignment);
void boot_alloc_seal(void);
uint64_t boot_alloc_used(void);
/* What was used when the heap was sealed (0 before): the end of run
 * compares it with boot_alloc_used(). */
uint64_t boot_alloc_used_at_seal(void);

/* Page-table pages from the boot heap (identity-mapped). */
extern const struct pagetable_allocator boot_page_allocator;

#endif
