/* SPDX-License-Identifier: MIT */
/*
 * Checks of guest-supplied addresses: the one place that decides whether a
 * (guest-physical address, length) pair lies inside a partition's memory.
 */
#ifndef BULKHEAD_CORE_HYPERCALL_GUEST_RANGE_H
#define BULKHEAD_CORE_HYPERCALL_GUEST_RANGE_H

#include <stdbool.h>
#include <stdint.h>

/* True when [address, address + length) lies inside [0, memory_size);
 * written so that no sum can overflow. A zero length is valid anywhere
 * inside or at the end of memory. */
static inline bool guest_range_valid(uint64_t memory_size, uint64_t address,
				     uint64_t length)
{
	return length <= memory_size && address <= memory_size - length;
}

#endif
