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

#endif
