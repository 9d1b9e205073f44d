/* SPDX-License-Identifier: MIT */
/*
 * The Linux x86 boot protocol (Documentation/x86/boot.rst), pure part: the
 * checks of a bzImage's setup header, the placement of the kernel, initrd,
 * command line and zero page in a partition's guest-physical memory, the
 * e820 map and the zero page itself. Shared by the loader (which refuses a
 * bad image before anything is committed), the core (which loads it) and
 * the unit tests. Nothing here trusts the image: every field is checked
 * against the file before it is used.
 */
#ifndef BULKHEAD_LINUX_BOOT_H
#define BULKHEAD_LINUX_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 2.12: xloadflags (XLF_KERNEL_64, the 64-bit entry) and init_size. */
#define LINUX_BOOT_PROTOCOL_MIN 0x020c
/* 2.14: the zero page's acpi_rsdp_addr. */
#define LINUX_BOOT_PROTOCOL_RSDP 0x020e

/* loadflags and xloadflags bits the loader cares about. */
#define LINUX_LOADED_HIGH		 0x01
#define LINUX_XLF_KERNEL_64		 0x0001
#define LINUX_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002

/* Fixed guest-physical layout of a Linux partition's low memory. Pages
 * 0x2000-0x1ffff hold the boot GDT and identity tables (guest_boot.h). */
#define LINUX_BOOT_PARAMS 0x1000ull  /* the zero page */
#define LINUX_CMDLINE	  0x20000ull /* one page */
#define LINUX_CMDLINE_MAX 4095	     /* bytes, without the NUL */
#define LINUX_LOW_RAM_END 0xa0000ull
#define LINUX_BIOS_AREA	  0xe0000ull  /* ACPI tables; reserved in e820 */
#define LINUX_HIGH_START  0x100000ull /* kernel and initrd go above */
/* The 64-bit entry point, from the protected-mode kernel's start. */
#define LINUX_ENTRY64_OFFSET 0x200
#define LINUX_ZERO_PAGE_SIZE 4096

/* e820 entry types; the zero page holds at most LINUX_E820_MAX. */
#define LINUX_E820_RAM	    1
#define LINUX_E820_RESERVED 2
#define LINUX_E820_ACPI	    3
#define LINUX_E820_MAX	    128

/* What the setup header says. */
struct linux_image {
	uint16_t protocol;	   /* e.g. 0x020f for 2.15 */
	uint16_t header_end;	   /* 0x202 + the byte at 0x201 */
	uint64_t setup_size;	   /* (setup_sects, 0 means 4, + 1) * 512 */
	uint64_t kernel_size;	   /* file size - setup_size */
	uint32_t init_size;	   /* memory needed from its runtime start */
	uint32_t kernel_alignment; /* a power of two if relocatable */
	uint64_t pref_address;
	bool relocatable;
	uint32_t cmdline_size;	  /* max command line, without NUL */
	uint64_t initrd_addr_max; /* highest byte the initrd may occupy */
	uint16_t xloadflags;
};

/*
 * Checks a bzImage held in [file, file + size): boot flag, "HdrS" magic,
 * protocol at least LINUX_BOOT_PROTOCOL_MIN, a 64-bit loaded-high kernel,
 * setup and kernel parts inside the file, sane alignment and init_size.
 * On failure writes one line into error (if error_size > 0), returns false.
 */
bool linux_image_check(const uint8_t *file, uint64_t size,
		       struct linux_image *out, char *error, size_t error_size);

/* Where everything goes in guest-physical memory. */
struct linux_layout {
	uint64_t boot_params; /* LINUX_BOOT_PARAMS */
	uint64_t cmdline;     /* LINUX_CMDLINE */
	uint64_t kernel;      /* where the protected-mode kernel is copied */
	uint64_t entry64;     /* kernel + LINUX_ENTRY64_OFFSET */
	uint64_t initrd;      /* 0 when initrd_size is 0 */
	uint64_t initrd_size;
};

/*
 * Plans a partition whose RAM is [0, memory_size). The kernel goes at
 * pref_address, or for a relocatable kernel at the lowest address at or
 * above max(pref_address, 1 MiB) aligned to kernel_alignment: its 64-bit
 * entry never runs below pref_address (LOAD_PHYSICAL_ADDR) anyway, so
 * [kernel, kernel + init_size) must lie inside RAM. The initrd goes as high
 * as it can, page-aligned, above 1 MiB, ending at or below memory_size and
 * (without XLF_CAN_BE_LOADED_ABOVE_4G) initrd_addr_max + 1, and outside the
 * kernel's init_size region. cmdline_length (without NUL) must not exceed
 * min(cmdline_size, LINUX_CMDLINE_MAX). Returns false with one line in
 * error when something does not fit.
 */
bool linux_layout_plan(const struct linux_image *image, uint64_t memory_size,
		       uint64_t initrd_size, uint64_t cmdline_length,
		       struct linux_layout *out, char *error,
		       size_t error_size);

struct linux_e820_entry {
	uint64_t address;
	uint64_t size;
	uint32_t type; /* LINUX_E820_* */
};

/*
 * Builds the e820 map of a partition: RAM [0, LINUX_LOW_RAM_END), reserved
 * [LINUX_BIOS_AREA, LINUX_HIGH_START), RAM [LINUX_HIGH_START, memory_size),
 * plus each non-empty extra range (channel windows, with their own type),
 * sorted by address. Returns the entry count, or 0 when memory_size is not
 * above 1 MiB, an extra range wraps or overlaps another, or capacity is
 * too small.
 */
unsigned linux_e820_build(uint64_t memory_size,
			  const struct linux_e820_entry *extra_reserved,
			  unsigned extra_count, struct linux_e820_entry *out,
			  unsigned capacity);

/*
 * Fills the zero page of a checked image and planned layout: zeroed, the
 * image's setup header copied in, then type_of_loader 0xff, loadflags
 * LOADED_HIGH, code32_start, the initrd, the command line pointer (with
 * their ext_ high halves), setup_data 0, the e820 map and (protocol 2.14
 * and later) acpi_rsdp_addr. Returns false when e820_count exceeds
 * LINUX_E820_MAX or the image's header bounds are inconsistent.
 */
bool linux_boot_params_build(uint8_t zero_page[LINUX_ZERO_PAGE_SIZE],
			     const uint8_t *file,
			     const struct linux_image *image,
			     const struct linux_layout *layout,
			     const struct linux_e820_entry *e820,
			     unsigned e820_count, uint64_t acpi_rsdp);

#endif
