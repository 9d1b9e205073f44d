/* SPDX-License-Identifier: MIT */
/*
 * Translation of a guest-virtual (linear) address to guest-physical through
 * the guest's own page tables, in every x86 paging mode: none, 32-bit (with
 * 4 MiB PSE pages), PAE, 4-level and 5-level long mode. The hypervisor uses
 * it to fetch the instruction at the guest's RIP, so only presence is
 * checked, not the U/S, R/W or NX permissions. Pure: table entries are read
 * through a callback that bounds-checks guest-physical addresses.
 */
#ifndef BULKHEAD_GUEST_WALK_H
#define BULKHEAD_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_CR0_PG   (1ull << 31)
#define GUEST_CR4_PSE  (1ull << 4)
#define GUEST_CR4_PAE  (1ull << 5)
#define GUEST_CR4_LA57 (1ull << 12)
#define GUEST_EFER_LMA (1ull << 10)

/*
 * Reads `size` bytes at guest-physical address guest_physical into out; false
 * if any of them is outside guest memory. Table entries are read with size 8,
 * or 4 for 32-bit (non-PAE) tables; guest_read_virtual passes up to a page.
 */
typedef bool (*guest_read_fn)(void *context, uint64_t guest_physical, void *out,
			      unsigned size);

/* The guest's control registers, as saved at the exit. */
struct guest_paging {
	uint64_t cr0, cr3, cr4, efer;
};

enum guest_walk_result {
	GUEST_WALK_OK,
	GUEST_WALK_NOT_PRESENT, /* an entry on the way has P clear */
	GUEST_WALK_BAD_TABLE,	/* an entry could not be read */
	GUEST_WALK_RESERVED,	/* an entry sets a bit that must be zero */
};

/*
 * Translates virtual_address (the linear address: segment base already added)
 * to *guest_physical, which is written only on GUEST_WALK_OK. With CR0.PG
 * clear the address is returned unchanged; in 32-bit and PAE paging only its
 * low 32 bits are translated.
 */
enum guest_walk_result guest_walk(const struct guest_paging *paging,
				  uint64_t virtual_address, guest_read_fn read,
				  void *context, uint64_t *guest_physical);

/*
 * Copies up to `size` bytes at guest-virtual address va into out, crossing
 * pages if needed; returns bytes copied (stops at the first untranslatable
 * page).
 */
size_t guest_read_virtual(const struct guest_paging *paging, uint64_t va,
			  guest_read_fn read, void *context, void *out,
			  size_t size);

#endif
