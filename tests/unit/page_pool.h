/* SPDX-License-Identifier: MIT */
/*
 * A pool of zeroed pages for page-table unit tests: a pagetable allocator
 * whose pages pretend to live at the physical address `base`, so tests
 * can check the addresses tables point at. Not thread-safe; one pool at a
 * time.
 */
#ifndef BULKHEAD_TEST_PAGE_POOL_H
#define BULKHEAD_TEST_PAGE_POOL_H

#include <bulkhead/pagetable.h>

/* Starts a pool of `pages` pages at pretended physical `base`. */
void page_pool_begin(unsigned pages, uint64_t base);
/* Frees it. */
void page_pool_end(void);
/* The allocator over the current pool (NULL pages once it runs dry). */
extern const struct pagetable_allocator page_pool_allocator;
/* Pages handed out so far. */
unsigned page_pool_used(void);

#endif
