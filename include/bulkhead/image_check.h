/* SPDX-License-Identifier: MIT */
/*
 * Checks a partition's kernel image the one way the loader and the host
 * checker both use: an ELF guest against the partition's memory, or a
 * Linux bzImage by the boot protocol with its initrd and command line
 * planned into the partition's memory. Pure.
 */
#ifndef BULKHEAD_IMAGE_CHECK_H
#define BULKHEAD_IMAGE_CHECK_H

#include <bulkhead/bootinfo.h>
#include <bulkhead/config.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux partitions end below the guest's IOAPIC and local APIC pages. */
#define IMAGE_LINUX_MEMORY_MAX (3ull << 30)
/* What the core may append to a Linux command line (tsc_early_khz=,
 * bulkhead.run=). */
#define IMAGE_LINUX_CMDLINE_ADDED_MAX 64
#define IMAGE_ERROR_MAX 200

struct image_summary {
	uint32_t kind;          /* enum bootinfo_image_kind */
	uint64_t entry;         /* ELF entry, or the Linux 64-bit entry */
	uint16_t linux_protocol;
	uint64_t linux_kernel;  /* where the protected-mode kernel goes */
};

/* Whether the file starts like an image the loader knows at all. */
bool image_is_linux(const uint8_t *file, uint64_t size);

/* On failure writes one line (without the partition's name) to error. */
bool image_check(const struct config_partition *partition,
		 const uint8_t *file, uint64_t size, uint64_t initrd_size,
		 struct image_summary *out, char error[IMAGE_ERROR_MAX]);

#endif
