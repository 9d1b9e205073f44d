/* SPDX-License-Identifier: MIT */
/*
 * External interrupts (vectors 32-255): per-vector handlers, counters, and
 * the race-free way to sleep until an interrupt arrives.
 *
 * bulkhead delivers a channel's doorbell as an external interrupt on the
 * partition's vCPU 0, and only while RFLAGS.IF is set; no end-of-interrupt
 * is needed. The waiting pattern is:
 *
 *	guest_interrupts_disable();
 *	while (!condition())             // checked with IF = 0: no interrupt
 *		guest_wait_for_interrupt(); // can slip in between check and HLT
 *	guest_interrupts_enable();       // if interrupts should stay on
 *
 * guest_wait_for_interrupt() executes "sti; hlt" then "cli". STI enables
 * interrupts only after the next instruction (the STI shadow), so an
 * interrupt that became pending after the condition was checked is taken
 * once HLT has begun and wakes it: the wake-up cannot be lost. The handler
 * runs before guest_wait_for_interrupt() returns; condition() should read
 * what the handler wrote (e.g. guest_interrupt_count()), or shared memory
 * the peer wrote before ringing.
 *
 * Handlers run with interrupts disabled (interrupt gates) on the
 * interrupted stack; they must be short and must not call gprintf() while
 * the interrupted code might be in the middle of one (it is reentrant, but
 * the console lines may interleave).
 */
#ifndef GUEST_INTERRUPTS_H
#define GUEST_INTERRUPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "exceptions.h"

#define GUEST_INTERRUPT_FIRST 32

typedef void (*guest_interrupt_handler)(unsigned vector,
					struct guest_exception_frame *frame);

/*
 * Registers fn for vector (32-255) on every vCPU; NULL unregisters.
 * Returns 0, or -1 for a vector below 32 or above 255. An interrupt with
 * no handler is printed and counted by guest_unexpected_interrupts(); it
 * is not fatal.
 */
int guest_set_interrupt_handler(unsigned vector, guest_interrupt_handler fn);

/* Interrupts of this vector taken so far (all vCPUs), handled or not. */
uint64_t guest_interrupt_count(unsigned vector);

/* Interrupts that arrived with no handler registered. */
uint64_t guest_unexpected_interrupts(void);

static inline void guest_interrupts_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void guest_interrupts_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static inline bool guest_interrupts_enabled(void)
{
	uint64_t flags;

	asm volatile("pushfq; pop %0" : "=r"(flags) : : "memory");
	return flags & (1u << 9);
}

/*
 * Sleeps until an interrupt has been taken, with interrupts disabled on
 * entry and on return: "sti; hlt; cli" (see the pattern above). Call it
 * only after checking the wake-up condition with interrupts disabled.
 * Under bulkhead a vCPU that halts with IF set wakes only in a partition
 * that has channels; without one nothing ever wakes it.
 */
static inline void guest_wait_for_interrupt(void)
{
	asm volatile("sti; hlt; cli" : : : "memory");
}

/* Called by guest_exception() for vectors 32-255. */
void guest_interrupt(struct guest_exception_frame *frame);

#endif
