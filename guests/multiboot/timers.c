/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot test kernel's timer check: it loads a GDT and an IDT of
 * its own (the entry state has none), routes the PIT's IRQ 0 through the
 * IOAPIC's input 2 (the MADT's ISA override) and runs the local APIC
 * timer periodically, both at 100 Hz, then counts their interrupts over
 * about 200 ms of its own clock, the ACPI PM timer, and checks each count
 * against the time that really passed. Interrupts are on only during
 * that window; both sources are masked again before it returns.
 *
 * The host may deschedule the vCPU at any moment (the emulators run on a
 * shared machine), so: the calibration brackets each PM timer reading by
 * two TSC reads and keeps the tightest of several; the window's length
 * is read at its end, not assumed; and ticks a descheduled vCPU could not
 * take are coalesced, as a periodic timer's are when interrupts wait, so
 * a count may fall short of the time, never exceed it. The check is
 * therefore: at most the periods that fit in the time passed, plus one
 * for each end, and at least a quarter of them.
 */
#include "mbcheck.h"

#define PM_TIMER_PORT	    0x608
#define PM_TIMER_HZ	    3579545u
#define PIT_CONTROL	    0x43
#define PIT_COUNTER0	    0x40
#define PIT_HZ		    1193182u
#define LAPIC		    0xfee00000u
#define LAPIC_EOI	    0x0b0
#define LAPIC_SVR	    0x0f0
#define LAPIC_LVT_TIMER	    0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_DIVIDE  0x3e0
#define IOAPIC		    0xfec00000u
#define IOAPIC_PIT_PIN	    2
#define PIT_VECTOR	    0x20
#define LAPIC_TIMER_VECTOR  0x21
#define SPURIOUS_VECTOR	    0xff
#define RATE_HZ		    100
#define WINDOW_MS	    200
#define SAMPLES		    5
#define CALIBRATION_PERIODS 5
#define MASKED		    (1u << 16)

volatile uint32_t pit_ticks, lapic_ticks;

/* The handlers: count, then end the interrupt at the local APIC by a
 * register write the hypervisor's MMIO decoder knows (MOV r32 to m32). */
__asm__(".text\n"
	"pit_entry:\n"
	"	incl pit_ticks\n"
	"	jmp eoi\n"
	"lapic_timer_entry:\n"
	"	incl lapic_ticks\n"
	"eoi:\n"
	"	push %eax\n"
	"	push %edx\n"
	"	mov $0xfee000b0, %edx\n"
	"	xor %eax, %eax\n"
	"	mov %eax, (%edx)\n"
	"	pop %edx\n"
	"	pop %eax\n"
	"spurious_entry:\n"
	"	iret\n");
extern char pit_entry[], lapic_timer_entry[], spurious_entry[];

static const uint64_t gdt[3] = {
    0, 0x00cf9a000000ffffull, /* 0x08: flat 32-bit code, as at entry */
    0x00cf92000000ffffull,    /* 0x10: flat data */
};
static uint64_t idt[256];

void mmio_write(uint32_t address, uint32_t value)
{
	__asm__ volatile("mov %1, (%0)"
			 :
			 : "r"(address), "r"(value)
			 : "memory");
}

uint32_t mmio_read(uint32_t address)
{
	uint32_t value;

	__asm__ volatile("mov (%1), %0" : "=r"(value) : "r"(address) : "memory");
	return value;
}

static uint64_t rdtsc(void)
{
	uint64_t value;

	__asm__ volatile("rdtsc" : "=A"(value));
	return value;
}

uint32_t pm_now(void)
{
	return inl(PM_TIMER_PORT) & 0xffffff;
}

void pm_wait(uint32_t start, uint32_t ticks)
{
	while (((pm_now() - start) & 0xffffff) < ticks)
		__asm__ volatile("pause");
}

static void set_gate(unsigned vector, const char *handler)
{
	uint32_t offset = (uint32_t)handler;

	/* Present, DPL 0, 32-bit interrupt gate, selector 0x08. */
	idt[vector] = (offset & 0xffff) | 0x08u << 16 |
		      (uint64_t)(0x8e00u | (offset & 0xffff0000u)) << 32;
}

static void load_tables(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint32_t base;
	} gdtr = {sizeof(gdt) - 1, (uint32_t)gdt},
	  idtr = {sizeof(idt) - 1, (uint32_t)idt};

	set_gate(PIT_VECTOR, pit_entry);
	set_gate(LAPIC_TIMER_VECTOR, lapic_timer_entry);
	set_gate(SPURIOUS_VECTOR, spurious_entry);
	__asm__ volatile("lgdt %0; lidt %1" : : "m"(gdtr), "m"(idtr));
}

