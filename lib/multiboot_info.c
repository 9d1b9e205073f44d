/* SPDX-License-Identifier: MIT */
/*
 * The boot information a Multiboot kernel finds at EBX, built as
 * multiboot.h says: for version 1 the information structure with the
 * memory sizes, the memory map, the command line, the modules and the
 * boot loader's name; for version 2 the tag list with the same and, when
 * the partition has ACPI tables, copies of the RSDP (old and new). Pure: writes only
 * inside the area it is given, and fails rather than overrun it.
 */
#include <bulkhead/multiboot.h>
#include <string.h>

#define RSDP_V1_SIZE 20u
#define RSDP_V2_SIZE 36u

struct area {
	uint8_t *bytes;
	uint32_t address; /* the guest's address of bytes[0] */
	uint32_t size;
	uint32_t used;
	bool overflow;
};

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Room for length bytes at the next multiple of align; NULL when full. */
static uint8_t *reserve(struct area *a, uint32_t length, uint32_t align)
{
	uint32_t at = (a->used + align - 1) & ~(align - 1);

	if (a->overflow || at > a->size || length > a->size - at) {
		a->overflow = true;
		return NULL;
	}
	a->used = at + length;
	return a->bytes + at;
}

static uint32_t address_of(const struct area *a, const uint8_t *p)
{
	return a->address + (uint32_t)(p - a->bytes);
}

static uint32_t put_string(struct area *a, const char *text)
{
	uint32_t length = (uint32_t)strlen(text) + 1;
	uint8_t *p = reserve(a, length, 1);

	if (!p)
		return 0;
	memcpy(p, text, length);
	return address_of(a, p);
}

static uint32_t memory_type(uint32_t e820_type)
{
	return e820_type == LINUX_E820_RAM ? MULTIBOOT_MEMORY_AVAILABLE
					   : MULTIBOOT_MEMORY_RESERVED;
}

/* KiB of RAM from 0 and from 1 MiB, to the first hole. */
static void memory_sizes(const struct multiboot_info_input *in, uint32_t *lower,
			 uint32_t *upper)
{
	uint64_t low = 0, high = 0;

	for (unsigned i = 0; i < in->map_count; i++) {
		const struct linux_e820_entry *e = &in->map[i];

		if (e->type != LINUX_E820_RAM)
			continue;
		if (e->address == 0)
			low = e->size < 0xa0000 ? e->size : 0xa0000;
		if (e->address == 0x100000)
			high = e->size;
	}
	*lower = (uint32_t)(low >> 10);
	*upper = high >> 10 > UINT32_MAX ? UINT32_MAX : (uint32_t)(high >> 10);
}

/* Multiboot 1's module list: 16-byte entries (start, end, string). */
static uint32_t put_modules_v1(struct area *a,
			       const struct multiboot_info_input *in)
{
	uint8_t *list = reserve(a, in->module_count * 16u, 8);

	for (unsigned i = 0; list && i < in->module_count; i++) {
		uint8_t *entry = list + i * 16u;

		put32(entry, in->modules[i].start);
		put32(entry + 4, in->modules[i].end);
		put32(entry + 8, put_string(a, in->modules[i].string));
		put32(entry + 12, 0);
	}
	return list && in->module_count ? address_of(a, list) : 0;
}

static uint32_t build_v1(struct area *a, const struct multiboot_info_input *in)
{
	uint8_t *info = reserve(a, MULTIBOOT1_INFO_SIZE, 8);
	uint8_t *map;
	uint32_t lower, upper, cmdline, name, modules;

	if (!info)
		return 0;
	memory_sizes(in, &lower, &upper);
	put32(info + 4, lower);
	put32(info + 8, upper);
	cmdline = put_string(a, in->cmdline);
	name = put_string(a, in->loader_name);
	modules = put_modules_v1(a, in);
	map = reserve(a, in->map_count * 24u, 8);
	if (a->overflow)
		return 0;
	for (unsigned i = 0; i < in->map_count; i++) {
		uint8_t *entry = map + i * 24u;

		put32(entry, 20); /* the size of the rest of the entry */
		put64(entry + 4, in->map[i].address);
		put64(entry + 12, in->map[i].size);
		put32(entry + 20, memory_type(in->map[i].type));
	}
	put32(info + 16, cmdline);
	put32(info + 20, in->module_count);
	put32(info + 24, modules);
	put32(info + 44, in->map_count * 24u);
	put32(info + 48, address_of(a, map));
	put32(info + 64, name);
	put32(info, MULTIBOOT1_INFO_MEMORY | MULTIBOOT1_INFO_CMDLINE |
			MULTIBOOT1_INFO_MODULES | MULTIBOOT1_INFO_MMAP |
			MULTIBOOT1_INFO_LOADER_NAME);
	return address_of(a, info);
}

