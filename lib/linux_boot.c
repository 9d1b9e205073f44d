/* SPDX-License-Identifier: MIT */
/*
 * The Linux x86 boot protocol, pure part: bzImage setup-header checks, the
 * placement of kernel and initrd, the e820 map and the zero page. The
 * image is untrusted input: every field is read through bounds-checked
 * helpers and all address arithmetic is written so that it cannot wrap.
 * Offsets and names follow Documentation/x86/boot.rst and struct
 * boot_params (arch/x86/include/uapi/asm/bootparam.h).
 */
#include <bulkhead/linux_boot.h>

#include <string.h>

#include "format.h"

/* The setup header, at the same offsets in the file and the zero page. */
#define HDR_START	     0x1f1 /* hdr: the setup header */
#define HDR_SETUP_SECTS	     0x1f1 /* setup_sects */
#define HDR_SYSSIZE	     0x1f4 /* syssize, in 16-byte paragraphs */
#define HDR_BOOT_FLAG	     0x1fe /* boot_flag */
#define HDR_JUMP_OFFSET	     0x201 /* jump: its displacement byte */
#define HDR_MAGIC	     0x202 /* header: "HdrS" */
#define HDR_VERSION	     0x206 /* version */
#define HDR_TYPE_OF_LOADER   0x210 /* type_of_loader */
#define HDR_LOADFLAGS	     0x211 /* loadflags */
#define HDR_CODE32_START     0x214 /* code32_start */
#define HDR_RAMDISK_IMAGE    0x218 /* ramdisk_image */
#define HDR_RAMDISK_SIZE     0x21c /* ramdisk_size */
#define HDR_CMD_LINE_PTR     0x228 /* cmd_line_ptr */
#define HDR_INITRD_ADDR_MAX  0x22c /* initrd_addr_max */
#define HDR_KERNEL_ALIGNMENT 0x230 /* kernel_alignment */
#define HDR_RELOCATABLE	     0x234 /* relocatable_kernel */
#define HDR_XLOADFLAGS	     0x236 /* xloadflags */
#define HDR_CMDLINE_SIZE     0x238 /* cmdline_size */
#define HDR_SETUP_DATA	     0x250 /* setup_data */
#define HDR_PREF_ADDRESS     0x258 /* pref_address */
#define HDR_INIT_SIZE	     0x260 /* init_size */
/* The 2.11 header ends after handover_offset; boot_params reserves the
 * space up to edd_mbr_sig_buffer for it. */
#define HDR_END_MIN 0x268
#define HDR_END_MAX 0x290

#define BOOT_FLAG	      0xaa55
#define SECTOR_SIZE	      512
#define SETUP_SECTS_DEFAULT   4 /* setup_sects 0 means 4 */
#define PARAGRAPH_SIZE	      16
#define LOADER_TYPE_UNDEFINED 0xff

/* The rest of struct boot_params (the zero page). */
#define BP_ACPI_RSDP_ADDR    0x070 /* acpi_rsdp_addr */
#define BP_EXT_RAMDISK_IMAGE 0x0c0 /* ext_ramdisk_image */
#define BP_EXT_RAMDISK_SIZE  0x0c4 /* ext_ramdisk_size */
#define BP_EXT_CMD_LINE_PTR  0x0c8 /* ext_cmd_line_ptr */
#define BP_E820_ENTRIES	     0x1e8 /* e820_entries */
#define BP_E820_TABLE	     0x2d0 /* e820_table[128] */
#define BP_E820_ENTRY_SIZE   20	   /* struct boot_e820_entry, packed */

#define PAGE_SIZE_4K  0x1000ull
#define ALIGNMENT_MAX (1ull << 30)
#define FOUR_GIB      (1ull << 32)

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t value)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(value >> (8 * i));
}

static void put64(uint8_t *p, uint64_t value)
{
	put32(p, (uint32_t)value);
	put32(p + 4, (uint32_t)(value >> 32));
}

