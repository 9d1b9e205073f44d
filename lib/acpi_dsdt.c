/* SPDX-License-Identifier: MIT */
/*
 * The DSDT's AML for a partition: the checks of its PCI parameters, the
 * variant of lib/acpi_dsdt.asl they call for, and its values written over
 * the source's marker integers. A marker is found by its value, never by
 * an offset, and must be there exactly once, so a change to the source
 * moves the patch points with it; one that drops or doubles a slot makes
 * every build fail (acpi_tables_build returns 0) instead of patching the
 * wrong bytes.
 */
#include "acpi_dsdt.h"

#include <string.h>

/* The source's markers: 0xB1C0DE, a kind byte, a 16-bit slot, 16 zero
 * bits. */
#define MARK(kind, slot)                                                       \
	(0xB1C0DE0000000000ull | (uint64_t)(kind) << 32 |                      \
	 (uint64_t)(slot) << 16)
#define KIND_WINDOW_LENGTH 0x51 /* CRSL: the bytes _CRS takes of CRSW */
#define KIND_WINDOW_SLOT   0x52 /* CRSW's descriptor n, at its _MIN */
#define KIND_ROUTE_COUNT   0x54 /* PRTN: the entries _PRT returns */
#define KIND_ROUTE_ADDRESS 0x55 /* PRTT entry n: its address, */
#define KIND_ROUTE_PIN	   0x56 /* its pin */
#define KIND_ROUTE_GSI	   0x57 /* and its GSI */
#define KIND_ECAM_SLOT	   0x58 /* MRES's descriptor, at its _MIN */

#define AML_QWORD_PREFIX 0x0e

/* QWord Address Space Descriptor (ACPI 6.0, 6.4.3.5.1). */
#define QWORD_TAG		 0x8a
#define QWORD_SIZE		 46
#define QWORD_LENGTH_FIELD	 43 /* the bytes after tag and length */
#define QWORD_MIN		 14 /* where _MIN is in the descriptor */
#define QWORD_TYPE_MEMORY	 0
#define QWORD_TYPE_IO		 1
#define QWORD_CONSUMER		 (1u << 0) /* else produced: a window */
#define QWORD_MIN_FIXED		 (1u << 2)
#define QWORD_MAX_FIXED		 (1u << 3)
#define QWORD_MEMORY_WRITE	 (1u << 0) /* uncached (_MEM = 0), writable */
#define QWORD_IO_ENTIRE_RANGE	 3u
#define PRT_ADDRESS_ANY_FUNCTION 0xffffu

#define PORT_LAST 0xffffu

static void put16(uint8_t *at, uint16_t value)
{
	at[0] = (uint8_t)value;
	at[1] = (uint8_t)(value >> 8);
}

