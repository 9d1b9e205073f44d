/* SPDX-License-Identifier: MIT */
/*
 * The windows of a partition's PCI host bridge (the DSDT's \_SB.PCI0
 * _CRS, lib/acpi_tables.c): its devices' BARs, which may be more than the
 * DSDT has slots for, covered by at most a given number of windows.
 * Pure, unit-tested: it knows nothing of partitions.
 */
#ifndef BULKHEAD_CORE_PLATFORM_PCI_WINDOWS_H
#define BULKHEAD_CORE_PLATFORM_PCI_WINDOWS_H

#include <bulkhead/acpi_tables.h>

#include <stdint.h>

/*
 * Covers ranges[0..count) (any order, none empty, none past 2^64) with at
 * most max windows (max >= 1), in place: sorted by base, ranges that
 * overlap or touch merged into one, and while more than max remain, the
 * two neighbours with the smallest gap between them merged across it (a
 * window then also spans addresses no BAR uses). Returns the windows'
 * count; they do not overlap and cover every byte of every range.
 */
uint32_t pci_windows_cover(struct acpi_window *ranges, uint32_t count,
			   uint32_t max);

#endif
