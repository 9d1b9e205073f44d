/* SPDX-License-Identifier: MIT */
/*
 * Constants shared by the guest library's assembly and C: per-vCPU stacks
 * and the exit statuses the library itself uses. Assembler-safe.
 */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#define GUEST_MAX_VCPUS 16
#define GUEST_STACK_SIZE 16384

/* BULKHEAD_HC_EXIT, repeated for start.S (checked in runtime.c). */
#define GUEST_HC_EXIT_NUMBER 3

/* Exit status of a vCPU whose index is >= GUEST_MAX_VCPUS. */
#define GUEST_EXIT_TOO_MANY_VCPUS 0x7f
/* Exit status of an unexpected exception: this plus the vector. */
#define GUEST_EXIT_EXCEPTION_BASE 0x80

#endif
