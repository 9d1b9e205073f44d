/* SPDX-License-Identifier: MIT */
/*
 * The interrupt descriptor table shared by all CPUs, and the dispatch of
 * what arrives there. The hypervisor runs with interrupts disabled: an
 * exception is a hypervisor bug and goes to the handler the core sets (its
 * panic); an NMI is the kick one CPU sends
 * another to force its guest to exit or wake it from idle, and has its own
 * short handler (nmi_entry in idle.S); a device's vector goes to the
 * handler the core sets; any other vector (the host timer, whose work the
 * vCPU loop does after the exit) is only acknowledged.
 */
#include "cpu.h"
#include "interrupt.h"
#include "lapic.h"
#include "percpu.h"

#define VECTOR_NMI 2
#define GATE_INTERRUPT 0x8e

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_middle;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

extern const uint8_t isr_stubs[];
void nmi_entry(void); /* idle.S: kicks need no register frame */
static struct idt_gate idt[256] __attribute__((aligned(16)));
static volatile int idt_filled;
static void (*exception_handler)(struct interrupt_frame *frame);
static void (*device_handler)(uint8_t vector);

void interrupt_set_exception_handler(
	void (*handler)(struct interrupt_frame *frame))
{
	exception_handler = handler;
}

void interrupt_set_device_handler(void (*handler)(uint8_t vector))
{
	device_handler = handler;
}

void interrupt_external(uint8_t vector)
{
	if (vector != LAPIC_TIMER_VECTOR && device_handler)
		device_handler(vector);
	lapic_end_of_interrupt();
}

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1,
					   (uint64_t)(uintptr_t)idt };

	if (!idt_filled) {
		for (int i = 0; i < 256; i++) {
			uint64_t handler = i == VECTOR_NMI
						   ? (uintptr_t)nmi_entry
						   : (uintptr_t)(isr_stubs + 16 * i);

			idt[i] = (struct idt_gate){
				.offset_low = handler & 0xffff,
				.selector = 0x08,
				.type = GATE_INTERRUPT,
				.offset_middle = handler >> 16 & 0xffff,
				.offset_high = handler >> 32,
			};
		}
		idt_filled = 1;
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void interrupt_dispatch(struct interrupt_frame *frame)
{
	if (frame->vector < 32) {
		if (exception_handler)
			exception_handler(frame);
		cpu_halt_forever();
	}
	interrupt_external((uint8_t)frame->vector);
}
