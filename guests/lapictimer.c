/* SPDX-License-Identifier: MIT */
/*
 * lapictimer: a bare-metal partition with platform = "pc" has the PC
 * platform Linux gets. Two partitions share channel 0. role=pc (the
 * default, in the PC partition) checks:
 *   - the ACPI tables at 0xe0000: RSDP, a MADT with one enabled local APIC
 *     per vCPU (APIC IDs 0..n-1) and the IOAPIC at 0xfec00000, a FADT with
 *     the PM timer port; CPUID's TSC-deadline bit and IA32_APIC_BASE;
 *   - its local APIC at 0xfee00000 (mapped uncached by itself: the boot
 *     page tables cover only its RAM): each vCPU reads its own APIC ID;
 *     the timer in periodic mode wakes it from HLT with N ticks (50) of
 *     its vector, no faster than half of N periods of the TSC and within
 *     100 times N periods; the current count stays within the initial
 *     count; a one-shot timer fires once; an initial count of 0 stops it;
 *   - the ACPI PM timer port counts;
 *   - its IOAPIC at 0xfec00000: ID and version, and the channel's doorbell
 *     arrives on input 16 + channel slot (CHANNEL_INFO's irq) with the
 *     vector programmed there, not the channel's configured vector; with
 *     the input masked it does not arrive.
 * role=peer (a partition without the platform) rings when asked and then
 * expects the PC partition's doorbell as before: the channel's own vector,
 * irq 0. Time bounds are the guest's own TSC, never the host's speed. One
 * "<check>: ok" / "FAILED" line each, then "N of M checks passed" and a
 * final line. Exit 0 when all passed.
 */
#include <string.h>

#include "bulkhead.h"
#include "checks.h"

#define LAPIC_BASE 0xfee00000ull
#define IOAPIC_BASE 0xfec00000ull
#define ACPI_RSDP BULKHEAD_GUEST_PC_ACPI
#define PM_TIMER_PORT 0x608

#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define SVR_ENABLE (1u << 8)
#define SPURIOUS_VECTOR 0xff
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define DIVIDE_BY_1 0xb

#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))
#define RTE_MASKED (1u << 16)

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)

#define TIMER_VECTOR 0x30
#define IOAPIC_VECTOR 0x51
#define TICKS 50
/* The timer's period in TSC cycles: the PC platform's APIC timer counts
 * at the TSC rate at divide-by-1 (guests/README.md). */
#define PERIOD ((uint64_t)2000000)
/* Generous: a tick's delivery costs a few exits, far below a period. */
#define SLOWEST_FACTOR 100
#define POLL_LIMIT 200000000ull /* pause loops, ~30 s of QEMU time */

struct shared {
	uint64_t requested; /* pc: ring number N, please */
	uint64_t rung;      /* peer: ring N has been notified */
	uint32_t done;      /* pc: rang the peer, finished */
};

static volatile struct shared *shared;
static struct guest_channel channel;
static volatile uint32_t vcpu1_apic_id = 0xffffffffu;
static volatile uint32_t apic_mapped;

static uint32_t lapic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg);
}

static void lapic_write(uint32_t reg, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = value;
}

static uint32_t ioapic_read(uint32_t index)
{
	*(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + IOAPIC_IOREGSEL) = index;
	return *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + IOAPIC_IOWIN);
}

static void ioapic_write(uint32_t index, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + IOAPIC_IOREGSEL) = index;
	*(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + IOAPIC_IOWIN) = value;
}

/* Every interrupt the local APIC delivers ends with an EOI. */
static void apic_interrupt(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
	lapic_write(LAPIC_EOI, 0);
}

static void peer_doorbell(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
}

/* ---- ACPI ---- */

static bool checksum_ok(const uint8_t *bytes, uint32_t length)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < length; i++)
		sum += bytes[i];
	return sum == 0;
}

static uint32_t read32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The table with this signature in the XSDT, or NULL. */
static const uint8_t *find_table(const uint8_t *xsdt, const char *signature)
{
	uint32_t length = read32(xsdt + 4);

	for (uint32_t offset = 36; offset + 8 <= length; offset += 8) {
		uint64_t address = read32(xsdt + offset) |
				   (uint64_t)read32(xsdt + offset + 4) << 32;
		const uint8_t *table = (const uint8_t *)(uintptr_t)address;

		if (!memcmp(table, signature, 4))
			return table;
	}
	return NULL;
}

