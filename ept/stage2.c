/* SPDX-License-Identifier: MIT */
/*
 * Building and auditing partitions' stage-2 tables. Deny by default: only
 * the partition's RAM is mapped (read, write, execute, write-back); any
 * other guest-physical access faults to the hypervisor, which stops the
 * partition. Boot time only.
 */
#include "stage2.h"

#include "core/console/console.h"
#include "core/partition/partition.h"

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
	const struct bootinfo *info;
	uint64_t pages;
};

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

/* The leaf is the partition's RAM, one of its own channel windows or one
 * of its own devices' BARs. */
static bool expected_mapping(const struct audit *audit, uint64_t guest,
			     uint64_t host, uint64_t size)
{
	const struct partition *owner = audit->owner;

	if (guest + size <= owner->memory_size)
		return host == owner->memory_base + guest;
	for (uint32_t i = 0; i < owner->device_mmio_count; i++)
		if (guest >= owner->device_mmio[i].base &&
		    guest + size <= owner->device_mmio[i].base +
					    owner->device_mmio[i].size)
			return host == guest; /* device memory, one to one */
	for (uint32_t i = 0; i < owner->channel_count; i++) {
		const struct channel_slot *slot = &owner->channels[i];
		const struct bootinfo_range *memory =
			&audit->info->channel_memory[slot->channel];

		if (guest >= slot->guest_address &&
		    guest + size <= slot->guest_address + memory->size)
			return host == memory->base +
					       (guest - slot->guest_address);
	}
	return false;
}

static bool audit_leaf(void *context, uint64_t guest, uint64_t host,
		       uint64_t size, uint64_t entry)
{
	struct audit *audit = context;
	const struct partition *owner = audit->owner;
	const struct bootinfo *info = audit->info;
	const char *what = NULL;

	(void)entry;
	audit->pages++;
	if (!expected_mapping(audit, guest, host, size))
		what = "outside its own memory and channels";
	else if (overlaps(host, size, info->core.base, info->core.size) ||
		 overlaps(host, size, info->heap.base, info->heap.size))
		what = "into the hypervisor";
	for (unsigned i = 0; !what && i < audit->count; i++) {
		const struct partition *other = audit->partitions[i];

		if (other != owner &&
		    overlaps(host, size, other->memory_base, other->memory_size))
			what = "into another partition";
	}
	for (uint32_t c = 0; !what && c < info->config.channel_count; c++) {
		const struct config_channel *channel = &info->config.channels[c];

		if (channel->peers[0] != owner->id &&
		    channel->peers[1] != owner->id &&
		    overlaps(host, size, info->channel_memory[c].base,
			     info->channel_memory[c].size))
			what = "into a channel it is not in";
	}
	if (what)
		log_line("stage-2 audit: partition %s maps guest 0x%llx to host "
			 "0x%llx %s",
			 owner->config->name, (unsigned long long)guest,
			 (unsigned long long)host, what);
	return what == NULL;
}

bool stage2_audit(struct partition *const *partitions, unsigned count,
		  const struct bootinfo *info)
{
	struct audit audit = { partitions, count, NULL, info, 0 };

	for (unsigned i = 0; i < count; i++) {
		audit.owner = partitions[i];
		audit.pages = 0;
		if (!pagetable_for_each_leaf(&partitions[i]->stage2, audit_leaf,
					     &audit))
			return false;
		log_line("stage-2 of %s: %llu MiB and %u channels in %llu "
			 "pages, %u tables, nothing else mapped",
			 partitions[i]->config->name,
			 (unsigned long long)partitions[i]->memory_size >> 20,
			 partitions[i]->channel_count,
			 (unsigned long long)audit.pages,
			 partitions[i]->stage2.table_count);
	}
	return true;
}
