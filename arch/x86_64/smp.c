/* SPDX-License-Identifier: MIT */
/*
 * AP start-up: the trampoline is copied below 1 MiB and each AP is sent
 * INIT, then two STARTUP IPIs, as the Intel SDM's MP initialisation
 * protocol describes; the BSP waits for the AP to mark itself online and
 * reports a CPU that never answers instead of hanging.
 */
#include "smp.h"

#include <string.h>

#include "cpu.h"
#include "lapic.h"

extern const uint8_t trampoline_start[], trampoline_end[];
extern const uint8_t trampoline_gdt_base[], trampoline_far32[],
	trampoline_far64[], trampoline_cr3[], trampoline_stack[],
	trampoline_entry[], trampoline_argument[];
extern const uint8_t trampoline_protected[], trampoline_long[],
	trampoline_gdt[];

static uint8_t *trampoline_page;

static void *field(const uint8_t *symbol)
{
	return trampoline_page + (symbol - trampoline_start);
}

static void put32(const uint8_t *symbol, uint32_t value)
{
	memcpy(field(symbol), &value, sizeof(value));
}

static void put64(const uint8_t *symbol, uint64_t value)
{
	memcpy(field(symbol), &value, sizeof(value));
}

void smp_prepare(uint64_t page, uint64_t cr3)
{
	uint32_t base = (uint32_t)page;

	trampoline_page = (uint8_t *)(uintptr_t)page;
	memcpy(trampoline_page, trampoline_start,
	       trampoline_end - trampoline_start);
	put32(trampoline_gdt_base,
	      base + (uint32_t)(trampoline_gdt - trampoline_start));
	put32(trampoline_far32,
	      base + (uint32_t)(trampoline_protected - trampoline_start));
	put32(trampoline_far64,
	      base + (uint32_t)(trampoline_long - trampoline_start));
	put64(trampoline_cr3, cr3);
}

static void delay_microseconds(uint64_t us, uint64_t tsc_hz)
{
	uint64_t end = rdtsc() + tsc_hz / 1000000 * us;

	while (rdtsc() < end)
		cpu_relax();
}

bool smp_start_cpu(struct cpu *cpu, void (*entry)(struct cpu *),
		   uint64_t tsc_hz)
{
	uint32_t vector = (uint32_t)((uintptr_t)trampoline_page >> 12);

	put64(trampoline_stack, cpu_stack_top(cpu));
	put64(trampoline_entry, (uint64_t)(uintptr_t)entry);
	put64(trampoline_argument, (uint64_t)(uintptr_t)cpu);
	lapic_send_init(cpu->apic_id);
	delay_microseconds(10000, tsc_hz);
	for (int i = 0; i < 2 && !cpu->online; i++) {
		lapic_send_startup(cpu->apic_id, vector);
		delay_microseconds(200, tsc_hz);
	}
	for (int waited = 0; waited < 1000 && !cpu->online; waited++)
		delay_microseconds(1000, tsc_hz);
	return cpu->online;
}
