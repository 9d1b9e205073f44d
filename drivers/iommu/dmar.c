/* SPDX-License-Identifier: MIT */
/* Reading the DMAR table; see dmar.h. Pure. */
#include "dmar.h"

#include <string.h>

#include "lib/format.h"

#define DMAR_HEADER_SIZE 48 /* ACPI header, width, flags, reserved */
#define DMAR_FLAG_INTR_REMAP 0x1
#define STRUCTURE_DRHD 0
#define STRUCTURE_RMRR 1
#define DRHD_INCLUDE_PCI_ALL 0x1
#define SCOPE_HEADER_SIZE 6

static uint16_t read16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t read64(const uint8_t *p)
{
	uint64_t value = 0;

	for (int i = 7; i >= 0; i--)
		value = value << 8 | p[i];
	return value;
}

/* Reads the device scopes in [p, end); false when one runs past end. */
static bool parse_scopes(const uint8_t *p, const uint8_t *end,
			 struct dmar_scope *scopes, uint32_t max,
			 uint32_t *count, char error[DMAR_ERROR_MAX])
{
	*count = 0;
	while (p < end) {
		if (end - p < SCOPE_HEADER_SIZE || p[1] < SCOPE_HEADER_SIZE ||
		    p[1] > end - p || (p[1] - SCOPE_HEADER_SIZE) % 2) {
			format(error, DMAR_ERROR_MAX,
			       "DMAR: a device scope has a bad length");
			return false;
		}
		unsigned path_length = (p[1] - SCOPE_HEADER_SIZE) / 2;

		if (*count == max || path_length > DMAR_MAX_PATH ||
		    path_length == 0) {
			format(error, DMAR_ERROR_MAX,
			       "DMAR: %s (at most %u scopes of %u levels)",
			       path_length ? "too many device scopes"
					   : "a device scope has no path",
			       max, DMAR_MAX_PATH);
			return false;
		}
		struct dmar_scope *s = &scopes[(*count)++];

		*s = (struct dmar_scope){
			.type = p[0],
			.enumeration_id = p[4],
			.start_bus = p[5],
			.path_length = (uint8_t)path_length,
		};
		for (unsigned i = 0; i < path_length; i++) {
			s->path[i].device = p[6 + 2 * i];
			s->path[i].function = p[7 + 2 * i];
		}
		p += p[1];
	}
	return true;
}

bool dmar_parse(const uint8_t *table, size_t length, struct dmar_info *out,
		char error[DMAR_ERROR_MAX])
{
	memset(out, 0, sizeof(*out));
	error[0] = '\0';
	if (length < DMAR_HEADER_SIZE || memcmp(table, "DMAR", 4)) {
		format(error, DMAR_ERROR_MAX, "DMAR: not a DMAR table");
		return false;
	}
	out->host_address_width = (uint8_t)(table[36] + 1);
	out->interrupt_remapping = table[37] & DMAR_FLAG_INTR_REMAP;
	const uint8_t *p = table + DMAR_HEADER_SIZE, *end = table + length;

	while (p < end) {
		if (end - p < 4 || read16(p + 2) < 4 ||
		    read16(p + 2) > end - p) {
			format(error, DMAR_ERROR_MAX,
			       "DMAR: a structure at offset %u has a bad "
			       "length",
			       (unsigned)(p - table));
			return false;
		}
		uint16_t type = read16(p), size = read16(p + 2);

		if (type == STRUCTURE_DRHD) {
			if (size < 16 || out->unit_count == DMAR_MAX_UNITS) {
				format(error, DMAR_ERROR_MAX,
				       size < 16 ? "DMAR: a DRHD is too short"
						 : "DMAR: more than %u units",
				       DMAR_MAX_UNITS);
				return false;
			}
			struct dmar_unit *u = &out->units[out->unit_count++];

			u->include_all = p[4] & DRHD_INCLUDE_PCI_ALL;
			u->segment = read16(p + 6);
			u->register_base = read64(p + 8);
			if (!parse_scopes(p + 16, p + size, u->scopes,
					  DMAR_MAX_SCOPES, &u->scope_count,
					  error))
				return false;
		} else if (type == STRUCTURE_RMRR) {
			if (size < 24 ||
			    out->reserved_count == DMAR_MAX_RESERVED) {
				format(error, DMAR_ERROR_MAX,
				       size < 24 ? "DMAR: an RMRR is too short"
						 : "DMAR: more than %u RMRRs",
				       DMAR_MAX_RESERVED);
				return false;
			}
			struct dmar_reserved *r =
				&out->reserved[out->reserved_count++];

			r->segment = read16(p + 6);
			r->base = read64(p + 8);
			r->limit = read64(p + 16);
			if (!parse_scopes(p + 24, p + size, r->scopes,
					  DMAR_MAX_PATH, &r->scope_count,
					  error))
				return false;
		}
		p += size;
	}
	if (!out->unit_count) {
		format(error, DMAR_ERROR_MAX, "DMAR: no remapping unit");
		return false;
	}
	return true;
}