static void check_acpi(const struct bulkhead_boot_info *boot)
{
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)ACPI_RSDP;
	const uint8_t *xsdt, *madt, *fadt;
	uint32_t cpus = 0, ids = 0, ioapic = 0;

	check_report("ACPI RSDP at 0xe0000",
		     !memcmp(rsdp, "RSD PTR ", 8) && checksum_ok(rsdp, 20) &&
			     checksum_ok(rsdp, read32(rsdp + 20)),
		     "no valid RSDP", "RSD PTR ");
	if (memcmp(rsdp, "RSD PTR ", 8))
		return;
	xsdt = (const uint8_t *)(uintptr_t)(read32(rsdp + 24) |
					    (uint64_t)read32(rsdp + 28) << 32);
	madt = find_table(xsdt, "APIC");
	fadt = find_table(xsdt, "FACP");
	check_report("ACPI MADT and FADT", madt && fadt, "missing", "both");
	if (!madt || !fadt)
		return;
	check_hex("MADT local APIC address", read32(madt + 36), LAPIC_BASE);
	for (uint32_t offset = 44; offset + 2 <= read32(madt + 4);
	     offset += madt[offset + 1]) {
		const uint8_t *entry = madt + offset;

		if (entry[1] < 2)
			break;
		if (entry[0] == 0 && (read32(entry + 4) & 1)) {
			cpus++;
			ids |= 1u << (entry[3] & 31);
		}
		if (entry[0] == 1)
			ioapic = read32(entry + 4);
	}
	check_hex("MADT enabled local APICs", cpus, boot->cpu_count);
	check_hex("MADT APIC IDs 0..n-1", ids, (1u << boot->cpu_count) - 1);
	check_hex("MADT IOAPIC address", ioapic, IOAPIC_BASE);
	check_hex("FADT PM timer port", read32(fadt + 76), PM_TIMER_PORT);
}

/* ---- local APIC ---- */

/* Polls with interrupts on until `count` interrupts of vector arrived or
 * the TSC passed deadline; returns the count seen (perhaps more). */
static uint64_t wait_count(unsigned vector, uint64_t count, uint64_t deadline)
{
	uint64_t seen;

	guest_interrupts_enable();
	while ((seen = guest_interrupt_count(vector)) < count &&
	       rdtsc() < deadline)
		cpu_relax();
	guest_interrupts_disable();
	return seen;
}

/* Lets an interrupt that is already on its way in (a last tick) arrive
 * before the next check counts. */
static void drain(void)
{
	guest_interrupts_enable();
	for (unsigned i = 0; i < 8; i++)
		cpuid(0, 0);
	guest_interrupts_disable();
}

static void check_apic_identity(const struct bulkhead_boot_info *boot)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	check_report("CPUID reports the TSC-deadline timer",
		     cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE, "clear", "set");
	check_hex("IA32_APIC_BASE", base,
		  LAPIC_BASE | APIC_BASE_ENABLE | APIC_BASE_BSP);
	check_hex("local APIC ID of vCPU 0", lapic_read(LAPIC_ID) >> 24, 0);
	check_hex("local APIC version", lapic_read(LAPIC_VERSION) & 0xff, 0x14);
	if (boot->cpu_count > 1) {
		uint64_t polls = 0;

		while (vcpu1_apic_id == 0xffffffffu && ++polls < POLL_LIMIT)
			cpu_relax();
		check_hex("local APIC ID of vCPU 1", vcpu1_apic_id, 1);
	}
}

static void check_periodic_timer(void)
{
	uint64_t nominal = TICKS * PERIOD;
	uint64_t before = guest_interrupt_count(TIMER_VECTOR);
	uint64_t start, elapsed, seen;
	uint32_t current;

	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | TIMER_VECTOR);
	start = rdtsc();
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)PERIOD);
	current = lapic_read(LAPIC_TIMER_CURRENT);
	check_report("current count within the initial count",
		     current > 0 && current <= PERIOD, "out of range",
		     "1..initial");
	/* Sleeps in HLT: only the timer wakes it (interrupts checked off). */
	while ((seen = guest_interrupt_count(TIMER_VECTOR)) < before + TICKS &&
	       rdtsc() - start <= nominal * SLOWEST_FACTOR)
		guest_wait_for_interrupt();
	elapsed = rdtsc() - start;
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	drain();
	gprintf("%lu periodic ticks in %lu TSC cycles (%lu per period of "
		"%lu)\n",
		seen - before, elapsed,
		seen > before ? elapsed / (seen - before) : 0, PERIOD);
	check_report("periodic timer: 50 ticks of its vector",
		     seen - before >= TICKS, "fewer", "50");
	check_report("ticks no faster than their period", elapsed >= nominal / 2,
		     "too fast", ">= half the nominal time");
	check_report("ticks within 100 times their period",
		     elapsed <= nominal * SLOWEST_FACTOR, "too slow",
		     "<= 100 times the nominal time");
}

