/* SPDX-License-Identifier: MIT */
/*
 * Local APIC access in xAPIC mode (the mode every emulator here offers).
 * The legacy PICs and IO APIC inputs are masked; the APIC starts APs,
 * sends the NMIs that kick a CPU out of its guest, and runs the one-shot
 * timer that makes a CPU leave its guest or idle wait when a guest's
 * virtual timer is due (the only maskable interrupt the hypervisor takes,
 * and only while it runs a guest or idles).
 */
#include "lapic.h"

#include "cpu.h"

#define LAPIC_ID 0x20
#define LAPIC_EOI 0xb0
#define LAPIC_SPURIOUS 0xf0
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define TIMER_DIVIDE_BY_1 0xb
#define LVT_MASKED (1u << 16)
#define ICR_PENDING (1u << 12)
#define ICR_INIT 0x4500
#define ICR_STARTUP 0x4600
#define ICR_NMI 0x4400

static uint64_t lapic_base;
/* Host timer: APIC timer ticks (divide by 1) per 2^20 TSC ticks. */
static uint64_t timer_ticks_per_mega_tsc;

static uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(lapic_base + reg);
}

static void lapic_write(uint32_t reg, uint32_t value)
{
	mmio_write32(lapic_base + reg, value);
}

void lapic_init(uint64_t base)
{
	lapic_base = base;
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11));
	lapic_write(LAPIC_SPURIOUS, 0x1ff); /* enabled, vector 0xff */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, 0x400); /* NMI delivery stays on */
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_end_of_interrupt(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void send_ipi(uint32_t apic_id, uint32_t command)
{
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, command);
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
}

void lapic_send_init(uint32_t apic_id)
{
	send_ipi(apic_id, ICR_INIT);
}

void lapic_send_startup(uint32_t apic_id, uint32_t vector_page)
{
	send_ipi(apic_id, ICR_STARTUP | (vector_page & 0xff));
}

void lapic_send_nmi(uint32_t apic_id)
{
	send_ipi(apic_id, ICR_NMI);
}

void interrupts_mask_legacy(uint64_t ioapic_base)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	if (!ioapic_base)
		return;
	mmio_write32(ioapic_base, 1); /* version register: max entry */
	uint32_t entries = (mmio_read32(ioapic_base + 0x10) >> 16 & 0xff) + 1;
	for (uint32_t i = 0; i < entries; i++) {
		mmio_write32(ioapic_base, 0x10 + 2 * i);
		mmio_write32(ioapic_base + 0x10, 1u << 16);
	}
}

/* Counts APIC timer ticks over a stretch of TSC; every CPU's APIC timer
 * runs at the same rate, so the boot CPU measures it once. */
void lapic_timer_calibrate(uint64_t tsc_hz)
{
	uint64_t span = tsc_hz / 100; /* 10 ms */
	uint64_t start;

	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffffu);
	start = rdtsc();
	while (rdtsc() - start < span)
		cpu_relax();
	uint32_t elapsed = 0xffffffffu - lapic_read(LAPIC_TIMER_CURRENT);
	uint64_t used = rdtsc() - start;

	lapic_write(LAPIC_TIMER_INITIAL, 0);
	timer_ticks_per_mega_tsc = ((uint64_t)elapsed << 20) / (used ? used : 1);
	if (!timer_ticks_per_mega_tsc)
		timer_ticks_per_mega_tsc = 1;
}

uint64_t lapic_timer_rate(void)
{
	return timer_ticks_per_mega_tsc;
}

void lapic_timer_arm(uint64_t tsc_deadline)
{
	uint64_t now = rdtsc();
	uint64_t delta = tsc_deadline > now ? tsc_deadline - now : 0;
	unsigned __int128 ticks =
		((unsigned __int128)delta * timer_ticks_per_mega_tsc) >> 20;

	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu; /* re-armed when it fires early */
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)ticks);
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}
