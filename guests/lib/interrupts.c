/* SPDX-License-Identifier: MIT */
/*
 * Dispatch of interrupt vectors 32-255 to the registered handlers, with a
 * counter per vector. One table for all vCPUs.
 */
#include "interrupts.h"

#include "console.h"
#include "runtime.h"

static guest_interrupt_handler handlers[GUEST_IDT_VECTORS];
static uint64_t counts[GUEST_IDT_VECTORS];
static uint64_t unexpected;

int guest_set_interrupt_handler(unsigned vector, guest_interrupt_handler fn)
{
	if (vector < GUEST_INTERRUPT_FIRST || vector >= GUEST_IDT_VECTORS)
		return -1;
	__atomic_store_n(&handlers[vector], fn, __ATOMIC_RELEASE);
	return 0;
}

uint64_t guest_interrupt_count(unsigned vector)
{
	if (vector >= GUEST_IDT_VECTORS)
		return 0;
	return __atomic_load_n(&counts[vector], __ATOMIC_ACQUIRE);
}

uint64_t guest_unexpected_interrupts(void)
{
	return __atomic_load_n(&unexpected, __ATOMIC_ACQUIRE);
}

void guest_interrupt(struct guest_exception_frame *frame)
{
	unsigned vector = (unsigned)frame->vector;
	guest_interrupt_handler fn;

	if (vector >= GUEST_IDT_VECTORS)
		return;
	fn = __atomic_load_n(&handlers[vector], __ATOMIC_ACQUIRE);
	if (fn)
		fn(vector, frame);
	else {
		__atomic_add_fetch(&unexpected, 1, __ATOMIC_RELEASE);
		gprintf("unexpected interrupt %u on vCPU %u at rip 0x%lx\n",
			vector, guest_vcpu_self(), frame->rip);
	}
	/* Counted after the handler, so a waiter that sees the count also
	 * sees what the handler did. */
	__atomic_add_fetch(&counts[vector], 1, __ATOMIC_RELEASE);
}
