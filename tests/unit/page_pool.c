/* SPDX-License-Identifier: MIT */
/* A pool of pages for page-table unit tests; see page_pool.h. */
#include "page_pool.h"

#include <stdlib.h>
#include <string.h>

static uint8_t *pool;
static unsigned pool_pages, pool_used;
static uint64_t pool_base;

void page_pool_begin(unsigned pages, uint64_t base)
{
	pool = aligned_alloc(PAGE_SIZE, pages * PAGE_SIZE);
	memset(pool, 0, pages * PAGE_SIZE);
	pool_pages = pages;
	pool_used = 0;
	pool_base = base;
}

void page_pool_end(void)
{
	free(pool);
	pool = NULL;
}

unsigned page_pool_used(void)
{
	return pool_used;
}

static void *allocate(void *context, uint64_t *physical)
{
	(void)context;
	if (pool_used == pool_pages)
		return NULL;
	*physical = pool_base + pool_used * PAGE_SIZE;
	return pool + PAGE_SIZE * pool_used++;
}

static void *to_pointer(void *context, uint64_t physical)
{
	(void)context;
	return pool + (physical - pool_base);
}

const struct pagetable_allocator page_pool_allocator = { allocate, to_pointer,
							 NULL };
