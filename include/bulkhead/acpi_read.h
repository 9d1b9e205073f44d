/* SPDX-License-Identifier: MIT */
/*
 * A reader of the firmware's ACPI tables: from the RSDP through the XSDT
 * (RSDP revision 2 and later) or the RSDT to one table by signature and
 * instance, each table's signature, length and checksum checked, and the
 * MCFG parsed into its ECAM windows. Pure: all memory is reached through
 * a caller's view, so nothing is read past what the view allows or past a
 * table's own length. The loader and the core use the identity view (the
 * address is the pointer); unit tests use a buffer.
 */
#ifndef BULKHEAD_ACPI_READ_H
#define BULKHEAD_ACPI_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_HEADER_SIZE 36
/* A table longer than this is taken as corrupt. */
#define ACPI_TABLE_MAX_LENGTH (16u << 20)

/* How the reader reaches physical memory. */
struct acpi_memory {
	/* A pointer to the size bytes at physical, or NULL when they are
	 * not all readable. Called before every read, never assumed. */
	const void *(*map)(void *context, uint64_t physical, uint64_t size);
	void *context;
};

/* A checked table: its physical address, where it is readable, and its
 * length from its header (header included). */
struct acpi_table {
	uint64_t physical;
	const uint8_t *data;
	uint32_t length;
};

/*
 * The identity view: a physical address is the pointer. context is NULL
 * (everything readable) or points to a uint64_t limit: only [0, limit) is.
 */
const void *acpi_identity_map(void *context, uint64_t physical, uint64_t size);

/*
 * Checks the table at physical: readable header, the signature (4 bytes),
 * a length of at least ACPI_HEADER_SIZE and at most ACPI_TABLE_MAX_LENGTH,
 * all of it readable, and a zero byte sum. Fills *table on success.
 */
bool acpi_check_table(const struct acpi_memory *memory, uint64_t physical,
		      const char *signature, struct acpi_table *table);

/*
 * Finds the instance-th (0 = first) valid table with signature (4 bytes,
 * e.g. "MCFG", "APIC", "DMAR", "IVRS") listed by the root table of the
 * RSDP at rsdp_physical: its "RSD PTR " signature and checksum are checked
 * (and for revision 2 and later its length and extended checksum, then
 * the XSDT is used when its address is not 0; otherwise the RSDT). Entries
 * that fail acpi_check_table are skipped and not counted. Returns false
 * when the RSDP or the root table is invalid or there is no such table.
 */
bool acpi_find_table(const struct acpi_memory *memory, uint64_t rsdp_physical,
		     const char *signature, uint32_t instance,
		     struct acpi_table *table);

/*
 * One ECAM window of the MCFG. The configuration space of bus b, device
 * d, function f is the 4 KiB at base + (b << 20 | d << 15 | f << 12), for
 * start_bus <= b <= end_bus: base is the address of bus 0 even when the
 * window starts at a later bus (the PCI Firmware Specification).
 */
struct acpi_mcfg_window {
	uint64_t base;
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
};

/*
 * Parses a checked MCFG (acpi_check_table with "MCFG"): stores up to
 * capacity windows in order and returns how many valid windows the table
 * has (more than capacity when they did not all fit). An entry with
 * end_bus < start_bus, a base of 0 or not 1 MiB aligned, or whose window
 * would wrap around the address space is skipped. Only whole 16-byte
 * entries inside the table's length are read.
 */
size_t acpi_parse_mcfg(const struct acpi_table *mcfg,
		       struct acpi_mcfg_window *windows, size_t capacity);

#endif
