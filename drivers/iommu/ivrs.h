/* SPDX-License-Identifier: MIT */
/*
 * The ACPI I/O Virtualization Reporting Structure (IVRS, AMD I/O
 * Virtualization Technology specification ch. 5), read into plain data:
 * IVinfo and the I/O virtualization hardware definition blocks (IVHD of
 * type 10h, 11h and 40h, read through the fields they share) with their
 * device entries: which device ids each IOMMU translates, the aliases,
 * and the special devices (IOAPIC, HPET). Memory definition blocks
 * (IVMD) are counted, not kept. Pure: it reads only the bytes it is
 * given, within the table's stated length, so it is unit-tested on the
 * host.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_IVRS_H
#define BULKHEAD_DRIVERS_IOMMU_IVRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IVRS_MAX_UNITS 8
#define IVRS_MAX_RANGES 96
#define IVRS_MAX_SPECIAL 8
#define IVRS_ERROR_MAX 120

enum ivrs_special_variety {
	IVRS_SPECIAL_IOAPIC = 1,
	IVRS_SPECIAL_HPET = 2,
};

/* Device ids first..last (inclusive) translated by the unit; with alias,
 * their requests carry alias_id instead of their own id. */
struct ivrs_range {
	uint16_t first, last;
	uint8_t settings; /* the DTE setting byte */
	bool alias;
	uint16_t alias_id;
};

struct ivrs_special {
	uint8_t variety; /* enum ivrs_special_variety */
	uint8_t handle;	 /* IOAPIC id or HPET number */
	uint16_t device_id;
};

struct ivrs_unit {
	uint8_t type; /* 0x10, 0x11 or 0x40 */
	uint8_t flags;
	uint16_t device_id; /* the IOMMU's own PCI function */
	uint16_t capability_offset;
	uint64_t mmio_base;
	uint16_t segment;
	uint16_t info;
	bool all; /* an "all" entry: every device id of the segment */
	uint8_t all_settings;
	uint32_t range_count;
	struct ivrs_range ranges[IVRS_MAX_RANGES];
	uint32_t special_count;
	struct ivrs_special specials[IVRS_MAX_SPECIAL];
};

struct ivrs_info {
	uint32_t iv_info;
	uint8_t physical_address_bits; /* IVinfo PASize */
	uint8_t virtual_address_bits;  /* IVinfo VASize */
	uint32_t unit_count;
	struct ivrs_unit units[IVRS_MAX_UNITS];
	uint32_t memory_definitions; /* IVMD blocks seen */
};

/* table: the whole IVRS table (header included), length bytes. False
 * with a one-line reason for a table it cannot trust or hold. */
bool ivrs_parse(const uint8_t *table, size_t length, struct ivrs_info *out,
		char error[IVRS_ERROR_MAX]);

/* The unit that translates DMA from device_id (bus << 8 | devfn) in the
 * segment, or -1: a unit that lists it in a select or range entry, else
 * one with an "all" entry. */
int ivrs_unit_of(const struct ivrs_info *info, uint16_t segment,
		 uint16_t device_id);

#endif
