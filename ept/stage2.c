/* SPDX-License-Identifier: MIT */
/*
 * Building and auditing partitions' stage-2 tables. Deny by default: only
 * the partition's RAM is mapped (read, write, execute, write-back); any
 * other guest-physical access faults to the hypervisor, which stops the
 * partition. Boot time only.
 */
#include "stage2.h"

#include "../core/console.h"
#include "../core/partition.h"

bool stage2_build(struct partition *partition,
		  const struct pagetable_format *format,
		  const struct pagetable_allocator *allocator)
{
	if (!pagetable_init(&partition->stage2, format, allocator))
		return false;
	return pagetable_map_range(&partition->stage2, 0,
				   partition->memory_base,
				   partition->memory_size, PT_RWX);
}

struct audit {
	struct partition *const *partitions;
	unsigned count;
	const struct partition *owner;
	uint64_t core_base, core_size, heap_base, heap_size;
	uint64_t pages;
};

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

static bool audit_leaf(void *context, uint64_t guest, uint64_t host,
		       uint64_t size, uint64_t entry)
{
	struct audit *audit = context;
	const struct partition *owner = audit->owner;
	const char *what = NULL;

	(void)entry;
	audit->pages++;
	if (guest + size > owner->memory_size ||
	    host != owner->memory_base + guest)
		what = "outside its own memory";
	else if (overlaps(host, size, audit->core_base, audit->core_size) ||
		 overlaps(host, size, audit->heap_base, audit->heap_size))
		what = "into the hypervisor";
	for (unsigned i = 0; !what && i < audit->count; i++) {
		const struct partition *other = audit->partitions[i];

		if (other != owner &&
		    overlaps(host, size, other->memory_base, other->memory_size))
			what = "into another partition";
	}
	if (what)
		log_line("stage-2 audit: partition %s maps guest 0x%llx to host "
			 "0x%llx %s",
			 owner->config->name, (unsigned long long)guest,
			 (unsigned long long)host, what);
	return what == NULL;
}

bool stage2_audit(struct partition *const *partitions, unsigned count,
		  uint64_t core_base, uint64_t core_size, uint64_t heap_base,
		  uint64_t heap_size)
{
	struct audit audit = { partitions, count, NULL, core_base, core_size,
			       heap_base, heap_size, 0 };

	for (unsigned i = 0; i < count; i++) {
		audit.owner = partitions[i];
		audit.pages = 0;
		if (!pagetable_for_each_leaf(&partitions[i]->stage2, audit_leaf,
					     &audit))
			return false;
		log_line("stage-2 of %s: %llu MiB in %llu pages, %u tables, "
			 "nothing else mapped",
			 partitions[i]->config->name,
			 (unsigned long long)partitions[i]->memory_size >> 20,
			 (unsigned long long)audit.pages,
			 partitions[i]->stage2.table_count);
	}
	return true;
}
