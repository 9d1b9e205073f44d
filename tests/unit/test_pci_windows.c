/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the host bridge's window cover
 * (core/platform/pci_windows.c): merging of overlapping and touching
 * BARs, merging across the smallest gaps when there are too many, the top
 * of the address space, and on random sets the promises themselves: at
 * most max windows, sorted, disjoint, covering every range, and exactly
 * the ranges' union when no gap had to be crossed.
 */
#include "core/platform/pci_windows.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_pci_windows")

#define MANY 48

static uint64_t last(const struct acpi_window *w)
{
	return w->base + (w->size - 1);
}

static void check_window(const struct acpi_window *w, uint64_t base,
			 uint64_t size)
{
	CHECK_EQ(w->base, base);
	CHECK_EQ(w->size, size);
}

static void test_small_sets(void)
{
	struct acpi_window r[8];

	CHECK_EQ(pci_windows_cover(r, 0, 4), 0);

	r[0] = (struct acpi_window){0xfe000000, 0x1000};
	CHECK_EQ(pci_windows_cover(r, 1, 4), 1);
	check_window(&r[0], 0xfe000000, 0x1000);

	/* Unsorted and apart: sorted, kept. */
	r[0] = (struct acpi_window){0xfe100000, 0x1000};
	r[1] = (struct acpi_window){0x800000000, 0x4000};
	r[2] = (struct acpi_window){0xfe000000, 0x1000};
	CHECK_EQ(pci_windows_cover(r, 3, 4), 3);
	check_window(&r[0], 0xfe000000, 0x1000);
	check_window(&r[1], 0xfe100000, 0x1000);
	check_window(&r[2], 0x800000000, 0x4000);

	/* Touching, overlapping and contained ranges become one. */
	r[0] = (struct acpi_window){0xfe001000, 0x1000};
	r[1] = (struct acpi_window){0xfe000000, 0x1000};
	r[2] = (struct acpi_window){0xfe001800, 0x2000};
	r[3] = (struct acpi_window){0xfe000100, 0x10};
	r[4] = (struct acpi_window){0xc000, 0x40};
	CHECK_EQ(pci_windows_cover(r, 5, 4), 2);
	check_window(&r[0], 0xc000, 0x40);
	check_window(&r[1], 0xfe000000, 0x3800);

	/* Too many: the smallest gap goes first (0x1000 between the first
	 * two, 0x2000 between the last two). */
	r[0] = (struct acpi_window){0x10000, 0x1000};
	r[1] = (struct acpi_window){0x12000, 0x1000};
	r[2] = (struct acpi_window){0x20000, 0x1000};
	r[3] = (struct acpi_window){0x23000, 0x1000};
	CHECK_EQ(pci_windows_cover(r, 4, 3), 3);
	check_window(&r[0], 0x10000, 0x3000);
	check_window(&r[1], 0x20000, 0x1000);
	check_window(&r[2], 0x23000, 0x1000);
	CHECK_EQ(pci_windows_cover(r, 3, 2), 2);
	check_window(&r[1], 0x20000, 0x4000);
	CHECK_EQ(pci_windows_cover(r, 2, 1), 1);
	check_window(&r[0], 0x10000, 0x14000);
}

static void test_top_of_address_space(void)
{
	struct acpi_window r[3] = {
	    {0xfffffffffffff000ull, 0x1000},
	    {0xffffffffffffe000ull, 0x1000},
	    {0x1000, 0x1000},
	};

	CHECK_EQ(pci_windows_cover(r, 3, 4), 2);
	check_window(&r[0], 0x1000, 0x1000);
	check_window(&r[1], 0xffffffffffffe000ull, 0x2000);
	CHECK_EQ(last(&r[1]), UINT64_MAX);
	CHECK_EQ(pci_windows_cover(r, 2, 1), 1);
	check_window(&r[0], 0x1000, 0xfffffffffffff000ull);
	CHECK_EQ(last(&r[0]), UINT64_MAX);

	/* A range inside one that ends at 2^64. */
	r[0] = (struct acpi_window){0xfff0000000000000ull, 0x10000000000000ull};
	r[1] = (struct acpi_window){0xfff8000000000000ull, 0x1000};
	CHECK_EQ(pci_windows_cover(r, 2, 4), 1);
	check_window(&r[0], 0xfff0000000000000ull, 0x10000000000000ull);
}

static uint64_t random_state = 0x2545f4914f6cdd1dull;

static uint64_t next_random(void)
{
	random_state ^= random_state << 13;
	random_state ^= random_state >> 7;
	random_state ^= random_state << 17;
	return random_state;
}

static bool covered(const struct acpi_window *windows, uint32_t count,
		    const struct acpi_window *range)
{
	for (uint32_t i = 0; i < count; i++)
		if (windows[i].base <= range->base &&
		    last(range) <= last(&windows[i]))
			return true;
	return false;
}

/* Bytes of [base, last] that some range holds, by walking the ranges'
 * pages: the test's ranges are page multiples in a small space. */
static bool every_page_used(const struct acpi_window *w,
			    const struct acpi_window *ranges, uint32_t count)
{
	for (uint64_t page = w->base; page <= last(w); page += 0x1000) {
		struct acpi_window one = {page, 0x1000};

		if (!covered(ranges, count, &one))
			return false;
	}
	return true;
}

static void test_random_sets(void)
{
	unsigned bad_count = 0, unsorted = 0, uncovered = 0, gaps = 0;

	for (unsigned round = 0; round < 2000; round++) {
		struct acpi_window ranges[MANY], windows[MANY];
		uint32_t count = (uint32_t)(next_random() % MANY) + 1;
		uint32_t max = (uint32_t)(next_random() % 20) + 1;
		uint32_t got;

		for (uint32_t i = 0; i < count; i++)
			ranges[i] = (struct acpi_window){
			    0xfe000000 + (next_random() % 256) * 0x1000,
			    ((next_random() % 4) + 1) * 0x1000};
		memcpy(windows, ranges, sizeof(ranges));
		got = pci_windows_cover(windows, count, max);
		bad_count += got == 0 || got > max || got > count;
		for (uint32_t i = 0; i + 1 < got; i++)
			unsorted +=
			    last(&windows[i]) + 1 >= windows[i + 1].base;
		for (uint32_t i = 0; i < count; i++)
			uncovered += !covered(windows, got, &ranges[i]);
		/* No gap crossed unless it had to be: with fewer windows
		 * than max, every page of every window is some range's. */
		if (got < max)
			for (uint32_t i = 0; i < got; i++)
				gaps += !every_page_used(&windows[i], ranges,
							 count);
	}
	CHECK_EQ(bad_count, 0);
	CHECK_EQ(unsorted, 0);
	CHECK_EQ(uncovered, 0);
	CHECK_EQ(gaps, 0);
}

static void run_tests(void)
{
	test_small_sets();
	test_top_of_address_space();
	test_random_sets();
}
