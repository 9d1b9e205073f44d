/* SPDX-License-Identifier: MIT */
/*
 * Calls into the bulkhead hypervisor: raw hypercall0..4 (VMMCALL on AMD,
 * VMCALL elsewhere) and a typed wrapper for each call of the ABI in
 * <bulkhead/hypercall.h>. Results are the raw RAX: >= 0 or -BULKHEAD_E*.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <bulkhead/hypercall.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when CPUID leaf 0x40000000 carries the bulkhead signature. */
bool bulkhead_present(void);

int64_t hypercall0(uint64_t number);
int64_t hypercall1(uint64_t number, uint64_t a0);
int64_t hypercall2(uint64_t number, uint64_t a0, uint64_t a1);
int64_t hypercall3(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t hypercall4(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2,
		   uint64_t a3);

/* The ABI version, major << 16 | minor. */
int64_t bulkhead_version(void);
/* Fills *info; returns 0 or a negative error. */
int64_t bulkhead_partition_info(struct bulkhead_partition_info *info);
/* Writes length bytes to the console; returns the bytes written. */
int64_t bulkhead_console_write(const char *text, size_t length);
/* Ends the partition's run with this status; does not return. */
__attribute__((noreturn)) void bulkhead_exit(int64_t status);

/* ABI 1.1. */
/* Fills *info for the caller's channel index (0..channel_count-1); ENOENT
 * for a bad index. */
int64_t bulkhead_channel_info(uint64_t channel,
			      struct bulkhead_channel_info *info);
/* Rings the peer's doorbell of channel index: its vector on the peer's
 * vCPU 0. ESRCH when the peer is not running. */
int64_t bulkhead_channel_notify(uint64_t channel);
/* State of partition id (BULKHEAD_SELF for the caller); another partition
 * needs management (else EPERM); ENOENT past the last id. */
int64_t bulkhead_partition_state(uint64_t partition,
				 struct bulkhead_partition_state *state);
/* BULKHEAD_OP_STOP / START / RESTART on another partition (management
 * only; EINVAL on itself). */
int64_t bulkhead_partition_control(uint64_t partition, uint64_t operation);
/* Counters of partition id (BULKHEAD_SELF for the caller); another
 * partition needs management. */
int64_t bulkhead_stats(uint64_t partition, struct bulkhead_stats *stats);
/* Up to size bytes (header included) of partition id's console log from
 * position on, into buffer: a struct bulkhead_console_log and its data.
 * Returns the data bytes; another partition needs management. */
int64_t bulkhead_console_read(uint64_t partition, uint64_t position,
			      void *buffer, uint64_t size);

#endif