static uint8_t *begin_tag(struct area *a, uint32_t type, uint32_t size)
{
	uint8_t *tag = reserve(a, size, 8);

	if (tag) {
		put32(tag, type);
		put32(tag + 4, size);
	}
	return tag;
}

static void string_tag(struct area *a, uint32_t type, const char *text)
{
	uint32_t length = (uint32_t)strlen(text) + 1;
	uint8_t *tag = begin_tag(a, type, 8 + length);

	if (tag)
		memcpy(tag + 8, text, length);
}

static uint32_t build_v2(struct area *a, const struct multiboot_info_input *in)
{
	uint8_t *start = reserve(a, 8, 8), *tag;
	uint32_t lower, upper;

	if (!start)
		return 0;
	string_tag(a, MULTIBOOT2_TAG_CMDLINE, in->cmdline);
	string_tag(a, MULTIBOOT2_TAG_LOADER_NAME, in->loader_name);
	for (unsigned i = 0; i < in->module_count; i++) {
		const struct multiboot_info_module *m = &in->modules[i];
		uint32_t length = (uint32_t)strlen(m->string) + 1;

		tag = begin_tag(a, MULTIBOOT2_TAG_MODULE, 16 + length);
		if (tag) {
			put32(tag + 8, m->start);
			put32(tag + 12, m->end);
			memcpy(tag + 16, m->string, length);
		}
	}
	memory_sizes(in, &lower, &upper);
	tag = begin_tag(a, MULTIBOOT2_TAG_BASIC_MEMINFO, 16);
	if (tag) {
		put32(tag + 8, lower);
		put32(tag + 12, upper);
	}
	tag = begin_tag(a, MULTIBOOT2_TAG_MMAP, 16 + in->map_count * 24u);
	if (tag) {
		put32(tag + 8, 24); /* entry size */
		put32(tag + 12, 0); /* entry version */
		for (unsigned i = 0; i < in->map_count; i++) {
			uint8_t *entry = tag + 16 + i * 24u;

			put64(entry, in->map[i].address);
			put64(entry + 8, in->map[i].size);
			put32(entry + 16, memory_type(in->map[i].type));
		}
	}
	if (in->rsdp) {
		tag = begin_tag(a, MULTIBOOT2_TAG_ACPI_OLD, 8 + RSDP_V1_SIZE);
		if (tag)
			memcpy(tag + 8, in->rsdp, RSDP_V1_SIZE);
		tag = begin_tag(a, MULTIBOOT2_TAG_ACPI_NEW, 8 + RSDP_V2_SIZE);
		if (tag)
			memcpy(tag + 8, in->rsdp, RSDP_V2_SIZE);
	}
	begin_tag(a, MULTIBOOT2_TAG_END, 8);
	if (a->overflow)
		return 0;
	put32(start, (uint32_t)(a->bytes + a->used - start)); /* total size */
	return address_of(a, start);
}

uint32_t multiboot_info_build(unsigned version, uint8_t *area,
			      uint32_t area_address, uint32_t area_size,
			      const struct multiboot_info_input *input)
{
	struct area a = {area, area_address, area_size, 0, false};

	if (area_address & 7)
		return 0;
	if (version == 1)
		return build_v1(&a, input);
	if (version == 2)
		return build_v2(&a, input);
	return 0;
}
