/* SPDX-License-Identifier: MIT */
/* Reading the IVRS table; see ivrs.h. Pure. */
#include "ivrs.h"

#include <string.h>

#include "lib/format.h"

#define IVRS_HEADER_SIZE 48 /* ACPI header, IVinfo, reserved */
#define IVHD_10_HEADER 24
#define IVHD_11_HEADER 40 /* also 40h: attributes, EFR image, reserved */

#define ENTRY_PAD 0x00
#define ENTRY_ALL 0x01
#define ENTRY_SELECT 0x02
#define ENTRY_RANGE_START 0x03
#define ENTRY_RANGE_END 0x04
#define ENTRY_ALIAS_SELECT 0x42
#define ENTRY_ALIAS_RANGE 0x43
#define ENTRY_EXTENDED_SELECT 0x46
#define ENTRY_EXTENDED_RANGE 0x47
#define ENTRY_SPECIAL 0x48
#define ENTRY_ACPI_HID 0xf0
#define ACPI_HID_FIXED 22 /* before the UID */

static uint16_t read16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t read32(const uint8_t *p)
{
	return (uint32_t)read16(p) | (uint32_t)read16(p + 2) << 16;
}

static uint64_t read64(const uint8_t *p)
{
	return (uint64_t)read32(p) | (uint64_t)read32(p + 4) << 32;
}

static bool refuse(char error[IVRS_ERROR_MAX], const char *what,
		   unsigned offset)
{
	format(error, IVRS_ERROR_MAX, "IVRS: %s (at offset %u)", what, offset);
	return false;
}

/* The length of the device entry at p, 0 when it cannot be known. */
static size_t entry_length(const uint8_t *p, size_t left)
{
	if (p[0] < 0x40)
		return 4;
	if (p[0] < 0x80)
		return 8;
	if (p[0] == ENTRY_ACPI_HID && left >= ACPI_HID_FIXED)
		return ACPI_HID_FIXED + (size_t)p[ACPI_HID_FIXED - 1];
	return 0;
}

static bool add_range(struct ivrs_unit *u, uint16_t first, uint16_t last,
		      uint8_t settings, bool alias, uint16_t alias_id,
		      char error[IVRS_ERROR_MAX], unsigned offset)
{
	if (last < first)
		return refuse(error, "a range ends before it starts", offset);
	if (u->range_count == IVRS_MAX_RANGES)
		return refuse(error, "too many device entries", offset);
	u->ranges[u->range_count++] = (struct ivrs_range){
		first, last, settings, alias, alias_id,
	};
	return true;
}

/* The device entries in [p, end) of the block at table offset base. */
static bool parse_entries(struct ivrs_unit *u, const uint8_t *table,
			  const uint8_t *p, const uint8_t *end,
			  char error[IVRS_ERROR_MAX])
{
	bool open = false, open_alias = false;
	uint16_t open_first = 0, open_alias_id = 0;
	uint8_t open_settings = 0;

	while (p < end) {
		unsigned offset = (unsigned)(p - table);
		size_t left = (size_t)(end - p), size = entry_length(p, left);

		if (!size)
			return refuse(error, "a device entry of unknown length",
				      offset);
		if (size > left)
			return refuse(error,
				      "a device entry runs past its block",
				      offset);
		uint8_t type = p[0], settings = p[3];
		uint16_t id = read16(p + 1);

		if (open && type != ENTRY_RANGE_END)
			return refuse(error, "a range start without its end",
				      offset);
		switch (type) {
		case ENTRY_ALL:
			u->all = true;
			u->all_settings = settings;
			break;
		case ENTRY_SELECT:
		case ENTRY_EXTENDED_SELECT:
			if (!add_range(u, id, id, settings, false, 0, error,
				       offset))
				return false;
			break;
		case ENTRY_ALIAS_SELECT:
			if (!add_range(u, id, id, settings, true,
				       read16(p + 5), error, offset))
				return false;
			break;
		case ENTRY_RANGE_START:
		case ENTRY_ALIAS_RANGE:
		case ENTRY_EXTENDED_RANGE:
			open = true;
			open_first = id;
			open_settings = settings;
			open_alias = type == ENTRY_ALIAS_RANGE;
			open_alias_id = open_alias ? read16(p + 5) : 0;
			break;
		case ENTRY_RANGE_END:
			if (!open)
				return refuse(error,
					      "a range end without its start",
					      offset);
			open = false;
			if (!add_range(u, open_first, id, open_settings,
				       open_alias, open_alias_id, error,
				       offset))
				return false;
			break;
		case ENTRY_SPECIAL:
			if (u->special_count == IVRS_MAX_SPECIAL)
				return refuse(error, "too many special devices",
					      offset);
			u->specials[u->special_count++] =
				(struct ivrs_special){ p[7], p[4],
						       read16(p + 5) };
			break;
		default: /* padding, reserved types, ACPI devices */
			break;
		}
		p += size;
	}
	if (open)
		return refuse(error, "a range start without its end",
			      (unsigned)(end - table));
	return true;
}

