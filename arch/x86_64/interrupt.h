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

/* Who handles the external interrupts other than the host timer (device
 * MSIs routed to this CPU); until one is set they are acknowledged and
 * dropped. */
void interrupt_set_device_handler(void (*handler)(uint8_t vector));
/* An external interrupt this CPU took, through the IDT or (VT-x's
 * acknowledge-on-exit) reported by an exit: handled, then acknowledged
 * at the local APIC. */
void interrupt_external(uint8_t vector);

#endif
