/* SPDX-License-Identifier: MIT */
/*
 * The ACPI DMA Remapping table (DMAR, Intel VT-d specification ch. 8),
 * read into plain data: the remapping hardware units (DRHD) with their
 * device scopes, and the reserved memory regions (RMRR) firmware needs
 * kept mapped for some devices. Pure: it reads only the bytes it is given,
 * within the table's stated length, so it is unit-tested on the host.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_DMAR_H
#define BULKHEAD_DRIVERS_IOMMU_DMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DMAR_MAX_UNITS 8
#define DMAR_MAX_SCOPES 48
#define DMAR_MAX_RESERVED 8
#define DMAR_MAX_PATH 4 /* bridges crossed from the start bus */
#define DMAR_ERROR_MAX 120

enum dmar_scope_type {
	DMAR_SCOPE_ENDPOINT = 1,
	DMAR_SCOPE_BRIDGE = 2, /* the bridge and everything behind it */
	DMAR_SCOPE_IOAPIC = 3,
	DMAR_SCOPE_HPET = 4,
	DMAR_SCOPE_NAMESPACE = 5,
};

struct dmar_scope {
	uint8_t type; /* enum dmar_scope_type */
	uint8_t enumeration_id;
	uint8_t start_bus;
	uint8_t path_length; /* (device, function) pairs in path */
	struct {
		uint8_t device, function;
	} path[DMAR_MAX_PATH];
};

struct dmar_unit {
	uint64_t register_base;
	uint16_t segment;
	bool include_all; /* every device of the segment no other unit lists */
	uint32_t scope_count;
	struct dmar_scope scopes[DMAR_MAX_SCOPES];
};

struct dmar_reserved {
	uint16_t segment;
	uint64_t base, limit; /* inclusive limit */
	uint32_t scope_count;
	struct dmar_scope scopes[DMAR_MAX_PATH];
};

struct dmar_info {
	uint8_t host_address_width; /* bits of DMA address the platform has */
	bool interrupt_remapping;   /* the platform supports it */
	uint32_t unit_count;
	struct dmar_unit units[DMAR_MAX_UNITS];
	uint32_t reserved_count;
	struct dmar_reserved reserved[DMAR_MAX_RESERVED];
};

/* table: the whole DMAR table (header included), length bytes. False with
 * a one-line reason for a table it cannot trust or hold. */
bool dmar_parse(const uint8_t *table, size_t length, struct dmar_info *out,
		char error[DMAR_ERROR_MAX]);

/* Follows a scope path across bridges: the secondary and subordinate bus
 * of the bridge at (segment, bus, device, function), false if there is
 * no bridge there. */
typedef bool (*dmar_bridge_buses)(void *context, uint16_t segment,
				  uint8_t bus, uint8_t device,
				  uint8_t function, uint8_t *secondary,
				  uint8_t *subordinate);

/* The unit that translates DMA from the function, or -1. Endpoint scopes
 * match the function they name, bridge scopes everything behind the
 * bridge; a unit with include_all takes what no other unit names. */
int dmar_unit_of(const struct dmar_info *info, uint16_t segment, uint8_t bus,
		 uint8_t device, uint8_t function, dmar_bridge_buses bridges,
		 void *context);

/* The unit that remaps the interrupts of the IOAPIC whose (MADT) ID is
 * ioapic_id, named by an IOAPIC device scope (its enumeration id), with
 * the requester id that scope gives it; -1 when no unit names it. Only a
 * scope without bridges on its path is followed (the IOAPIC sits on its
 * start bus, as on every chipset's and QEMU's pseudo-bus 0xff). */
int dmar_ioapic_of(const struct dmar_info *info, uint8_t ioapic_id,
		   uint16_t *requester_id);

#endif
