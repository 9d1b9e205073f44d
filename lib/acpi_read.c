/* SPDX-License-Identifier: MIT */
/*
 * Reading the firmware's ACPI tables (include/bulkhead/acpi_read.h). Every
 * byte comes through the caller's view, asked for before it is read, and
 * multi-byte fields are copied out little-endian, so no unaligned or
 * out-of-range access is ever made however the tables lie.
 */
#include <bulkhead/acpi_read.h>

#include <string.h>

/* Root System Description Pointer. */
#define RSDP_SIGNATURE	   "RSD PTR "
#define RSDP_V1_SIZE	   20 /* the first checksum covers these */
#define RSDP_REVISION	   15
#define RSDP_RSDT_ADDRESS  16
#define RSDP_LENGTH	   20
#define RSDP_XSDT_ADDRESS  24
#define RSDP_V2_SIZE	   36
#define RSDP_V2_MAX_LENGTH 4096

/* The common table header. */
#define HEADER_LENGTH 4

/* MCFG: the header, 8 reserved bytes, then 16-byte entries. */
#define MCFG_ENTRIES	44
#define MCFG_ENTRY_SIZE 16
#define MCFG_BASE	0
#define MCFG_SEGMENT	8
#define MCFG_START_BUS	10
#define MCFG_END_BUS	11
#define ECAM_BUS_SIZE	(1ull << 20)

static uint64_t get(const uint8_t *at, unsigned bytes)
{
	uint64_t value = 0;

	for (unsigned i = bytes; i-- > 0;)
		value = value << 8 | at[i];
	return value;
}

static uint8_t sum(const uint8_t *bytes, uint64_t length)
{
	uint8_t total = 0;

	for (uint64_t i = 0; i < length; i++)
		total = (uint8_t)(total + bytes[i]);
	return total;
}

static const uint8_t *map(const struct acpi_memory *memory, uint64_t physical,
			  uint64_t size)
{
	if (physical == 0 || physical + size < physical)
		return NULL;
	return memory->map(memory->context, physical, size);
}

const void *acpi_identity_map(void *context, uint64_t physical, uint64_t size)
{
	const uint64_t *limit = context;

	if (physical + size < physical || physical > UINTPTR_MAX - size)
		return NULL;
	if (limit && physical + size > *limit)
		return NULL;
	return (const void *)(uintptr_t)physical;
}

bool acpi_check_table(const struct acpi_memory *memory, uint64_t physical,
		      const char *signature, struct acpi_table *table)
{
	const uint8_t *header = map(memory, physical, ACPI_HEADER_SIZE);
	const uint8_t *data;
	uint32_t length;

	if (!header || memcmp(header, signature, 4))
		return false;
	length = (uint32_t)get(header + HEADER_LENGTH, 4);
	if (length < ACPI_HEADER_SIZE || length > ACPI_TABLE_MAX_LENGTH)
		return false;
	data = map(memory, physical, length);
	if (!data || sum(data, length) != 0)
		return false;
	table->physical = physical;
	table->data = data;
	table->length = length;
	return true;
}

/* The root table's physical address and its entry size, from a checked
 * RSDP. */
static bool read_rsdp(const struct acpi_memory *memory, uint64_t physical,
		      uint64_t *root, unsigned *entry_size)
{
	const uint8_t *rsdp = map(memory, physical, RSDP_V1_SIZE);

	if (!rsdp || memcmp(rsdp, RSDP_SIGNATURE, 8) ||
	    sum(rsdp, RSDP_V1_SIZE) != 0)
		return false;
	if (rsdp[RSDP_REVISION] >= 2) {
		rsdp = map(memory, physical, RSDP_V2_SIZE);
		if (!rsdp)
			return false;
		uint32_t length = (uint32_t)get(rsdp + RSDP_LENGTH, 4);
		if (length < RSDP_V2_SIZE || length > RSDP_V2_MAX_LENGTH)
			return false;
		rsdp = map(memory, physical, length);
		if (!rsdp || sum(rsdp, length) != 0)
			return false;
		*root = get(rsdp + RSDP_XSDT_ADDRESS, 8);
		if (*root) {
			*entry_size = 8;
			return true;
		}
	}
	*root = get(rsdp + RSDP_RSDT_ADDRESS, 4);
	*entry_size = 4;
	return *root != 0;
}

bool acpi_find_table(const struct acpi_memory *memory, uint64_t rsdp_physical,
		     const char *signature, uint32_t instance,
		     struct acpi_table *table)
{
	struct acpi_table root;
	uint64_t root_physical;
	unsigned entry_size;

	if (!read_rsdp(memory, rsdp_physical, &root_physical, &entry_size) ||
	    !acpi_check_table(memory, root_physical,
			      entry_size == 8 ? "XSDT" : "RSDT", &root))
		return false;
	uint32_t entries = (root.length - ACPI_HEADER_SIZE) / entry_size;
	for (uint32_t i = 0; i < entries; i++) {
		const uint8_t *entry =
		    root.data + ACPI_HEADER_SIZE + (size_t)i * entry_size;

		if (acpi_check_table(memory, get(entry, entry_size), signature,
				     table) &&
		    instance-- == 0)
			return true;
	}
	return false;
}

size_t acpi_parse_mcfg(const struct acpi_table *mcfg,
		       struct acpi_mcfg_window *windows, size_t capacity)
{
	size_t count = 0;

	if (mcfg->length < MCFG_ENTRIES || memcmp(mcfg->data, "MCFG", 4))
		return 0;
	uint32_t entries = (mcfg->length - MCFG_ENTRIES) / MCFG_ENTRY_SIZE;
	for (uint32_t i = 0; i < entries; i++) {
		const uint8_t *entry =
		    mcfg->data + MCFG_ENTRIES + (size_t)i * MCFG_ENTRY_SIZE;
		struct acpi_mcfg_window window = {
		    .base = get(entry + MCFG_BASE, 8),
		    .segment = (uint16_t)get(entry + MCFG_SEGMENT, 2),
		    .start_bus = entry[MCFG_START_BUS],
		    .end_bus = entry[MCFG_END_BUS],
		};
		uint64_t end =
		    window.base + (window.end_bus + 1) * ECAM_BUS_SIZE;

		if (window.end_bus < window.start_bus || window.base == 0 ||
		    (window.base & (ECAM_BUS_SIZE - 1)) || end < window.base)
			continue;
		if (count < capacity)
			windows[count] = window;
		count++;
	}
	return count;
}