static bool fail(char *error, size_t error_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(char *error, size_t error_size, const char *fmt, ...)
{
	va_list args;

	if (error && error_size) {
		va_start(args, fmt);
		format_v(error, error_size, fmt, args);
		va_end(args);
	}
	return false;
}

static bool is_power_of_two(uint64_t value)
{
	return value && !(value & (value - 1));
}

/* True when [start, start + length) lies inside [0, end). */
static bool fits_below(uint64_t start, uint64_t length, uint64_t end)
{
	return start <= end && length <= end - start;
}

/* Rounds value up to a multiple of alignment (0 counts as 1); false if
 * the result would not fit in 64 bits. */
static bool align_up(uint64_t value, uint64_t alignment, uint64_t *out)
{
	uint64_t remainder = alignment ? value % alignment : 0;

	if (!remainder) {
		*out = value;
		return true;
	}
	if (value > UINT64_MAX - (alignment - remainder))
		return false;
	*out = value + (alignment - remainder);
	return true;
}

/* The boot flag, the magic and a protocol recent enough for this loader. */
static bool check_identity(const uint8_t *file, uint16_t *protocol, char *error,
			   size_t error_size)
{
	if (get16(file + HDR_BOOT_FLAG) != BOOT_FLAG)
		return fail(error, error_size,
			    "no 0xAA55 boot flag at 0x1fe: not a bzImage");
	if (memcmp(file + HDR_MAGIC, "HdrS", 4))
		return fail(error, error_size,
			    "no \"HdrS\" magic at 0x202: not a bzImage");
	*protocol = get16(file + HDR_VERSION);
	if (*protocol < LINUX_BOOT_PROTOCOL_MIN)
		return fail(error, error_size,
			    "boot protocol %u.%02u is older than 2.12 (no "
			    "xloadflags, no 64-bit entry)",
			    *protocol >> 8, *protocol & 0xff);
	return true;
}

/* setup_sects and syssize against the file: the setup part, then the
 * protected-mode kernel with its 64-bit entry, must be inside it. */
static bool check_parts(const uint8_t *file, uint64_t size,
			struct linux_image *image, char *error,
			size_t error_size)
{
	unsigned setup_sects = file[HDR_SETUP_SECTS];
	uint64_t syssize_bytes =
	    (uint64_t)get32(file + HDR_SYSSIZE) * PARAGRAPH_SIZE;

	image->header_end = (uint16_t)(HDR_MAGIC + file[HDR_JUMP_OFFSET]);
	if (image->header_end < HDR_END_MIN || image->header_end > HDR_END_MAX)
		return fail(
		    error, error_size,
		    "setup header ends at 0x%x (0x202 + byte at 0x201), "
		    "outside [0x%x, 0x%x]",
		    image->header_end, HDR_END_MIN, HDR_END_MAX);
	if (!setup_sects)
		setup_sects = SETUP_SECTS_DEFAULT;
	image->setup_size = (uint64_t)(setup_sects + 1) * SECTOR_SIZE;
	if (image->setup_size > size)
		return fail(error, error_size,
			    "truncated: setup part of %llu bytes (setup_sects "
			    "%u) runs past the end of the %llu-byte file",
			    (unsigned long long)image->setup_size, setup_sects,
			    (unsigned long long)size);
	image->kernel_size = size - image->setup_size;
	if (!syssize_bytes)
		return fail(error, error_size, "syssize is 0: no kernel");
	if (image->kernel_size < syssize_bytes)
		return fail(error, error_size,
			    "truncated: kernel part has %llu bytes, syssize "
			    "says %llu",
			    (unsigned long long)image->kernel_size,
			    (unsigned long long)syssize_bytes);
	if (image->kernel_size <= LINUX_ENTRY64_OFFSET)
		return fail(error, error_size,
			    "kernel part of %llu bytes is too small for the "
			    "64-bit entry at +0x%x",
			    (unsigned long long)image->kernel_size,
			    LINUX_ENTRY64_OFFSET);
	return true;
}

/* The loading fields: 64-bit, loaded high, sane alignment and sizes. */
static bool check_loading(const uint8_t *file, struct linux_image *image,
			  char *error, size_t error_size)
{
	image->xloadflags = get16(file + HDR_XLOADFLAGS);
	image->init_size = get32(file + HDR_INIT_SIZE);
	image->kernel_alignment = get32(file + HDR_KERNEL_ALIGNMENT);
	image->pref_address = get64(file + HDR_PREF_ADDRESS);
	image->relocatable = file[HDR_RELOCATABLE] != 0;
	image->cmdline_size = get32(file + HDR_CMDLINE_SIZE);
	image->initrd_addr_max = get32(file + HDR_INITRD_ADDR_MAX);
	if (!(image->xloadflags & LINUX_XLF_KERNEL_64))
		return fail(error, error_size,
			    "not a 64-bit kernel: xloadflags 0x%x lacks "
			    "XLF_KERNEL_64",
			    image->xloadflags);
	if (!(file[HDR_LOADFLAGS] & LINUX_LOADED_HIGH))
		return fail(error, error_size,
			    "loadflags 0x%x lack LOADED_HIGH: a zImage, not "
			    "supported",
			    file[HDR_LOADFLAGS]);
	if (image->relocatable && (!is_power_of_two(image->kernel_alignment) ||
				   image->kernel_alignment < PAGE_SIZE_4K ||
				   image->kernel_alignment > ALIGNMENT_MAX))
		return fail(error, error_size,
			    "kernel_alignment 0x%x is not a power of two "
			    "between 4 KiB and 1 GiB",
			    image->kernel_alignment);
	if (image->pref_address % PAGE_SIZE_4K)
		return fail(error, error_size,
			    "pref_address 0x%llx is not page aligned",
			    (unsigned long long)image->pref_address);
	if (image->init_size < image->kernel_size)
		return fail(error, error_size,
			    "init_size 0x%x is smaller than the kernel part "
			    "(0x%llx bytes)",
			    image->init_size,
			    (unsigned long long)image->kernel_size);
	return true;
}

bool linux_image_check(const uint8_t *file, uint64_t size,
		       struct linux_image *out, char *error, size_t error_size)
{
	struct linux_image image = {0};

	if (!file || !out)
		return fail(error, error_size, "no image");
	if (size < HDR_END_MIN)
		return fail(error, error_size,
			    "file of %llu bytes is too small for a setup "
			    "header (0x%x bytes)",
			    (unsigned long long)size, HDR_END_MIN);
	if (!check_identity(file, &image.protocol, error, error_size) ||
	    !check_parts(file, size, &image, error, error_size) ||
	    !check_loading(file, &image, error, error_size))
		return false;
	*out = image;
	return true;
}

/*
 * The kernel's load address. The 64-bit entry decompresses at
 * max(load address aligned up to kernel_alignment, LOAD_PHYSICAL_ADDR),
 * and pref_address is LOAD_PHYSICAL_ADDR: a relocatable kernel loaded
 * lower would still use [pref_address, pref_address + init_size).
 */
static bool place_kernel(const struct linux_image *image, uint64_t memory_size,
			 uint64_t *kernel, char *error, size_t error_size)
{
	uint64_t start = image->pref_address;

	if (!image->relocatable) {
		if (start >= LINUX_HIGH_START &&
		    fits_below(start, image->init_size, memory_size)) {
			*kernel = start;
			return true;
		}
		return fail(error, error_size,
			    "kernel is not relocatable: it needs 0x%x bytes at "
			    "pref_address 0x%llx, but RAM above 1 MiB is "
			    "[0x100000, 0x%llx)",
			    image->init_size,
			    (unsigned long long)image->pref_address,
			    (unsigned long long)memory_size);
	}
	if (start < LINUX_HIGH_START)
		start = LINUX_HIGH_START;
	if (align_up(start, image->kernel_alignment, &start) &&
	    fits_below(start, image->init_size, memory_size)) {
		*kernel = start;
		return true;
	}
	return fail(error, error_size,
		    "kernel needs 0x%x bytes (init_size) from 0x%llx (it never "
		    "runs below pref_address 0x%llx), but RAM ends at 0x%llx",
		    image->init_size, (unsigned long long)start,
		    (unsigned long long)image->pref_address,
		    (unsigned long long)memory_size);
}

/* The highest page-aligned start of size bytes inside [low, high). */
static bool highest_fit(uint64_t low, uint64_t high, uint64_t size,
			uint64_t *start)
{
	uint64_t candidate;

	if (high < low || size > high - low)
		return false;
	candidate = (high - size) & ~(PAGE_SIZE_4K - 1);
	if (candidate < low)
		return false;
	*start = candidate;
	return true;
}

/* The initrd: as high as it may go, above the kernel's init_size region
 * if there is room there, else below the kernel. */
static bool place_initrd(const struct linux_image *image, uint64_t memory_size,
			 uint64_t kernel, uint64_t size, uint64_t *initrd,
			 char *error, size_t error_size)
{
	uint64_t limit = memory_size;
	uint64_t kernel_end = kernel + image->init_size;

	*initrd = 0;
	if (!size)
		return true;
	if (!(image->xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G) &&
	    image->initrd_addr_max < limit)
		limit = image->initrd_addr_max + 1;
	if (highest_fit(kernel_end, limit, size, initrd) ||
	    highest_fit(LINUX_HIGH_START, kernel < limit ? kernel : limit, size,
			initrd))
		return true;
	return fail(error, error_size,
		    "initrd of %llu KiB does not fit below 0x%llx beside the "
		    "kernel at [0x%llx, 0x%llx)",
		    (unsigned long long)(size >> 10), (unsigned long long)limit,
		    (unsigned long long)kernel, (unsigned long long)kernel_end);
}

bool linux_layout_plan(const struct linux_image *image, uint64_t memory_size,
		       uint64_t initrd_size, uint64_t cmdline_length,
		       struct linux_layout *out, char *error, size_t error_size)
{
	uint64_t cmdline_max;
	uint64_t kernel = 0, initrd = 0;

	if (!image || !out)
		return fail(error, error_size, "no image");
	cmdline_max = image->cmdline_size < LINUX_CMDLINE_MAX
			  ? image->cmdline_size
			  : LINUX_CMDLINE_MAX;
	if (cmdline_length > cmdline_max)
		return fail(error, error_size,
			    "command line of %llu bytes is longer than the "
			    "limit of %llu",
			    (unsigned long long)cmdline_length,
			    (unsigned long long)cmdline_max);
	if (!place_kernel(image, memory_size, &kernel, error, error_size) ||
	    !place_initrd(image, memory_size, kernel, initrd_size, &initrd,
			  error, error_size))
		return false;
	*out = (struct linux_layout){
	    .boot_params = LINUX_BOOT_PARAMS,
	    .cmdline = LINUX_CMDLINE,
	    .kernel = kernel,
	    .entry64 = kernel + LINUX_ENTRY64_OFFSET,
	    .initrd = initrd,
	    .initrd_size = initrd_size,
	};
	return true;
}

static bool e820_append(struct linux_e820_entry *out, unsigned capacity,
			unsigned *count, uint64_t address, uint64_t size,
			uint32_t type)
{
	if (*count >= capacity)
		return false;
	out[(*count)++] = (struct linux_e820_entry){address, size, type};
	return true;
}

static void e820_sort(struct linux_e820_entry *map, unsigned count)
{
	for (unsigned i = 1; i < count; i++) {
		struct linux_e820_entry entry = map[i];
		unsigned j = i;

		for (; j > 0 && map[j - 1].address > entry.address; j--)
			map[j] = map[j - 1];
		map[j] = entry;
	}
}

static bool e820_disjoint(const struct linux_e820_entry *map, unsigned count)
{
	for (unsigned i = 1; i < count; i++)
		if (map[i - 1].size > map[i].address - map[i - 1].address)
			return false;
	return true;
}

unsigned linux_e820_build(uint64_t memory_size,
			  const struct linux_e820_entry *extra_reserved,
			  unsigned extra_count, struct linux_e820_entry *out,
			  unsigned capacity)
{
	unsigned count = 0;

	if (!out || memory_size <= LINUX_HIGH_START ||
	    (extra_count && !extra_reserved))
		return 0;
	if (!e820_append(out, capacity, &count, 0, LINUX_LOW_RAM_END,
			 LINUX_E820_RAM) ||
	    !e820_append(out, capacity, &count, LINUX_BIOS_AREA,
			 LINUX_HIGH_START - LINUX_BIOS_AREA,
			 LINUX_E820_RESERVED) ||
	    !e820_append(out, capacity, &count, LINUX_HIGH_START,
			 memory_size - LINUX_HIGH_START, LINUX_E820_RAM))
		return 0;
	for (unsigned i = 0; i < extra_count; i++) {
		const struct linux_e820_entry *extra = &extra_reserved[i];

		if (!extra->size)
			continue;
		if (extra->address > UINT64_MAX - extra->size ||
		    !e820_append(out, capacity, &count, extra->address,
				 extra->size, extra->type))
			return 0;
	}
	e820_sort(out, count);
	return e820_disjoint(out, count) ? count : 0;
}

/* The setup header as the image has it, up to its own end. */
static bool copy_setup_header(uint8_t *zero_page, const uint8_t *file,
			      const struct linux_image *image)
{
	if (image->header_end < HDR_END_MIN ||
	    image->header_end > HDR_END_MAX ||
	    image->setup_size < image->header_end)
		return false;
	memcpy(zero_page + HDR_START, file + HDR_START,
	       image->header_end - HDR_START);
	return true;
}

static void put_e820(uint8_t *zero_page, const struct linux_e820_entry *e820,
		     unsigned count)
{
	zero_page[BP_E820_ENTRIES] = (uint8_t)count;
	for (unsigned i = 0; i < count; i++) {
		uint8_t *entry =
		    zero_page + BP_E820_TABLE + (size_t)i * BP_E820_ENTRY_SIZE;

		put64(entry, e820[i].address);
		put64(entry + 8, e820[i].size);
		put32(entry + 16, e820[i].type);
	}
}

bool linux_boot_params_build(uint8_t zero_page[LINUX_ZERO_PAGE_SIZE],
			     const uint8_t *file,
			     const struct linux_image *image,
			     const struct linux_layout *layout,
			     const struct linux_e820_entry *e820,
			     unsigned e820_count, uint64_t acpi_rsdp)
{
	if (!zero_page || !file || !image || !layout ||
	    e820_count > LINUX_E820_MAX || (e820_count && !e820))
		return false;
	memset(zero_page, 0, LINUX_ZERO_PAGE_SIZE);
	if (!copy_setup_header(zero_page, file, image))
		return false;
	zero_page[HDR_TYPE_OF_LOADER] = LOADER_TYPE_UNDEFINED;
	zero_page[HDR_LOADFLAGS] = LINUX_LOADED_HIGH;
	put32(zero_page + HDR_CODE32_START,
	      layout->kernel < FOUR_GIB ? (uint32_t)layout->kernel : 0);
	put32(zero_page + HDR_RAMDISK_IMAGE, (uint32_t)layout->initrd);
	put32(zero_page + HDR_RAMDISK_SIZE, (uint32_t)layout->initrd_size);
	put32(zero_page + BP_EXT_RAMDISK_IMAGE,
	      (uint32_t)(layout->initrd >> 32));
	put32(zero_page + BP_EXT_RAMDISK_SIZE,
	      (uint32_t)(layout->initrd_size >> 32));
	put32(zero_page + HDR_CMD_LINE_PTR, (uint32_t)layout->cmdline);
	put32(zero_page + BP_EXT_CMD_LINE_PTR,
	      (uint32_t)(layout->cmdline >> 32));
	put64(zero_page + HDR_SETUP_DATA, 0);
	put_e820(zero_page, e820, e820_count);
	if (image->protocol >= LINUX_BOOT_PROTOCOL_RSDP)
		put64(zero_page + BP_ACPI_RSDP_ADDR, acpi_rsdp);
	return true;
}
