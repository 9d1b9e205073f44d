/* SPDX-License-Identifier: MIT */
/*
 * The guest's IDT (all 256 vectors) and the C side of exception handling:
 * hand interrupt vectors 32-255 to interrupts.c, resume an armed
 * guest_catch(), or report the exception and exit with status
 * GUEST_EXIT_EXCEPTION_BASE + vector.
 */
#include <stdint.h>

#include "console.h"
#include "cpu.h"
#include "exceptions.h"
#include "interrupts.h"
#include "runtime.h"

#define IDT_GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_middle;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate size");
_Static_assert(sizeof(struct guest_exception_frame) == 22 * 8,
	       "exception_entry.S frame layout");

extern const uint64_t guest_exception_stubs[GUEST_IDT_VECTORS];

/* One table for all vCPUs: each vCPU rewrites it with identical values. */
static struct idt_gate idt[GUEST_IDT_VECTORS] __attribute__((aligned(16)));

static const char *const exception_names[GUEST_EXCEPTION_VECTORS] = {
	[0] = "#DE divide error",
	[1] = "#DB debug",
	[2] = "NMI",
	[3] = "#BP breakpoint",
	[4] = "#OF overflow",
	[5] = "#BR bound range",
	[6] = "#UD invalid opcode",
	[7] = "#NM device not available",
	[8] = "#DF double fault",
	[10] = "#TS invalid TSS",
	[11] = "#NP segment not present",
	[12] = "#SS stack fault",
	[13] = "#GP general protection",
	[14] = "#PF page fault",
	[16] = "#MF x87 error",
	[17] = "#AC alignment check",
	[18] = "#MC machine check",
	[19] = "#XM SIMD error",
	[20] = "#VE virtualization",
	[21] = "#CP control protection",
	[28] = "#HV hypervisor injection",
	[29] = "#VC VMM communication",
	[30] = "#SX security",
};

const char *exception_name(unsigned vector)
{
	if (vector < GUEST_EXCEPTION_VECTORS && exception_names[vector])
		return exception_names[vector];
	return "reserved";
}

void guest_idt_install(void)
{
	struct idt_pointer pointer;
	uint16_t code_selector;
	unsigned vector;

	asm volatile("mov %%cs, %0" : "=r"(code_selector));
	for (vector = 0; vector < GUEST_IDT_VECTORS; vector++) {
		uint64_t handler = guest_exception_stubs[vector];

		idt[vector] = (struct idt_gate){
			.offset_low = (uint16_t)handler,
			.selector = code_selector,
			.type = IDT_GATE_INTERRUPT,
			.offset_middle = (uint16_t)(handler >> 16),
			.offset_high = (uint32_t)(handler >> 32),
		};
	}
	pointer.limit = sizeof(idt) - 1;
	pointer.base = (uintptr_t)idt;
	asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

void guest_exception(struct guest_exception_frame *frame)
{
	unsigned vector = (unsigned)frame->vector;

	if (vector >= GUEST_EXCEPTION_VECTORS) {
		guest_interrupt(frame);
		return;
	}
	if (guest_catch_resume(frame))
		return;

	gprintf("exception %u (%s) on vCPU %u at rip 0x%lx, error code 0x%lx\n",
		vector, exception_name(vector), guest_vcpu_self(), frame->rip,
		frame->error_code);
	if (vector == VECTOR_PF)
		gprintf("page fault address 0x%lx\n", read_cr2());
	guest_exit(GUEST_EXIT_EXCEPTION_BASE + vector);
}
