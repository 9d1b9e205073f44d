/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch, separated from the vCPU so that it is pure: the
 * context says where the caller's memory is, whether it is a management
 * partition, and which operations carry out the calls. This layer does
 * every check of guest-supplied values (numbers, pointers, lengths, sizes,
 * permissions) and copies guest data once into a bounce buffer before use,
 * so another vCPU cannot change it between check and use. The operations
 * receive only validated arguments.
 */
#ifndef BULKHEAD_CORE_HYPERCALL_HYPERCALL_DISPATCH_H
#define BULKHEAD_CORE_HYPERCALL_HYPERCALL_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/hypercall.h>

struct hypercall_operations {
	void (*console_write)(void *owner, const char *text, size_t length);
	void (*exit)(void *owner, int64_t status);
	/* The caller's channel index is below channel_count. */
	void (*channel_info)(void *owner, uint32_t channel,
			     struct bulkhead_channel_info *info);
	int64_t (*channel_notify)(void *owner, uint32_t channel);
	/* The partition id is below partition_count. */
	void (*partition_state)(void *owner, uint32_t partition,
				struct bulkhead_partition_state *state);
	int64_t (*partition_control)(void *owner, uint32_t partition,
				     enum bulkhead_partition_operation operation);
	void (*stats)(void *owner, uint32_t partition,
		      struct bulkhead_stats *stats);
	/* Copies at most capacity (<= BULKHEAD_CONSOLE_READ_MAX) bytes of
	 * the partition's console log from position into data and fills
	 * the header; BULKHEAD_EINVAL for a position past the newest byte. */
	int64_t (*console_read)(void *owner, uint32_t partition,
				uint64_t position, uint8_t *data,
				uint32_t capacity,
				struct bulkhead_console_log *log);
};

struct hypercall_context {
	uint8_t *memory; /* host pointer to the caller's guest-physical 0 */
	uint64_t memory_size;
	uint8_t *bounce; /* BULKHEAD_CONSOLE_WRITE_MAX bytes (also
			  * BULKHEAD_CONSOLE_READ_MAX, which is no larger) */
	unsigned cpl;    /* privilege level of the caller */
	bool management; /* may act on other partitions */
	uint32_t partition_id;
	uint32_t partition_count;
	uint32_t channel_count; /* channels the caller is in */
	struct bulkhead_partition_info info; /* what PARTITION_INFO returns */
	const struct hypercall_operations *operations;
	void *owner;
	uint64_t call_counts[BULKHEAD_HC_COUNT];
};

int64_t hypercall_handle(struct hypercall_context *context, uint64_t number,
			 uint64_t argument0, uint64_t argument1,
			 uint64_t argument2, uint64_t argument3);

#endif
