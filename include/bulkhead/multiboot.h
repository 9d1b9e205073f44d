/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 and 2 kernels: finding and checking their header, planning
 * where their code goes in a partition's memory (by the ELF program
 * headers or by the header's own addresses), loading it, and building the
 * boot information they find in EBX. Pure: shared by the loader's and the
 * checker's image check (lib/image_check.c), the core's boot protocol
 * (core/image/multiboot_guest.c) and the unit tests. Nothing here trusts
 * the image: every offset and address is checked before it is used.
 */
#ifndef BULKHEAD_MULTIBOOT_H
#define BULKHEAD_MULTIBOOT_H

#include <bulkhead/linux_boot.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MULTIBOOT1_HEADER_MAGIC 0x1badb002u
#define MULTIBOOT1_BOOT_MAGIC	0x2badb002u /* EAX at entry */
#define MULTIBOOT1_SEARCH	8192u	    /* the header lies in these bytes */
#define MULTIBOOT2_HEADER_MAGIC 0xe85250d6u
#define MULTIBOOT2_BOOT_MAGIC	0x36d76289u
#define MULTIBOOT2_SEARCH	32768u

/* Header flags of Multiboot 1: bits 0-15 are required features. */
#define MULTIBOOT1_PAGE_ALIGN  (1u << 0)
#define MULTIBOOT1_MEMORY_INFO (1u << 1)
#define MULTIBOOT1_VIDEO_MODE  (1u << 2)
#define MULTIBOOT1_AOUT_KLUDGE (1u << 16)

/* Boot information tags of Multiboot 2. */
enum multiboot2_tag {
	MULTIBOOT2_TAG_END = 0,
	MULTIBOOT2_TAG_CMDLINE = 1,
	MULTIBOOT2_TAG_LOADER_NAME = 2,
	MULTIBOOT2_TAG_MODULE = 3,
	MULTIBOOT2_TAG_BASIC_MEMINFO = 4,
	MULTIBOOT2_TAG_MMAP = 6,
	MULTIBOOT2_TAG_ACPI_OLD = 14,
	MULTIBOOT2_TAG_ACPI_NEW = 15,
};

/* Memory-map entry types, both versions. */
#define MULTIBOOT_MEMORY_AVAILABLE 1u
#define MULTIBOOT_MEMORY_RESERVED  2u

/* Boot information flags of Multiboot 1 that bulkhead fills. */
#define MULTIBOOT1_INFO_MEMORY	    (1u << 0)
#define MULTIBOOT1_INFO_CMDLINE	    (1u << 2)
#define MULTIBOOT1_INFO_MODULES	    (1u << 3)
#define MULTIBOOT1_INFO_MMAP	    (1u << 6)
#define MULTIBOOT1_INFO_LOADER_NAME (1u << 9)
#define MULTIBOOT1_INFO_SIZE	    116u

#define MULTIBOOT_ERROR_MAX 160
/* An image may place its code here, between the boot information area
 * below and the end of the partition's memory. */
#define MULTIBOOT_IMAGE_MIN    0x100000ull
#define MULTIBOOT_SEGMENTS_MAX 16

/* One piece of the file copied to memory: file [offset, offset+file_size)
 * to [address, address+file_size), then zeros up to address+memory_size. */
struct multiboot_segment {
	uint64_t offset;
	uint32_t address;
	uint32_t file_size;
	uint32_t memory_size;
};

struct multiboot_image {
	unsigned version;	/* 1 or 2 */
	uint32_t header_offset; /* where the header is in the file */
	uint32_t mb1_flags;	/* Multiboot 1: the header's flags */
	bool from_elf;		/* loaded by the ELF program headers */
	uint32_t entry;
	uint32_t lowest, highest; /* [lowest, highest): what the image takes */
	unsigned segment_count;
	struct multiboot_segment segments[MULTIBOOT_SEGMENTS_MAX];
};

/* Whether a Multiboot 1 or 2 header magic is where a header may start
 * (the first check; a malformed header is still "present"). */
bool multiboot_header_present(const uint8_t *file, uint64_t size);

/* Finds the header (version 1 preferred when both are present, as GRUB's
 * "multiboot" command would take it), checks it and the image against a
 * partition of memory_size bytes, and plans the load. On failure writes
 * one line into error. */
bool multiboot_image_check(const uint8_t *file, uint64_t size,
			   uint64_t memory_size, struct multiboot_image *out,
			   char error[MULTIBOOT_ERROR_MAX]);

/* Copies the planned segments of a checked image into memory (guest
 * physical 0) and clears their BSS. */
void multiboot_load(const uint8_t *file, const struct multiboot_image *image,
		    uint8_t *memory);

/* A module as the boot information gives it: [start, end) in the
 * partition's memory and its string. */
struct multiboot_info_module {
	uint32_t start, end;
	const char *string;
};

/*
 * Plans where count modules of the given sizes go (lib/multiboot_modules.c):
 * page-aligned, one after the other, from the first page at or above
 * image_end (where the kernel's image and BSS end), all below memory_size.
 * On failure writes one line into error and returns false.
 */
bool multiboot_modules_plan(uint32_t image_end, uint64_t memory_size,
			    const uint64_t *sizes, unsigned count,
			    uint32_t *starts, char error[MULTIBOOT_ERROR_MAX]);

/* The path of a modules entry ("PATH[ STRING]"): its text up to the first
 * space, cut to capacity - 1 bytes. */
void multiboot_module_path(const char *entry, char *path, size_t capacity);

/* What the boot information says about the partition. */
struct multiboot_info_input {
	uint64_t memory_size;
	const struct linux_e820_entry *map; /* the partition's memory map */
	unsigned map_count;
	const char *cmdline;
	const char *loader_name;
	const uint8_t *rsdp; /* the RSDP (revision 2), or NULL: no ACPI */
	const struct multiboot_info_module *modules;
	unsigned module_count;
};

/*
 * Builds the boot information of the given version into area, which the
 * guest sees at area_address (8-byte aligned) and which holds area_size
 * bytes (zeroed). Returns the guest address of the information (EBX), or
 * 0 when it does not fit.
 */
uint32_t multiboot_info_build(unsigned version, uint8_t *area,
			      uint32_t area_address, uint32_t area_size,
			      const struct multiboot_info_input *input);

#endif
