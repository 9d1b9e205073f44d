/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 and 2 headers found and checked, and the load of the kernel
 * planned and done, as multiboot.h says. Pure. Every feature a header
 * requires that bulkhead does not offer (a video mode, a framebuffer, EFI
 * boot services, a boot information tag it never writes) refuses the
 * image with the feature's name, as the specifications ask of a boot
 * loader that cannot honour them.
 */
#include <bulkhead/multiboot.h>
#include <string.h>

#include "format.h"

#define MB1_HEADER_SIZE	 12u
#define MB1_KLUDGE_SIZE	 32u
#define MB2_HEADER_SIZE	 16u
#define MB2_TAG_OPTIONAL 1u

enum mb2_header_tag {
	MB2_HEADER_END = 0,
	MB2_HEADER_INFORMATION_REQUEST = 1,
	MB2_HEADER_ADDRESS = 2,
	MB2_HEADER_ENTRY = 3,
	MB2_HEADER_CONSOLE_FLAGS = 4,
	MB2_HEADER_FRAMEBUFFER = 5,
	MB2_HEADER_MODULE_ALIGN = 6,
	MB2_HEADER_EFI_BOOT_SERVICES = 7,
	MB2_HEADER_ENTRY_EFI32 = 8,
	MB2_HEADER_ENTRY_EFI64 = 9,
	MB2_HEADER_RELOCATABLE = 10,
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The first offset (aligned to align) in the first search bytes holding
 * magic, or -1. */
static long find_magic(const uint8_t *file, uint64_t size, uint32_t magic,
		       uint32_t search, uint32_t align)
{
	uint64_t end = size < search ? size : search;

	for (uint64_t at = 0; at + 4 <= end; at += align)
		if (get32(file + at) == magic)
			return (long)at;
	return -1;
}

bool multiboot_header_present(const uint8_t *file, uint64_t size)
{
	return find_magic(file, size, MULTIBOOT1_HEADER_MAGIC,
			  MULTIBOOT1_SEARCH, 4) >= 0 ||
	       find_magic(file, size, MULTIBOOT2_HEADER_MAGIC,
			  MULTIBOOT2_SEARCH, 8) >= 0;
}

/* Whether [address, address + length) lies where an image may go. */
static bool check_range(uint64_t address, uint64_t length, uint64_t memory_size,
			const char *what, char error[MULTIBOOT_ERROR_MAX])
{
	if (address >= MULTIBOOT_IMAGE_MIN && length <= memory_size &&
	    address <= memory_size - length)
		return true;
	format(error, MULTIBOOT_ERROR_MAX,
	       "%s 0x%llx-0x%llx lies outside the partition's memory for "
	       "images (0x%llx-0x%llx)",
	       what, (unsigned long long)address,
	       (unsigned long long)(address + length),
	       (unsigned long long)MULTIBOOT_IMAGE_MIN,
	       (unsigned long long)memory_size);
	return false;
}

static bool add_segment(struct multiboot_image *out, uint64_t offset,
			uint64_t address, uint64_t file_size,
			uint64_t memory_size, uint64_t partition_size,
			char error[MULTIBOOT_ERROR_MAX])
{
	struct multiboot_segment *s;

	if (!memory_size)
		return true;
	if (out->segment_count == MULTIBOOT_SEGMENTS_MAX) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "more than %u loadable segments",
		       MULTIBOOT_SEGMENTS_MAX);
		return false;
	}
	if (!check_range(address, memory_size, partition_size, "segment",
			 error))
		return false;
	for (unsigned i = 0; i < out->segment_count; i++) {
		const struct multiboot_segment *o = &out->segments[i];

		if (address < (uint64_t)o->address + o->memory_size &&
		    o->address < address + memory_size) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "segments at 0x%llx and 0x%x overlap",
			       (unsigned long long)address, o->address);
			return false;
		}
	}
	s = &out->segments[out->segment_count++];
	*s = (struct multiboot_segment){offset, (uint32_t)address,
					(uint32_t)file_size,
					(uint32_t)memory_size};
	if (!out->lowest || s->address < out->lowest)
		out->lowest = s->address;
	if (s->address + s->memory_size > out->highest)
		out->highest = s->address + s->memory_size;
	return true;
}

