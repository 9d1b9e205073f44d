/* SPDX-License-Identifier: MIT */
/*
 * The guest's life cycle: the entry every guest implements, how a guest
 * ends, and which vCPU is running. vCPU 0 is the primary; the others can
 * wait for it and leave with its status, so an exit that stops the whole
 * partition cannot race the primary's output.
 */
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

#include <bulkhead/hypercall.h>

#include "layout.h"

/* Implemented by every guest; runs on every vCPU. Its result is the exit
 * status. */
int guest_main(const struct bulkhead_boot_info *info, unsigned vcpu);

/* Called by start.S on its own stack; never returns. */
__attribute__((noreturn)) void guest_start(const struct bulkhead_boot_info *info,
					   unsigned vcpu);

/* Ends this vCPU's run; on vCPU 0 also releases guest_wait_for_primary(). */
__attribute__((noreturn)) void guest_exit(int status);

/* Waits until vCPU 0 has finished and returns its exit status. */
int guest_wait_for_primary(void);

/* The running vCPU's index, found from the stack it runs on, or
 * GUEST_MAX_VCPUS when the stack is not one of the library's. */
unsigned guest_vcpu_self(void);

/* The per-vCPU stacks (start.S) and the page-rounded image end (guest.ld). */
extern char guest_stacks[GUEST_MAX_VCPUS][GUEST_STACK_SIZE];
extern char _image_start[], _end[];

#endif
