/* SPDX-License-Identifier: MIT */
/*
 * Where a Multiboot kernel's modules go in its partition: each on its own
 * page boundary (what Multiboot 1's flag 0 and Multiboot 2's module
 * alignment tag ask, given to every kernel), one after the other above
 * the kernel, inside the partition's RAM. Pure: shared by the image check
 * of the loader and the checker (lib/image_check.c) and the core's load
 * (core/image/multiboot_guest.c), so both place them alike.
 */
#include <bulkhead/multiboot.h>
#include <string.h>

#include "format.h"

#define MODULE_ALIGN 4096ull

bool multiboot_modules_plan(uint32_t image_end, uint64_t memory_size,
			    const uint64_t *sizes, unsigned count,
			    uint32_t *starts, char error[MULTIBOOT_ERROR_MAX])
{
	uint64_t next = ((uint64_t)image_end + MODULE_ALIGN - 1) &
			~(MODULE_ALIGN - 1);
	uint64_t limit = memory_size < (1ull << 32) ? memory_size : 1ull << 32;

	for (unsigned i = 0; i < count; i++) {
		if (next > limit || sizes[i] > limit - next) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "module %u (%llu bytes at 0x%llx) does not fit "
			       "in the partition's memory below 0x%llx",
			       i + 1, (unsigned long long)sizes[i],
			       (unsigned long long)next,
			       (unsigned long long)limit);
			return false;
		}
		starts[i] = (uint32_t)next;
		next = (next + sizes[i] + MODULE_ALIGN - 1) & ~(MODULE_ALIGN - 1);
	}
	return true;
}

void multiboot_module_path(const char *entry, char *path, size_t capacity)
{
	size_t length = strcspn(entry, " ");

	if (!capacity)
		return;
	if (length > capacity - 1)
		length = capacity - 1;
	memcpy(path, entry, length);
	path[length] = '\0';
}