static void check_one_shot_and_stop(void)
{
	uint64_t before = guest_interrupt_count(TIMER_VECTOR);
	uint64_t start = rdtsc();

	lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR); /* one-shot */
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)PERIOD);
	wait_count(TIMER_VECTOR, before + 1,
		   start + PERIOD * SLOWEST_FACTOR * 10);
	/* Four more periods: a one-shot timer stays quiet. */
	wait_count(TIMER_VECTOR, before + 2, rdtsc() + 4 * PERIOD);
	check_hex("one-shot timer fires once",
		  guest_interrupt_count(TIMER_VECTOR) - before, 1);
	check_hex("one-shot timer's current count after it fired",
		  lapic_read(LAPIC_TIMER_CURRENT), 0);
	/* The longest period, so that no tick can fall between the two
	 * writes, however long this vCPU is held up between them. */
	before = guest_interrupt_count(TIMER_VECTOR);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffffu);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	drain();
	wait_count(TIMER_VECTOR, before + 1, rdtsc() + 4 * PERIOD);
	check_hex("initial count 0 stops the timer",
		  guest_interrupt_count(TIMER_VECTOR) - before, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
}

static void check_pm_timer(void)
{
	uint32_t first = inl(PM_TIMER_PORT) & 0xffffff, second = first;
	uint64_t deadline = rdtsc() + 100 * PERIOD;

	while (second == first && rdtsc() < deadline)
		second = inl(PM_TIMER_PORT) & 0xffffff;
	check_report("ACPI PM timer port counts", second != first, "stuck",
		     "counting");
}

/* ---- IOAPIC and the doorbell ---- */

/* Asks the peer for ring n and waits until it has notified. */
static bool ring_request(uint64_t n)
{
	uint64_t polls = 0;

	__atomic_store_n(&shared->requested, n, __ATOMIC_RELEASE);
	while (__atomic_load_n(&shared->rung, __ATOMIC_ACQUIRE) < n) {
		if (++polls == POLL_LIMIT) {
			gprintf("ring %lu: the peer never answered\n", n);
			return false;
		}
		cpu_relax();
	}
	return true;
}

static void check_ioapic(const struct bulkhead_boot_info *boot)
{
	uint32_t pin = channel.info.irq;
	uint32_t raw = channel.info.vector;
	uint64_t before = guest_interrupt_count(IOAPIC_VECTOR);

	check_hex("IOAPIC ID", ioapic_read(IOAPIC_REG_ID) >> 24,
		  boot->cpu_count);
	check_hex("IOAPIC version", ioapic_read(IOAPIC_REG_VERSION),
		  0x00170011);
	check_hex("channel 0's irq is IOAPIC input 16", pin, 16);
	if (pin != 16)
		return;
	ioapic_write(IOAPIC_REDIRECTION(pin) + 1, 0); /* APIC ID 0 */
	ioapic_write(IOAPIC_REDIRECTION(pin), IOAPIC_VECTOR);
	check_hex("redirection entry reads back",
		  ioapic_read(IOAPIC_REDIRECTION(pin)), IOAPIC_VECTOR);
	if (!ring_request(1))
		return;
	wait_count(IOAPIC_VECTOR, before + 1, rdtsc() + 100 * PERIOD);
	gprintf("doorbell through IOAPIC input %u: vector 0x%x taken %lu "
		"times, channel vector 0x%x %lu times\n",
		pin, IOAPIC_VECTOR,
		guest_interrupt_count(IOAPIC_VECTOR) - before, raw,
		guest_interrupt_count(raw));
	check_hex("doorbell arrives with the programmed vector",
		  guest_interrupt_count(IOAPIC_VECTOR) - before, 1);
	check_hex("not with the channel's own vector",
		  guest_interrupt_count(raw), 0);
	ioapic_write(IOAPIC_REDIRECTION(pin), RTE_MASKED | IOAPIC_VECTOR);
	if (!ring_request(2))
		return;
	wait_count(IOAPIC_VECTOR, before + 2, rdtsc() + 4 * PERIOD);
	ioapic_write(IOAPIC_REDIRECTION(pin), IOAPIC_VECTOR);
	wait_count(IOAPIC_VECTOR, before + 2, rdtsc() + 4 * PERIOD);
	check_hex("masked input: the doorbell does not arrive",
		  guest_interrupt_count(IOAPIC_VECTOR) - before, 1);
	check_hex("no interrupt without a handler",
		  guest_unexpected_interrupts(), 0);
}