/* The PT_LOAD segments of an x86 ELF32 or x86-64 ELF64 executable. */
static bool plan_elf(const uint8_t *file, uint64_t size, uint64_t memory_size,
		     struct multiboot_image *out,
		     char error[MULTIBOOT_ERROR_MAX])
{
	bool is64;
	uint64_t phoff, entry;
	unsigned phentsize, phnum;

	if (size < 52 || file[5] != 1 || get16(file + 16) != 2) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "not a little-endian ELF executable");
		return false;
	}
	is64 = file[4] == 2;
	if (!((file[4] == 1 && get16(file + 18) == 3) ||
	      (is64 && get16(file + 18) == 62 && size >= 64))) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "an ELF image that is neither ELF32 for i386 nor "
		       "ELF64 for x86-64");
		return false;
	}
	entry = is64 ? get64(file + 24) : get32(file + 24);
	phoff = is64 ? get64(file + 32) : get32(file + 28);
	phentsize = get16(file + (is64 ? 54 : 42));
	phnum = get16(file + (is64 ? 56 : 44));
	if (phentsize < (is64 ? 56u : 32u) || phoff > size ||
	    (uint64_t)phentsize * phnum > size - phoff) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "program headers outside the file");
		return false;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = file + phoff + (uint64_t)i * phentsize;
		uint64_t offset, address, file_size, mem_size;

		if (get32(ph) != 1) /* PT_LOAD */
			continue;
		offset = is64 ? get64(ph + 8) : get32(ph + 4);
		/* The physical address: where a boot loader puts it. */
		address = is64 ? get64(ph + 24) : get32(ph + 12);
		file_size = is64 ? get64(ph + 32) : get32(ph + 16);
		mem_size = is64 ? get64(ph + 40) : get32(ph + 20);
		if (file_size > mem_size || offset > size ||
		    file_size > size - offset) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "segment %u: file data outside the file", i);
			return false;
		}
		if (!add_segment(out, offset, address, file_size, mem_size,
				 memory_size, error))
			return false;
	}
	if (!out->segment_count) {
		format(error, MULTIBOOT_ERROR_MAX, "no loadable segment");
		return false;
	}
	out->entry = (uint32_t)entry;
	out->from_elf = true;
	if (entry != out->entry) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "entry 0x%llx lies above 4 GiB",
		       (unsigned long long)entry);
		return false;
	}
	return true;
}

/* The header's own load addresses (Multiboot 1 flag 16, Multiboot 2 tag
 * 2): the file from the header's offset back to load_addr, to load_end
 * (0: the end of the file), then BSS to bss_end (0: none). Multiboot 2's
 * load_addr -1 means the file from its first byte: load_addr is then
 * header_addr less the header's offset. */
static bool plan_addresses(uint64_t size, uint64_t memory_size,
			   unsigned version, uint32_t header_offset,
			   uint32_t header_addr, uint32_t load_addr,
			   uint32_t load_end, uint32_t bss_end,
			   struct multiboot_image *out,
			   char error[MULTIBOOT_ERROR_MAX])
{
	uint64_t offset, file_size, mem_size;

	if (load_addr == 0xffffffffu && version == 2) {
		if (header_addr < header_offset) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "header_addr 0x%x with load_addr -1 puts the "
			       "file's start below address 0",
			       header_addr);
			return false;
		}
		load_addr = header_addr - header_offset;
	}
	if (header_addr < load_addr ||
	    header_addr - load_addr > header_offset) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "header_addr 0x%x and load_addr 0x%x put the load "
		       "before the start of the file",
		       header_addr, load_addr);
		return false;
	}
	offset = header_offset - (header_addr - load_addr);
	if (load_end) {
		if (load_end <= load_addr ||
		    load_end - load_addr > size - offset) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "load_end_addr 0x%x is not inside the file "
			       "after load_addr 0x%x",
			       load_end, load_addr);
			return false;
		}
		file_size = load_end - load_addr;
	} else {
		file_size = size - offset;
	}
	mem_size = file_size;
	if (bss_end) {
		if (bss_end < load_addr + file_size) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "bss_end_addr 0x%x lies below the end of the "
			       "load (0x%llx)",
			       bss_end,
			       (unsigned long long)(load_addr + file_size));
			return false;
		}
		mem_size = bss_end - load_addr;
	}
	return add_segment(out, offset, load_addr, file_size, mem_size,
			   memory_size, error);
}

static bool check_entry(const struct multiboot_image *out,
			char error[MULTIBOOT_ERROR_MAX])
{
	for (unsigned i = 0; i < out->segment_count; i++) {
		const struct multiboot_segment *s = &out->segments[i];

		if (out->entry >= s->address &&
		    out->entry - s->address < s->file_size)
			return true;
	}
	format(error, MULTIBOOT_ERROR_MAX,
	       "entry 0x%x lies outside the image's loaded code", out->entry);
	return false;
}