static int find_unit(const struct ivrs_info *info, uint16_t segment,
		     uint16_t device_id)
{
	for (uint32_t i = 0; i < info->unit_count; i++)
		if (info->units[i].segment == segment &&
		    info->units[i].device_id == device_id)
			return (int)i;
	return -1;
}

bool ivrs_parse(const uint8_t *table, size_t length, struct ivrs_info *out,
		char error[IVRS_ERROR_MAX])
{
	memset(out, 0, sizeof(*out));
	error[0] = '\0';
	if (length < IVRS_HEADER_SIZE || memcmp(table, "IVRS", 4)) {
		format(error, IVRS_ERROR_MAX, "IVRS: not an IVRS table");
		return false;
	}
	uint32_t stated = read32(table + 4);

	if (stated < IVRS_HEADER_SIZE || stated > length)
		return refuse(error, "the table's length is not what was read",
			      4);
	out->iv_info = read32(table + 36);
	out->physical_address_bits = (uint8_t)(out->iv_info >> 8 & 0x7f);
	out->virtual_address_bits = (uint8_t)(out->iv_info >> 15 & 0xff);
	const uint8_t *p = table + IVRS_HEADER_SIZE, *end = table + stated;

	while (p < end) {
		unsigned offset = (unsigned)(p - table);

		if (end - p < 4 || read16(p + 2) < 4 ||
		    read16(p + 2) > end - p)
			return refuse(error, "a block has a bad length",
				      offset);
		uint8_t type = p[0];
		uint16_t size = read16(p + 2);

		if (type >= 0x20 && type <= 0x22) {
			out->memory_definitions++;
			p += size;
			continue;
		}
		if (type != 0x10 && type != 0x11 && type != 0x40) {
			p += size; /* a block type this reader does not know */
			continue;
		}
		size_t header = type == 0x10 ? IVHD_10_HEADER : IVHD_11_HEADER;

		if (size < header)
			return refuse(error, "an IVHD is shorter than its header",
				      offset);
		/* One IOMMU may be described by blocks of several types:
		 * the highest type read wins, as the specification says. */
		int same = find_unit(out, read16(p + 16), read16(p + 4));
		struct ivrs_unit *u;

		if (same >= 0 && out->units[same].type > type) {
			p += size;
			continue;
		}
		if (same >= 0) {
			u = &out->units[same];
		} else {
			if (out->unit_count == IVRS_MAX_UNITS)
				return refuse(error, "more IOMMUs than held",
					      offset);
			u = &out->units[out->unit_count++];
		}
		memset(u, 0, sizeof(*u));
		u->type = type;
		u->flags = p[1];
		u->device_id = read16(p + 4);
		u->capability_offset = read16(p + 6);
		u->mmio_base = read64(p + 8);
		u->segment = read16(p + 16);
		u->info = read16(p + 18);
		if (!u->mmio_base || (u->mmio_base & 0x3fff))
			return refuse(error,
				      "an IVHD's MMIO base is zero or not "
				      "16 KiB aligned",
				      offset);
		if (!parse_entries(u, table, p + header, p + size, error))
			return false;
		p += size;
	}
	if (!out->unit_count) {
		format(error, IVRS_ERROR_MAX, "IVRS: no IOMMU (no IVHD block)");
		return false;
	}
	return true;
}

int ivrs_unit_of(const struct ivrs_info *info, uint16_t segment,
		 uint16_t device_id)
{
	for (uint32_t i = 0; i < info->unit_count; i++) {
		const struct ivrs_unit *u = &info->units[i];

		if (u->segment != segment)
			continue;
		for (uint32_t r = 0; r < u->range_count; r++)
			if (device_id >= u->ranges[r].first &&
			    device_id <= u->ranges[r].last)
				return (int)i;
	}
	for (uint32_t i = 0; i < info->unit_count; i++)
		if (info->units[i].segment == segment && info->units[i].all)
			return (int)i;
	return -1;
}