static int run_pc(const struct bulkhead_boot_info *boot)
{
	if (guest_map_identity_2m(LAPIC_BASE, true) < 0 ||
	    guest_map_identity_2m(IOAPIC_BASE, true) < 0) {
		gprintf("cannot map the APIC pages\n");
		return 2;
	}
	__atomic_store_n(&apic_mapped, 1, __ATOMIC_RELEASE);
	guest_set_interrupt_handler(TIMER_VECTOR, apic_interrupt);
	guest_set_interrupt_handler(IOAPIC_VECTOR, apic_interrupt);
	lapic_write(LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	check_acpi(boot);
	check_apic_identity(boot);
	check_periodic_timer();
	check_one_shot_and_stop();
	check_pm_timer();
	check_ioapic(boot);
	if (guest_channel_notify(&channel) < 0)
		gprintf("notify of the peer failed\n");
	__atomic_store_n(&shared->done, 1, __ATOMIC_RELEASE);
	int status = checks_finish();
	gprintf("local APIC timer and IOAPIC of a bare-metal PC partition: "
		"%s\n",
		status ? "FAILED" : "ok");
	return status;
}

/* vCPU 1 of the PC partition reads its own local APIC's ID. */
static int run_pc_secondary(void)
{
	uint64_t polls = 0;

	while (!__atomic_load_n(&apic_mapped, __ATOMIC_ACQUIRE) &&
	       ++polls < POLL_LIMIT)
		cpu_relax();
	if (polls < POLL_LIMIT)
		vcpu1_apic_id = lapic_read(LAPIC_ID) >> 24;
	return guest_wait_for_primary();
}

/* Rings whenever asked, then waits for the PC partition's doorbell. */
static int run_peer(void)
{
	uint64_t served = 0, idle = 0, polls = 0;
	unsigned vector = channel.info.vector;

	guest_set_interrupt_handler(vector, peer_doorbell);
	check_hex("peer without the platform: channel 0's irq", channel.info.irq,
		  0);
	guest_interrupts_enable();
	while (!__atomic_load_n(&shared->done, __ATOMIC_ACQUIRE)) {
		uint64_t wanted =
			__atomic_load_n(&shared->requested, __ATOMIC_ACQUIRE);

		if (wanted == served) {
			if (++idle == POLL_LIMIT) {
				gprintf("the PC partition went quiet\n");
				return 1;
			}
			cpu_relax();
			continue;
		}
		idle = 0;
		if (guest_channel_notify(&channel) < 0) {
			gprintf("notify failed\n");
			return 1;
		}
		served = wanted;
		__atomic_store_n(&shared->rung, served, __ATOMIC_RELEASE);
	}
	while (guest_interrupt_count(vector) == 0 && ++polls < POLL_LIMIT)
		cpu_relax();
	guest_interrupts_disable();
	gprintf("rang %lu doorbells\n", served);
	check_hex("peer: doorbell with the channel's vector",
		  guest_interrupt_count(vector), 1);
	return checks_finish();
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	char role[16] = "pc";

	args_get(boot->args, "role", role, sizeof(role));
	if (vcpu != 0)
		return !strcmp(role, "pc") && vcpu == 1
			       ? run_pc_secondary()
			       : guest_wait_for_primary();
	if (guest_channel_open(0, &channel) < 0) {
		gprintf("needs channel 0\n");
		return 2;
	}
	shared = (volatile struct shared *)channel.memory;
	return !strcmp(role, "peer") ? run_peer() : run_pc(boot);
}
