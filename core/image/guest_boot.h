/* SPDX-License-Identifier: MIT */
/*
 * The entry environment of a bare-metal (ELF) guest, built inside its own
 * memory: the boot-info page, a flat GDT and identity page tables over all
 * of the partition's memory, at the addresses hypercall.h documents.
 */
#ifndef BULKHEAD_CORE_IMAGE_GUEST_BOOT_H
#define BULKHEAD_CORE_IMAGE_GUEST_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/hypercall.h>

#define GUEST_SELECTOR_CODE 0x08
#define GUEST_SELECTOR_DATA 0x10
/* The Linux boot protocol's __BOOT_CS and __BOOT_DS. */
#define GUEST_LINUX_SELECTOR_CODE 0x10
#define GUEST_LINUX_SELECTOR_DATA 0x18
#define GUEST_GDT_LIMIT (4 * 8 - 1)

/* memory points at guest-physical 0 (memory_size bytes, already zeroed);
 * the identity map covers [0, mapped_size): the memory and the channel
 * windows after it. Returns false when the tables do not fit their region. */
bool guest_boot_build(uint8_t *memory, uint64_t memory_size,
		      uint64_t mapped_size,
		      const struct bulkhead_boot_info *info);

/* The same GDT (with the Linux selectors) and identity tables for a Linux
 * guest's 64-bit entry; the zero page and the rest are the caller's. */
bool guest_boot_build_linux(uint8_t *memory, uint64_t memory_size,
			    uint64_t mapped_size);

#endif