static bool is_elf(const uint8_t *file, uint64_t size)
{
	return size >= 4 && !memcmp(file, "\177ELF", 4);
}

static bool check_mb1(const uint8_t *file, uint64_t size, uint64_t memory_size,
		      uint32_t at, struct multiboot_image *out,
		      char error[MULTIBOOT_ERROR_MAX])
{
	const uint8_t *h = file + at;
	uint32_t flags, required;

	if (size - at < MB1_HEADER_SIZE) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 1 header cut off by the end of the file");
		return false;
	}
	flags = get32(h + 4);
	if ((uint32_t)(get32(h) + flags + get32(h + 8)) != 0) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 1 header at 0x%x: bad checksum", at);
		return false;
	}
	out->version = 1;
	out->header_offset = at;
	out->mb1_flags = flags;
	if (flags & MULTIBOOT1_VIDEO_MODE) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 1 header requires a video mode (flag 2), "
		       "which bulkhead does not offer");
		return false;
	}
	required =
	    flags & 0xffffu & ~(MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO);
	if (required) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 1 header requires unknown features (flags "
		       "0x%x)",
		       required);
		return false;
	}
	if (flags & MULTIBOOT1_AOUT_KLUDGE) {
		if (size - at < MB1_KLUDGE_SIZE) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "Multiboot 1 address fields cut off by the end "
			       "of the file");
			return false;
		}
		if (!plan_addresses(size, memory_size, 1, at, get32(h + 12),
				    get32(h + 16), get32(h + 20), get32(h + 24),
				    out, error))
			return false;
		out->entry = get32(h + 28);
	} else if (!is_elf(file, size)) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 1 image is not ELF and has no address "
		       "fields (flag 16)");
		return false;
	} else if (!plan_elf(file, size, memory_size, out, error)) {
		return false;
	}
	return check_entry(out, error);
}

/* A tag a header requires that bulkhead does not honour. */
static bool refuse_tag(const char *what, char error[MULTIBOOT_ERROR_MAX])
{
	format(error, MULTIBOOT_ERROR_MAX,
	       "Multiboot 2 header requires %s, which bulkhead does not offer",
	       what);
	return false;
}

static bool information_offered(uint32_t type)
{
	return type == MULTIBOOT2_TAG_END || type == MULTIBOOT2_TAG_CMDLINE ||
	       type == MULTIBOOT2_TAG_LOADER_NAME ||
	       type == MULTIBOOT2_TAG_MODULE ||
	       type == MULTIBOOT2_TAG_BASIC_MEMINFO ||
	       type == MULTIBOOT2_TAG_MMAP || type == MULTIBOOT2_TAG_ACPI_OLD ||
	       type == MULTIBOOT2_TAG_ACPI_NEW;
}

struct mb2_tags {
	const uint8_t *address; /* the address tag, or NULL */
	bool has_entry;
	uint32_t entry;
};

static bool check_mb2_tag(const uint8_t *tag, uint32_t tag_size,
			  struct mb2_tags *tags,
			  char error[MULTIBOOT_ERROR_MAX])
{
	uint16_t type = get16(tag);
	bool optional = get16(tag + 2) & MB2_TAG_OPTIONAL;
	char what[48];

	switch (type) {
	case MB2_HEADER_INFORMATION_REQUEST:
		for (uint32_t i = 8; i + 4 <= tag_size; i += 4) {
			uint32_t wanted = get32(tag + i);

			if (!optional && !information_offered(wanted)) {
				format(what, sizeof(what),
				       "boot information tag %u", wanted);
				return refuse_tag(what, error);
			}
		}
		return true;
	case MB2_HEADER_ADDRESS:
		if (tag_size < 24)
			break;
		tags->address = tag;
		return true;
	case MB2_HEADER_ENTRY:
		if (tag_size < 12)
			break;
		tags->has_entry = true;
		tags->entry = get32(tag + 8);
		return true;
	case MB2_HEADER_CONSOLE_FLAGS:
	case MB2_HEADER_MODULE_ALIGN:
	case MB2_HEADER_RELOCATABLE:
		return true; /* met: loaded where it asks, no console needed */
	case MB2_HEADER_FRAMEBUFFER:
		return optional || refuse_tag("a framebuffer (tag 5)", error);
	case MB2_HEADER_EFI_BOOT_SERVICES:
		return optional ||
		       refuse_tag("EFI boot services (tag 7)", error);
	case MB2_HEADER_ENTRY_EFI32:
	case MB2_HEADER_ENTRY_EFI64:
		return optional ||
		       refuse_tag("an EFI entry (tags 8 and 9)", error);
	default:
		if (optional)
			return true;
		format(what, sizeof(what), "the unknown header tag %u", type);
		return refuse_tag(what, error);
	}
	format(error, MULTIBOOT_ERROR_MAX,
	       "Multiboot 2 header tag %u is too short (%u bytes)", type,
	       tag_size);
	return false;
}

