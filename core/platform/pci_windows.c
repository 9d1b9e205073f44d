/* SPDX-License-Identifier: MIT */
/*
 * Covering BARs with few windows (pci_windows.h). Ranges are compared by
 * their last byte, base + size - 1, so that a range that ends at 2^64
 * needs no 65th bit.
 */
#include "pci_windows.h"

#include <stdbool.h>

static uint64_t last_byte(const struct acpi_window *w)
{
	return w->base + (w->size - 1);
}

/* Insertion sort by base: a few dozen ranges at most. */
static void sort_by_base(struct acpi_window *ranges, uint32_t count)
{
	for (uint32_t i = 1; i < count; i++) {
		struct acpi_window moving = ranges[i];
		uint32_t j = i;

		for (; j > 0 && ranges[j - 1].base > moving.base; j--)
			ranges[j] = ranges[j - 1];
		ranges[j] = moving;
	}
}

/* ranges[at] grows to the end of ranges[at + 1], which leaves the list. */
static uint32_t merge_next(struct acpi_window *ranges, uint32_t count,
			   uint32_t at)
{
	uint64_t last = last_byte(&ranges[at + 1]);

	if (last > last_byte(&ranges[at]))
		ranges[at].size = last - ranges[at].base + 1;
	for (uint32_t i = at + 1; i + 1 < count; i++)
		ranges[i] = ranges[i + 1];
	return count - 1;
}

/* Whether ranges[at + 1] (the later base) overlaps or touches
 * ranges[at]. */
static bool joins_next(const struct acpi_window *ranges, uint32_t at)
{
	uint64_t last = last_byte(&ranges[at]);

	return last == UINT64_MAX || ranges[at + 1].base <= last + 1;
}

/* The neighbours (at, at + 1) with the smallest gap, sorted and
 * disjoint: the gap is next.base - last - 1 >= 1. */
static uint32_t closest_neighbours(const struct acpi_window *ranges,
				   uint32_t count)
{
	uint32_t best = 0;
	uint64_t best_gap = UINT64_MAX;

	for (uint32_t i = 0; i + 1 < count; i++) {
		uint64_t gap = ranges[i + 1].base - last_byte(&ranges[i]) - 1;

		if (gap < best_gap) {
			best_gap = gap;
			best = i;
		}
	}
	return best;
}

uint32_t pci_windows_cover(struct acpi_window *ranges, uint32_t count,
			   uint32_t max)
{
	sort_by_base(ranges, count);
	for (uint32_t i = 0; i + 1 < count;) {
		if (joins_next(ranges, i))
			count = merge_next(ranges, count, i);
		else
			i++;
	}
	while (count > max && count > 1)
		count = merge_next(ranges, count,
				   closest_neighbours(ranges, count));
	return count;
}
