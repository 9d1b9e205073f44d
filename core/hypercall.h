/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch, separated from the vCPU so that it is pure: the
 * context says where the caller's memory is and what to do with console
 * text and exit requests. Every guest pointer is checked with
 * guest_range_valid and guest data is copied once into a bounce buffer
 * before use, so another vCPU cannot change it between check and use.
 */
#ifndef BULKHEAD_CORE_HYPERCALL_H
#define BULKHEAD_CORE_HYPERCALL_H

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/hypercall.h>

struct hypercall_context {
	uint8_t *memory; /* host pointer to the caller's guest-physical 0 */
	uint64_t memory_size;
	uint8_t *bounce; /* BULKHEAD_CONSOLE_WRITE_MAX bytes */
	unsigned cpl;    /* privilege level of the caller */
	struct bulkhead_partition_info info; /* what PARTITION_INFO returns */
	void (*console_write)(void *owner, const char *text, size_t length);
	void (*exit)(void *owner, int64_t status);
	void *owner;
	uint64_t call_counts[BULKHEAD_HC_COUNT];
};

int64_t hypercall_handle(struct hypercall_context *context, uint64_t number,
			 uint64_t argument0, uint64_t argument1,
			 uint64_t argument2, uint64_t argument3);

#endif