static void put64(uint8_t *at, uint64_t value)
{
	for (unsigned i = 0; i < 8; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static uint64_t get64(const uint8_t *at)
{
	uint64_t value = 0;

	for (unsigned i = 0; i < 8; i++)
		value |= (uint64_t)at[i] << (8 * i);
	return value;
}

/* How often marker's 8 little-endian bytes occur in the AML; *at is the
 * last occurrence. */
static unsigned count_marker(const struct acpi_dsdt_plan *plan, uint64_t marker,
			     uint32_t *at)
{
	unsigned count = 0;

	for (size_t i = 0; i + 8 <= plan->size; i++) {
		if (plan->aml[i] == (uint8_t)marker &&
		    get64(plan->aml + i) == marker) {
			count++;
			*at = (uint32_t)i;
		}
	}
	return count;
}

/* A marker that is a QWord integer's value (Name (X, marker) or a
 * package element): *at is its value's 8 bytes. */
static bool find_integer(const struct acpi_dsdt_plan *plan, uint8_t kind,
			 unsigned slot, uint32_t *at)
{
	return count_marker(plan, MARK(kind, slot), at) == 1 && *at > 0 &&
	       plan->aml[*at - 1] == AML_QWORD_PREFIX;
}

/* A marker that is the _MIN of a QWord address space descriptor: *at is
 * the descriptor's first byte. */
static bool find_descriptor(const struct acpi_dsdt_plan *plan, uint8_t kind,
			    unsigned slot, uint32_t *at)
{
	uint32_t min;

	if (count_marker(plan, MARK(kind, slot), &min) != 1 ||
	    min < QWORD_MIN || min - QWORD_MIN + QWORD_SIZE > plan->size)
		return false;
	*at = min - QWORD_MIN;
	return plan->aml[*at] == QWORD_TAG &&
	       plan->aml[*at + 1] == QWORD_LENGTH_FIELD &&
	       plan->aml[*at + 2] == 0;
}

/* Every slot the limits name, each once, and not one more: _CRS returns
 * a prefix of CRSW, so the window slots must follow each other. */
static bool find_pci_points(struct acpi_dsdt_plan *plan)
{
	uint32_t spare;

	if (!find_integer(plan, KIND_WINDOW_LENGTH, 0, &plan->window_length) ||
	    !find_integer(plan, KIND_ROUTE_COUNT, 0, &plan->route_count))
		return false;
	for (unsigned n = 0; n < ACPI_DSDT_WINDOW_SLOTS; n++)
		if (!find_descriptor(plan, KIND_WINDOW_SLOT, n,
				     &plan->window_slots[n]) ||
		    plan->window_slots[n] !=
			plan->window_slots[0] + n * QWORD_SIZE)
			return false;
	for (unsigned n = 0; n < ACPI_PCI_MAX_ROUTES; n++)
		if (!find_integer(plan, KIND_ROUTE_ADDRESS, n,
				  &plan->route_address[n]) ||
		    !find_integer(plan, KIND_ROUTE_PIN, n,
				  &plan->route_pin[n]) ||
		    !find_integer(plan, KIND_ROUTE_GSI, n, &plan->route_gsi[n]))
			return false;
	return !count_marker(plan,
			     MARK(KIND_WINDOW_SLOT, ACPI_DSDT_WINDOW_SLOTS),
			     &spare) &&
	       !count_marker(
		   plan, MARK(KIND_ROUTE_ADDRESS, ACPI_PCI_MAX_ROUTES), &spare);
}

static bool ranges_overlap(uint64_t a_base, uint64_t a_size, uint64_t b_base,
			   uint64_t b_size)
{
	return a_base <= b_base + (b_size - 1) &&
	       b_base <= a_base + (a_size - 1);
}

/* Each window non-empty and inside [0, last], no two overlapping. */
static bool windows_valid(const struct acpi_window *windows, uint32_t count,
			  uint32_t max, uint64_t last)
{
	if (count > max)
		return false;
	for (uint32_t i = 0; i < count; i++) {
		const struct acpi_window *w = &windows[i];

		if (!w->size || w->base > last || w->size - 1 > last - w->base)
			return false;
		for (uint32_t j = 0; j < i; j++)
			if (ranges_overlap(w->base, w->size, windows[j].base,
					   windows[j].size))
				return false;
	}
	return true;
}

static bool routes_valid(const struct acpi_params *params)
{
	if (params->route_count > ACPI_PCI_MAX_ROUTES)
		return false;
	for (uint32_t i = 0; i < params->route_count; i++) {
		const struct acpi_pci_route *r = &params->routes[i];

		if (r->device > ACPI_PCI_MAX_DEVICE ||
		    r->pin > ACPI_PCI_MAX_PIN || r->gsi < ACPI_PCI_MIN_GSI)
			return false;
		for (uint32_t j = 0; j < i; j++)
			if (params->routes[j].device == r->device &&
			    params->routes[j].pin == r->pin)
				return false;
	}
	return true;
}

static bool ecam_valid(const struct acpi_params *params)
{
	uint64_t size = (params->ecam_end_bus + 1ull) * ACPI_ECAM_BUS_SIZE;

	if (!params->ecam_base)
		return params->ecam_end_bus == 0;
	if (params->ecam_base % ACPI_ECAM_BUS_SIZE ||
	    size - 1 > UINT64_MAX - params->ecam_base)
		return false;
	for (uint32_t i = 0; i < params->memory_window_count; i++)
		if (ranges_overlap(params->ecam_base, size,
				   params->memory_windows[i].base,
				   params->memory_windows[i].size))
			return false;
	return true;
}

static bool pci_params_valid(const struct acpi_params *params)
{
	if (!params->pci)
		return !params->memory_window_count &&
		       !params->io_window_count && !params->route_count &&
		       !params->ecam_base && !params->ecam_end_bus &&
		       !params->msi;
	return windows_valid(params->memory_windows,
			     params->memory_window_count,
			     ACPI_PCI_MAX_MEMORY_WINDOWS, UINT64_MAX) &&
	       windows_valid(params->io_windows, params->io_window_count,
			     ACPI_PCI_MAX_IO_WINDOWS, PORT_LAST) &&
	       routes_valid(params) && ecam_valid(params);
}

bool acpi_dsdt_plan(const struct acpi_params *params,
		    struct acpi_dsdt_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	if (!pci_params_valid(params))
		return false;
	if (!params->pci) {
		plan->aml = acpi_dsdt_plain;
		plan->size = acpi_dsdt_plain_size;
		return true;
	}
	plan->aml = params->ecam_base ? acpi_dsdt_pci_ecam : acpi_dsdt_pci;
	plan->size =
	    params->ecam_base ? acpi_dsdt_pci_ecam_size : acpi_dsdt_pci_size;
	if (!find_pci_points(plan))
		return false;
	return !params->ecam_base ||
	       find_descriptor(plan, KIND_ECAM_SLOT, 0, &plan->ecam_slot);
}

/* A QWord address space descriptor with a fixed base and size (size 0:
 * an empty one, fixed nowhere). */
static void put_qword_descriptor(uint8_t *at, uint8_t type, uint8_t flags,
				 uint8_t type_flags, uint64_t base,
				 uint64_t size)
{
	at[0] = QWORD_TAG;
	put16(at + 1, QWORD_LENGTH_FIELD);
	at[3] = type;
	at[4] =
	    size ? (uint8_t)(flags | QWORD_MIN_FIXED | QWORD_MAX_FIXED) : flags;
	at[5] = type_flags;
	put64(at + 6, 0); /* granularity: 0 for a fixed window */
	put64(at + QWORD_MIN, base);
	put64(at + 22, size ? base + (size - 1) : 0);
	put64(at + 30, 0); /* no translation: guest address = bus address */
	put64(at + 38, size);
}

static void write_windows(uint8_t *out, const struct acpi_dsdt_plan *plan,
			  const struct acpi_params *params)
{
	uint32_t memory = params->memory_window_count;
	uint32_t used = memory + params->io_window_count;

	put64(out + plan->window_length, (uint64_t)used * QWORD_SIZE);
	for (uint32_t n = 0; n < ACPI_DSDT_WINDOW_SLOTS; n++) {
		uint8_t *slot = out + plan->window_slots[n];

		if (n < memory)
			put_qword_descriptor(slot, QWORD_TYPE_MEMORY, 0,
					     QWORD_MEMORY_WRITE,
					     params->memory_windows[n].base,
					     params->memory_windows[n].size);
		else if (n < used)
			put_qword_descriptor(
			    slot, QWORD_TYPE_IO, 0, QWORD_IO_ENTIRE_RANGE,
			    params->io_windows[n - memory].base,
			    params->io_windows[n - memory].size);
		else
			put_qword_descriptor(slot, QWORD_TYPE_MEMORY, 0, 0, 0,
					     0);
	}
}

/* The unused entries are zeroed: _PRT never returns them. */
static void write_routes(uint8_t *out, const struct acpi_dsdt_plan *plan,
			 const struct acpi_params *params)
{
	put64(out + plan->route_count, params->route_count);
	for (uint32_t n = 0; n < ACPI_PCI_MAX_ROUTES; n++) {
		const struct acpi_pci_route *r = &params->routes[n];
		bool used = n < params->route_count;

		put64(out + plan->route_address[n],
		      used
			  ? (uint64_t)r->device << 16 | PRT_ADDRESS_ANY_FUNCTION
			  : 0);
		put64(out + plan->route_pin[n], used ? r->pin : 0);
		put64(out + plan->route_gsi[n], used ? r->gsi : 0);
	}
}

void acpi_dsdt_write(uint8_t *out, const struct acpi_dsdt_plan *plan,
		     const struct acpi_params *params)
{
	memcpy(out, plan->aml, plan->size);
	if (!params->pci)
		return;
	write_windows(out, plan, params);
	write_routes(out, plan, params);
	if (params->ecam_base)
		put_qword_descriptor(
		    out + plan->ecam_slot, QWORD_TYPE_MEMORY, QWORD_CONSUMER,
		    QWORD_MEMORY_WRITE, params->ecam_base,
		    (params->ecam_end_bus + 1ull) * ACPI_ECAM_BUS_SIZE);
}