static void ioapic_write(uint32_t reg, uint32_t value)
{
	mmio_write(IOAPIC, reg);
	mmio_write(IOAPIC + 0x10, value);
}

/* A PM timer reading and the TSC when it was taken: the reading
 * bracketed by two TSC reads, the tightest of SAMPLES. */
static void pm_sample(uint32_t *pm, uint64_t *tsc)
{
	uint64_t best = ~0ull;

	for (int i = 0; i < SAMPLES; i++) {
		uint64_t before = rdtsc();
		uint32_t now = pm_now();
		uint64_t after = rdtsc();

		if (after - before < best) {
			best = after - before;
			*pm = now;
			*tsc = before + (after - before) / 2;
		}
	}
}

/* n / d by shifts and subtractions: 32-bit code has no 64-bit divide
 * without libgcc, which the kernel does not link. */
static uint32_t divide64(uint64_t n, uint32_t d)
{
	uint64_t quotient = 0, remainder = 0;

	for (int bit = 63; bit >= 0; bit--) {
		remainder = remainder << 1 | (n >> bit & 1);
		if (remainder >= d) {
			remainder -= d;
			quotient |= 1ull << bit;
		}
	}
	return (uint32_t)quotient;
}

/* The TSC ticks in 1 / RATE_HZ s, measured against the PM timer over
 * CALIBRATION_PERIODS periods: the local APIC timer counts at the TSC
 * rate at divide-by-1. */
static uint32_t tsc_per_period(void)
{
	uint32_t pm0 = 0, pm1 = 0;
	uint64_t tsc0 = 0, tsc1 = 0;

	pm_sample(&pm0, &tsc0);
	pm_wait(pm0, PM_TIMER_HZ / RATE_HZ * CALIBRATION_PERIODS);
	pm_sample(&pm1, &tsc1);
	uint32_t pm_ticks = (pm1 - pm0) & 0xffffff;

	return divide64((tsc1 - tsc0) * (PM_TIMER_HZ / RATE_HZ), pm_ticks);
}

/* ticks against the periods that fit in pm_ticks of the PM timer. */
static void count_verdict(const char *what, const char *check, uint32_t ticks,
			  uint32_t pm_ticks)
{
	uint32_t periods = pm_ticks / (PM_TIMER_HZ / RATE_HZ);

	puts("mbcheck: ");
	puts(what);
	puts(" ticks: ");
	putdec(ticks);
	puts(" in ");
	putdec(periods);
	puts(" periods\n");
	verdict(check, ticks <= periods + 2 && ticks >= periods / 4 &&
			       ticks > 0);
}

void check_timers(void)
{
	uint32_t period = tsc_per_period(), start;

	load_tables();
	mmio_write(LAPIC + LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
	ioapic_write(0x10 + 2 * IOAPIC_PIT_PIN + 1, 0);	     /* to APIC ID 0 */
	ioapic_write(0x10 + 2 * IOAPIC_PIT_PIN, PIT_VECTOR); /* edge, high */
	mmio_write(LAPIC + LAPIC_TIMER_DIVIDE, 0xb);	     /* divide by 1 */
	mmio_write(LAPIC + LAPIC_LVT_TIMER, 1u << 17 | LAPIC_TIMER_VECTOR);
	/* Counter 0, low then high byte, mode 2 (rate generator). */
	outb(PIT_CONTROL, 0x34);
	outb(PIT_COUNTER0, (uint8_t)(PIT_HZ / RATE_HZ));
	outb(PIT_COUNTER0, (uint8_t)(PIT_HZ / RATE_HZ >> 8));
	mmio_write(LAPIC + LAPIC_TIMER_INITIAL, period);
	pit_ticks = lapic_ticks = 0;
	start = pm_now();
	__asm__ volatile("sti");
	pm_wait(start, PM_TIMER_HZ / 1000 * WINDOW_MS);
	__asm__ volatile("cli");
	uint32_t elapsed = (pm_now() - start) & 0xffffff;

	mmio_write(LAPIC + LAPIC_LVT_TIMER, MASKED);
	ioapic_write(0x10 + 2 * IOAPIC_PIT_PIN, MASKED);
	outb(PIT_CONTROL, 0x30); /* mode 0: no more interrupts */
	count_verdict("PIT IRQ 0", "PIT IRQ 0 at 100 Hz, never faster",
		      pit_ticks, elapsed);
	count_verdict("local APIC timer",
		      "local APIC timer at 100 Hz, never faster", lapic_ticks,
		      elapsed);
}
