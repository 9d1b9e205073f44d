/* SPDX-License-Identifier: MIT */
/*
 * Four-level page-table construction, lookup and traversal, independent of
 * the entry format. Used at boot only (the hypervisor never allocates after
 * boot), for its own tables, every partition's stage-2 tables and the
 * identity tables of bare-metal guests.
 */
#include <bulkhead/pagetable.h>

#include <stddef.h>

#define TOP_LEVEL 3
#define ENTRIES 512

static unsigned index_at(uint64_t address, unsigned level)
{
	return (address >> (12 + 9 * level)) & (ENTRIES - 1);
}

static uint64_t *table_pointer(const struct pagetable *table, uint64_t entry)
{
	const struct pagetable_allocator *a = table->allocator;

	return a->to_pointer(a->context, entry & table->format->address_mask);
}

bool pagetable_init(struct pagetable *table,
		    const struct pagetable_format *format,
		    const struct pagetable_allocator *allocator)
{
	table->format = format;
	table->allocator = allocator;
	table->table_count = 0;
	table->root_pointer = allocator->allocate_page(allocator->context,
						       &table->root);
	if (!table->root_pointer)
		return false;
	table->table_count = 1;
	return true;
}

/* The table at level below the entry slot (in a table at level), allocated
 * when missing. */
static uint64_t *next_table(struct pagetable *table, uint64_t *slot,
			    unsigned level)
{
	const struct pagetable_format *f = table->format;
	uint64_t physical;
	uint64_t *next;

	if (f->present(*slot))
		return table_pointer(table, *slot);
	next = table->allocator->allocate_page(table->allocator->context,
					       &physical);
	if (!next)
		return NULL;
	table->table_count++;
	*slot = f->table_entry_at ? f->table_entry_at(physical, level)
				  : f->table_entry(physical);
	return next;
}

static unsigned largest_level(const struct pagetable_format *f,
			      uint64_t virtual_address, uint64_t physical,
			      uint64_t size)
{
	for (unsigned level = f->max_leaf_level; level > 0; level--) {
		uint64_t page = pagetable_level_size(level);

		if (!(virtual_address & (page - 1)) && !(physical & (page - 1)) &&
		    size >= page)
			return level;
	}
	return 0;
}

static bool map_page(struct pagetable *table, uint64_t virtual_address,
		     uint64_t physical, unsigned leaf_level, uint32_t flags)
{
	uint64_t *entries = table->root_pointer;

	for (unsigned level = TOP_LEVEL; level > leaf_level; level--) {
		uint64_t *slot = &entries[index_at(virtual_address, level)];

		if (table->format->present(*slot) &&
		    table->format->is_leaf(*slot, level))
			return false; /* already mapped by a larger page */
		entries = next_table(table, slot, level);
		if (!entries)
			return false;
	}
	uint64_t *leaf = &entries[index_at(virtual_address, leaf_level)];
	if (table->format->present(*leaf))
		return false;
	*leaf = table->format->leaf_entry(physical, leaf_level, flags);
	return true;
}

bool pagetable_map_range(struct pagetable *table, uint64_t virtual_address,
			 uint64_t physical, uint64_t size, uint32_t flags)
{
	const uint64_t low_mask = PAGE_SIZE - 1;

	if ((virtual_address | physical | size) & low_mask)
		return false;
	if (virtual_address + size < virtual_address ||
	    physical + size < physical ||
	    virtual_address + size > (1ull << 48))
		return false;
	while (size) {
		unsigned level = largest_level(table->format, virtual_address,
					       physical, size);
		uint64_t page = pagetable_level_size(level);

		if (!map_page(table, virtual_address, physical, level, flags))
			return false;
		virtual_address += page;
		physical += page;
		size -= page;
	}
	return true;
}

bool pagetable_translate(const struct pagetable *table, uint64_t virtual_address,
			 uint64_t *physical, unsigned *level_out,
			 uint64_t *entry_out)
{
	const uint64_t *entries = table->root_pointer;

	if (virtual_address >> 48)
		return false;
	for (unsigned level = TOP_LEVEL;; level--) {
		uint64_t entry = entries[index_at(virtual_address, level)];

		if (!table->format->present(entry))
			return false;
		if (level == 0 || table->format->is_leaf(entry, level)) {
			uint64_t page = pagetable_level_size(level);

			*physical = (entry & table->format->address_mask &
				     ~(page - 1)) |
				    (virtual_address & (page - 1));
			if (level_out)
				*level_out = level;
			if (entry_out)
				*entry_out = entry;
			return true;
		}
		entries = table_pointer(table, entry);
	}
}

static bool walk(const struct pagetable *table, const uint64_t *entries,
		 unsigned level, uint64_t base,
		 bool (*visit)(void *, uint64_t, uint64_t, uint64_t, uint64_t),
		 void *context)
{
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t entry = entries[i];
		uint64_t address = base + (uint64_t)i * pagetable_level_size(level);

		if (!table->format->present(entry))
			continue;
		if (level == 0 || table->format->is_leaf(entry, level)) {
			uint64_t size = pagetable_level_size(level);
			uint64_t physical = entry & table->format->address_mask &
					    ~(size - 1);

			if (!visit(context, address, physical, size, entry))
				return false;
		} else if (!walk(table, table_pointer(table, entry), level - 1,
				 address, visit, context)) {
			return false;
		}
	}
	return true;
}

bool pagetable_for_each_leaf(const struct pagetable *table,
			     bool (*visit)(void *, uint64_t, uint64_t, uint64_t,
					   uint64_t),
			     void *context)
{
	return walk(table, table->root_pointer, TOP_LEVEL, 0, visit, context);
}
