/* SPDX-License-Identifier: MIT */
/*
 * Checks a partition's kernel image the one way the loader and the host
 * checker both use: an ELF guest against the partition's memory, a
 * Multiboot 1 or 2 kernel by its header (lib/multiboot.c), or a
 * Linux bzImage by the boot protocol with its initrd and command line
 * planned into the partition's memory; and resolves the partition's
 * virtual platform against the image kind, refusing a combination that
 * cannot run. Pure.
 */
#ifndef BULKHEAD_IMAGE_CHECK_H
#define BULKHEAD_IMAGE_CHECK_H

#include <bulkhead/bootinfo.h>
#include <bulkhead/config.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Partitions with the PC platform (every Linux partition) end below the
 * guest's IOAPIC and local APIC pages. */
#define IMAGE_PC_MEMORY_MAX (3ull << 30)
/* What the core may append to a Linux command line (tsc_early_khz=,
 * bulkhead.run=). */
#define IMAGE_LINUX_CMDLINE_ADDED_MAX 64
#define IMAGE_ERROR_MAX 200

struct image_summary {
	uint32_t kind;          /* enum bootinfo_image_kind */
	uint64_t entry;         /* ELF or Multiboot entry, or the Linux
				 * 64-bit entry */
	uint16_t linux_protocol;
	uint64_t linux_kernel;  /* where the protected-mode kernel goes */
	uint32_t multiboot_lowest, multiboot_highest; /* what it loads */
	uint32_t platform;      /* enum config_platform, resolved: never
				 * CONFIG_PLATFORM_DEFAULT */
};

/* Whether the file starts like an image the loader knows at all. */
bool image_is_linux(const uint8_t *file, uint64_t size);

/* The platform a partition gets: the configured one, or by default "pc"
 * for a Linux or Multiboot kernel and "none" for an ELF guest. */
uint32_t image_platform(uint32_t configured, uint32_t kind);

/* On failure writes one line (without the partition's name) to error. */
bool image_check(const struct config_partition *partition,
		 const uint8_t *file, uint64_t size, uint64_t initrd_size,
		 struct image_summary *out, char error[IMAGE_ERROR_MAX]);

/* A checked Multiboot kernel's modules, of the given sizes (one per entry
 * of partition->modules): where each goes (starts), or false with one line
 * in error when they do not fit. True at once without modules. */
bool image_check_modules(const struct config_partition *partition,
			 const struct image_summary *summary,
			 const uint64_t *sizes, uint32_t *starts,
			 char error[IMAGE_ERROR_MAX]);

#endif
