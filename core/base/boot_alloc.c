/* SPDX-License-Identifier: MIT */
/* Bump allocation over the loader-reserved heap; see boot_alloc.h. */
#include "boot_alloc.h"

#include <string.h>

#include "panic.h"

static uint64_t heap_base, heap_next, heap_end;
static volatile int heap_sealed;
static uint64_t used_at_seal;

void boot_alloc_init(uint64_t base, uint64_t size)
{
	heap_base = heap_next = base;
	heap_end = base + size;
}

void *boot_alloc(uint64_t size, uint64_t alignment)
{
	uint64_t start = (heap_next + alignment - 1) & ~(alignment - 1);

	if (heap_sealed)
		panic("allocation of %llu bytes after boot",
		      (unsigned long long)size);
	if (start > heap_end || size > heap_end - start)
		panic("boot heap exhausted (%llu bytes requested, %llu free)",
		      (unsigned long long)size,
		      (unsigned long long)(heap_end - heap_next));
	heap_next = start + size;
	memset((void *)(uintptr_t)start, 0, size);
	return (void *)(uintptr_t)start;
}

void boot_alloc_seal(void)
{
	used_at_seal = heap_next - heap_base;
	heap_sealed = 1;
}

uint64_t boot_alloc_used_at_seal(void)
{
	return used_at_seal;
}

uint64_t boot_alloc_used(void)
{
	return heap_next - heap_base;
}

static void *allocate_page(void *context, uint64_t *physical)
{
	void *page = boot_alloc(PAGE_SIZE, PAGE_SIZE);

	(void)context;
	*physical = (uint64_t)(uintptr_t)page;
	return page;
}

static void *identity_pointer(void *context, uint64_t physical)
{
	(void)context;
	return (void *)(uintptr_t)physical;
}

const struct pagetable_allocator boot_page_allocator = {
	allocate_page, identity_pointer, NULL
};