static bool check_mb2(const uint8_t *file, uint64_t size, uint64_t memory_size,
		      uint32_t at, struct multiboot_image *out,
		      char error[MULTIBOOT_ERROR_MAX])
{
	const uint8_t *h = file + at;
	uint32_t length, offset;
	struct mb2_tags tags = {0};
	bool ended = false;

	if (size - at < MB2_HEADER_SIZE) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 2 header cut off by the end of the file");
		return false;
	}
	length = get32(h + 8);
	if ((uint32_t)(get32(h) + get32(h + 4) + length + get32(h + 12)) != 0) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 2 header at 0x%x: bad checksum", at);
		return false;
	}
	if (get32(h + 4) != 0) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 2 header for architecture %u: only 0 "
		       "(i386 protected mode) is offered",
		       get32(h + 4));
		return false;
	}
	if (length < MB2_HEADER_SIZE + 8 || length > size - at) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 2 header length %u is not inside the file",
		       length);
		return false;
	}
	out->version = 2;
	out->header_offset = at;
	for (offset = MB2_HEADER_SIZE; offset + 8 <= length && !ended;) {
		const uint8_t *tag = h + offset;
		uint32_t tag_size = get32(tag + 4);

		if (tag_size < 8 || tag_size > length - offset) {
			format(error, MULTIBOOT_ERROR_MAX,
			       "Multiboot 2 header tag at 0x%x has size %u, "
			       "past the header's end",
			       at + offset, tag_size);
			return false;
		}
		if (get16(tag) == MB2_HEADER_END)
			ended = tag_size == 8;
		else if (!check_mb2_tag(tag, tag_size, &tags, error))
			return false;
		offset += (tag_size + 7) & ~7u;
	}
	if (!ended) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 2 header has no end tag");
		return false;
	}
	if (tags.address) {
		if (!plan_addresses(
			size, memory_size, 2, at, get32(tags.address + 8),
			get32(tags.address + 12), get32(tags.address + 16),
			get32(tags.address + 20), out, error))
			return false;
	} else if (!is_elf(file, size)) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 2 image is not ELF and has no address tag");
		return false;
	} else if (!plan_elf(file, size, memory_size, out, error)) {
		return false;
	}
	if (tags.has_entry)
		out->entry = tags.entry;
	else if (!out->from_elf) {
		format(error, MULTIBOOT_ERROR_MAX,
		       "Multiboot 2 image with an address tag has no entry "
		       "address tag");
		return false;
	}
	return check_entry(out, error);
}

bool multiboot_image_check(const uint8_t *file, uint64_t size,
			   uint64_t memory_size, struct multiboot_image *out,
			   char error[MULTIBOOT_ERROR_MAX])
{
	long at;

	memset(out, 0, sizeof(*out));
	at = find_magic(file, size, MULTIBOOT1_HEADER_MAGIC, MULTIBOOT1_SEARCH,
			4);
	if (at >= 0)
		return check_mb1(file, size, memory_size, (uint32_t)at, out,
				 error);
	at = find_magic(file, size, MULTIBOOT2_HEADER_MAGIC, MULTIBOOT2_SEARCH,
			8);
	if (at >= 0)
		return check_mb2(file, size, memory_size, (uint32_t)at, out,
				 error);
	format(error, MULTIBOOT_ERROR_MAX, "no Multiboot header");
	return false;
}

void multiboot_load(const uint8_t *file, const struct multiboot_image *image,
		    uint8_t *memory)
{
	for (unsigned i = 0; i < image->segment_count; i++) {
		const struct multiboot_segment *s = &image->segments[i];

		memcpy(memory + s->address, file + s->offset, s->file_size);
		memset(memory + s->address + s->file_size, 0,
		       s->memory_size - s->file_size);
	}
}
