/* SPDX-License-Identifier: MIT */
/*
 * The DSDT's AML for lib/acpi_tables.c: the three variants of
 * lib/acpi_dsdt.asl that the build compiles with iasl (mk/acpi.mk; each
 * without its table header, which the builder writes), the choice among
 * them for a partition's parameters, and the patching of its values over
 * the source's marker integers. Pure: no I/O, no allocation.
 */
#ifndef BULKHEAD_LIB_ACPI_DSDT_H
#define BULKHEAD_LIB_ACPI_DSDT_H

#include <bulkhead/acpi_tables.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Generated from lib/acpi_dsdt.asl: \_S5 only; with \_SB.PCI0; with
 * \_SB.PCI0 and \_SB.MRES. */
extern const uint8_t acpi_dsdt_plain[], acpi_dsdt_pci[], acpi_dsdt_pci_ecam[];
extern const size_t acpi_dsdt_plain_size, acpi_dsdt_pci_size,
    acpi_dsdt_pci_ecam_size;

#define ACPI_DSDT_WINDOW_SLOTS                                                 \
	(ACPI_PCI_MAX_MEMORY_WINDOWS + ACPI_PCI_MAX_IO_WINDOWS)

/* Where a partition's values go in the chosen variant: offsets into the
 * AML of 8-byte little-endian fields (a QWord integer's value or a
 * descriptor's start). */
struct acpi_dsdt_plan {
	const uint8_t *aml;
	size_t size;
	uint32_t window_length;			       /* CRSL */
	uint32_t window_slots[ACPI_DSDT_WINDOW_SLOTS]; /* descriptors */
	uint32_t route_count;			       /* PRTN */
	uint32_t route_address[ACPI_PCI_MAX_ROUTES];
	uint32_t route_pin[ACPI_PCI_MAX_ROUTES];
	uint32_t route_gsi[ACPI_PCI_MAX_ROUTES];
	uint32_t ecam_slot; /* MRES's descriptor */
};

/* Checks params' PCI fields (acpi_tables.h), picks the variant and finds
 * every patch point in it. False when a field is invalid or when the AML
 * lacks a marker or has one twice (lib/acpi_dsdt.asl and this file
 * disagree): then nothing may be built. */
bool acpi_dsdt_plan(const struct acpi_params *params,
		    struct acpi_dsdt_plan *plan);
/* Writes the plan's plan->size bytes of AML at out with params' values
 * (the params acpi_dsdt_plan accepted). */
void acpi_dsdt_write(uint8_t *out, const struct acpi_dsdt_plan *plan,
		     const struct acpi_params *params);

#endif