/* Where a scope's path ends: the bus and (device, function) it names,
 * following each bridge on the way. */
static bool scope_target(const struct dmar_scope *s, uint16_t segment,
			 dmar_bridge_buses bridges, void *context,
			 uint8_t *bus, uint8_t *device, uint8_t *function)
{
	uint8_t b = s->start_bus, secondary, subordinate;

	for (unsigned i = 0; i + 1 < s->path_length; i++) {
		if (!bridges || !bridges(context, segment, b, s->path[i].device,
					 s->path[i].function, &secondary,
					 &subordinate))
			return false;
		b = secondary;
	}
	*bus = b;
	*device = s->path[s->path_length - 1].device;
	*function = s->path[s->path_length - 1].function;
	return true;
}

static bool scope_matches(const struct dmar_scope *s, uint16_t segment,
			  uint8_t bus, uint8_t device, uint8_t function,
			  dmar_bridge_buses bridges, void *context)
{
	uint8_t b, d, f, secondary, subordinate;

	if (s->type != DMAR_SCOPE_ENDPOINT && s->type != DMAR_SCOPE_BRIDGE)
		return false;
	if (!scope_target(s, segment, bridges, context, &b, &d, &f))
		return false;
	if (b == bus && d == device && f == function)
		return true;
	return s->type == DMAR_SCOPE_BRIDGE && bridges &&
	       bridges(context, segment, b, d, f, &secondary, &subordinate) &&
	       bus >= secondary && bus <= subordinate;
}

int dmar_unit_of(const struct dmar_info *info, uint16_t segment, uint8_t bus,
		 uint8_t device, uint8_t function, dmar_bridge_buses bridges,
		 void *context)
{
	int catch_all = -1;

	for (uint32_t i = 0; i < info->unit_count; i++) {
		const struct dmar_unit *u = &info->units[i];

		if (u->segment != segment)
			continue;
		if (u->include_all) {
			catch_all = (int)i;
			continue;
		}
		for (uint32_t k = 0; k < u->scope_count; k++)
			if (scope_matches(&u->scopes[k], segment, bus, device,
					  function, bridges, context))
				return (int)i;
	}
	return catch_all;
}

int dmar_ioapic_of(const struct dmar_info *info, uint8_t ioapic_id,
		   uint16_t *requester_id)
{
	for (uint32_t i = 0; i < info->unit_count; i++) {
		const struct dmar_unit *u = &info->units[i];

		for (uint32_t k = 0; k < u->scope_count; k++) {
			const struct dmar_scope *s = &u->scopes[k];

			if (s->type != DMAR_SCOPE_IOAPIC ||
			    s->enumeration_id != ioapic_id ||
			    s->path_length != 1)
				continue;
			*requester_id = (uint16_t)(s->start_bus << 8 |
						   s->path[0].device << 3 |
						   s->path[0].function);
			return (int)i;
		}
	}
	return -1;
}
