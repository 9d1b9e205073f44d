/* SPDX-License-Identifier: MIT */
/*
 * ELF64 image checks and loading, pure logic shared by the loader, the core,
 * the config checker and the unit tests. Nothing here trusts the image:
 * every offset and size is checked against the buffer before it is used.
 */
#ifndef BULKHEAD_ELF_H
#define BULKHEAD_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_ERROR_MAX 128

/* Where a loadable image may live: [min_address, max_address). */
struct elf_bounds {
	uint64_t min_address;
	uint64_t max_address;
};

struct elf_summary {
	uint64_t entry;
	uint64_t lowest;  /* lowest address of any PT_LOAD segment */
	uint64_t highest; /* one past the highest byte of any PT_LOAD */
	uint32_t load_count;
};

/*
 * Checks that image is an x86-64 ELF64 executable whose PT_LOAD segments
 * lie inside bounds, do not overlap, have file data inside the buffer and
 * whose entry point falls inside an executable segment. On failure writes a
 * one-line reason into error and returns false.
 */
bool elf_check(const void *image, size_t size, const struct elf_bounds *bounds,
	       struct elf_summary *summary, char error[ELF_ERROR_MAX]);

/*
 * Copies every PT_LOAD segment of a checked image to dest + (vaddr - base),
 * zeroing the part of each segment beyond its file data. dest must hold
 * summary.highest - base bytes.
 */
void elf_load(const void *image, void *dest, uint64_t base);

/*
 * Applies the R_X86_64_RELATIVE relocations of a position-independent image
 * already loaded at dest (linked at 0). Returns false, with a reason, if the
 * image carries any other relocation type or a malformed dynamic section.
 */
bool elf_relocate(const void *image, size_t size, void *dest,
		  uint64_t load_size, char error[ELF_ERROR_MAX]);

#endif
