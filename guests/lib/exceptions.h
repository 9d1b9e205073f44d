/* SPDX-License-Identifier: MIT */
/*
 * The guest's interrupt descriptor table (all 256 vectors) and
 * guest_catch(): run a function and learn which exception, if any,
 * interrupted it. Uncaught exceptions (vectors 0-31) are printed and end
 * the guest with status 0x80 + vector; vectors 32-255 are interrupts, see
 * interrupts.h.
 */
#ifndef GUEST_EXCEPTIONS_H
#define GUEST_EXCEPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#define VECTOR_DE 0
#define VECTOR_DB 1
#define VECTOR_BP 3
#define VECTOR_UD 6
#define VECTOR_DF 8
#define VECTOR_GP 13
#define VECTOR_PF 14
#define GUEST_EXCEPTION_VECTORS 32
#define GUEST_IDT_VECTORS 256

/* What the entry stubs save, lowest address first; see exception_entry.S. */
struct guest_exception_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Loads the library's IDT (256 vectors) on the calling vCPU. */
void guest_idt_install(void);

/* Called by the entry stubs with the saved state. */
void guest_exception(struct guest_exception_frame *frame);

/*
 * Calls fn(arg) with a catch armed for this vCPU. Returns -1 when fn
 * returns normally, or the vector of the first exception raised inside it:
 * execution then resumes here and the rest of fn is abandoned. Catches do
 * not nest. Needs one of the library's stacks (any guest_main() code).
 */
int guest_catch(void (*fn)(void *), void *arg);

/* Used by guest_exception(): resumes an armed catch, if there is one. */
bool guest_catch_resume(struct guest_exception_frame *frame);

const char *exception_name(unsigned vector);

#endif
