/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot test kernel's second-CPU check: it finds another enabled
 * CPU's APIC ID in the MADT (through the RSDP and the RSDT), copies a
 * real-mode start routine to 0x7000, and starts that CPU as the MP
 * specification says: INIT, then two start-up IPIs with vector 0x07. The
 * routine, run by the new CPU, records through a mailbox below it that it
 * ran in real mode with CS the vector's segment, counts its starts (the
 * second start-up IPI must not start it again) and halts. The wait is
 * bounded by the ACPI PM timer, generously: a vCPU the host deschedules
 * may take long to start.
 */
#include "mbcheck.h"

#define LAPIC		0xfee00000u
#define LAPIC_ID	0x020
#define LAPIC_ICR_LOW	0x300
#define LAPIC_ICR_HIGH	0x310
#define ICR_PENDING	(1u << 12)
#define ICR_INIT	0x4500u /* INIT, level assert, edge */
#define ICR_STARTUP	0x4600u /* start-up */
#define START_PAGE	0x7000u
#define START_VECTOR	(START_PAGE >> 12)
#define MAILBOX		0x6ff0u /* magic, CR0, CS, starts */
#define STARTED_MAGIC	0x41505550u
#define PM_TIMER_HZ	3579545u
#define START_WAIT_S	10
#define SETTLE_MS	50

/* The start routine: 16-bit code, position independent. */
__asm__(".text\n"
	".code16\n"
	"start_routine:\n"
	"	cli\n"
	"	movl %cr0, %eax\n"
	"	movw %cs, %bx\n"
	"	xorw %cx, %cx\n"
	"	movw %cx, %ds\n"
	"	movl %eax, 0x6ff4\n"
	"	movw %bx, 0x6ff8\n"
	"	lock incl 0x6ffc\n"
	"	movl $0x41505550, 0x6ff0\n"
	"1:	hlt\n"
	"	jmp 1b\n"
	"start_routine_end:\n"
	".code32\n");
extern const char start_routine[], start_routine_end[];

static volatile uint32_t *const mailbox = (volatile uint32_t *)MAILBOX;

static bool table_valid(uint32_t address, const char *signature)
{
	const uint8_t *t = (const uint8_t *)address;
	uint8_t sum = 0;

	if (!readable(address, 36))
		return false;
	uint32_t length = *(const uint32_t *)(t + 4);
	if (length < 36 || !readable(address, length))
		return false;
	for (uint32_t i = 0; i < length; i++)
		sum = (uint8_t)(sum + t[i]);
	for (int i = 0; i < 4; i++)
		if (t[i] != signature[i])
			return false;
	return sum == 0;
}

/* The APIC ID of an enabled CPU other than self in the MADT, or -1. */
static int other_cpu(const uint8_t *rsdp, uint32_t self)
{
	uint32_t rsdt = *(const uint32_t *)(rsdp + 16);

	if (!table_valid(rsdt, "RSDT"))
		return -1;
	uint32_t entries = (*(const uint32_t *)(rsdt + 4) - 36) / 4;
	for (uint32_t i = 0; i < entries; i++) {
		uint32_t madt = *(const uint32_t *)(rsdt + 36 + 4 * i);

		if (!table_valid(madt, "APIC"))
			continue;
		uint32_t length = *(const uint32_t *)(madt + 4);
		for (uint32_t at = 44; at + 2 <= length;) {
			const uint8_t *e = (const uint8_t *)madt + at;

			if (e[1] < 2 || e[1] > length - at)
				break;
			if (e[0] == 0 && e[1] >= 8 && (e[4] & 1) &&
			    e[3] != self)
				return e[3];
			at += e[1];
		}
	}
	return -1;
}

static void send_ipi(uint32_t apic_id, uint32_t command)
{
	mmio_write(LAPIC + LAPIC_ICR_HIGH, apic_id << 24);
	mmio_write(LAPIC + LAPIC_ICR_LOW, command);
	for (int i = 0; i < 1000 && mmio_read(LAPIC + LAPIC_ICR_LOW) &
					ICR_PENDING; i++)
		__asm__ volatile("pause");
}

/* Waits up to ticks of the PM timer (which may be longer than its 24-bit
 * wrap) for the mailbox's magic; whether it came. */
static bool wait_started(uint64_t ticks)
{
	uint64_t passed = 0;
	uint32_t last = pm_now();

	while (passed < ticks) {
		if (mailbox[0] == STARTED_MAGIC)
			return true;
		uint32_t now = pm_now();
		passed += (now - last) & 0xffffff;
		last = now;
		__asm__ volatile("pause");
	}
	return mailbox[0] == STARTED_MAGIC;
}

void check_second_cpu(const uint8_t *rsdp)
{
	uint32_t self = mmio_read(LAPIC + LAPIC_ID) >> 24;
	int target = rsdp ? other_cpu(rsdp, self) : -1;

	verdict("the MADT lists a second CPU", target >= 0);
	if (target < 0)
		return;
	for (uint32_t i = 0; i < 4; i++)
		mailbox[i] = 0;
	for (uint32_t i = 0; i < (uint32_t)(start_routine_end - start_routine);
	     i++)
		((volatile char *)START_PAGE)[i] = start_routine[i];
	send_ipi((uint32_t)target, ICR_INIT);
	pm_wait(pm_now(), PM_TIMER_HZ / 100); /* 10 ms */
	send_ipi((uint32_t)target, ICR_STARTUP | START_VECTOR);
	pm_wait(pm_now(), PM_TIMER_HZ / 5000); /* 200 us */
	send_ipi((uint32_t)target, ICR_STARTUP | START_VECTOR);
	bool started = wait_started((uint64_t)PM_TIMER_HZ * START_WAIT_S);
	pm_wait(pm_now(), PM_TIMER_HZ / 1000 * SETTLE_MS);
	puts("mbcheck: CPU with APIC ID ");
	putdec((uint32_t)target);
	puts(started ? " started: " : " did not start\n");
	if (started) {
		puts(mailbox[1] & 1 ? "protected mode" : "real mode");
		puts(", CS ");
		puthex(mailbox[2]);
		puts(", starts ");
		putdec(mailbox[3]);
		puts("\n");
	}
	verdict("second CPU started by INIT and start-up IPIs in real mode at "
		"the vector, once",
		started && !(mailbox[1] & 1) && mailbox[2] == START_PAGE >> 4 &&
			mailbox[3] == 1);
}
