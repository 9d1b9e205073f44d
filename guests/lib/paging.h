/* SPDX-License-Identifier: MIT */
/*
 * Extends the identity map the hypervisor built (CR3) to guest-physical
 * addresses outside the partition, so a guest can touch them on purpose.
 */
#ifndef GUEST_PAGING_H
#define GUEST_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* Spare page-table pages (in .bss) for new mappings. */
#define GUEST_PAGING_SPARE_TABLES 8

/*
 * Maps the 2 MiB page holding address one-to-one, writable, and uncached
 * when asked (for MMIO). Returns 0 on success, -1 when address is not a
 * lower-half canonical address or the spare tables ran out. Not safe to
 * call from several vCPUs at once.
 */
int guest_map_identity_2m(uint64_t address, bool uncached);

#endif
