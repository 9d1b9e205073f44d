/* SPDX-License-Identifier: MIT */
/* The register frame every interrupt stub builds; see isr.S. */
#ifndef BULKHEAD_ARCH_INTERRUPT_H
#define BULKHEAD_ARCH_INTERRUPT_H

#include <stdint.h>

struct interrupt_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

void interrupt_dispatch(struct interrupt_frame *frame);
/* Who handles an exception in the hypervisor (the core's panic); until one
 * is set, an exception halts the CPU. */
void interrupt_set_exception_handler(
	void (*handler)(struct interrupt_frame *frame));

#endif
