/* SPDX-License-Identifier: MIT */
/*
 * tpr: the task priority register (CR8) against doorbells. Two partitions
 * share channel 0: role=ringer rings the doorbell whenever the target asks
 * (a sequence number in the shared page) and publishes that it rang;
 * role=target (the default) runs the checks:
 *   - a MOV to CR8 while a doorbell waits for interrupts to be enabled
 *     (on AMD: while the hypervisor's V_IRQ request is pending) leaves the
 *     run going, and CR8 reads back what was written, 0 to 15;
 *   - a TPR at the doorbell's priority class holds it off with interrupts
 *     on; lowering the TPR below it lets it in at once;
 *   - a value above 15 gives #GP and leaves CR8 unchanged.
 * One "<check>: ok" / "FAILED" line each, then "N of M checks passed";
 * the ringer prints "rang N doorbells". Exit 0 when all passed.
 */
#include "bulkhead.h"
#include "checks.h"

#define POLL_LIMIT     200000000ull /* ~30 s of QEMU time */
#define HOLD_OFF_EXITS 200

struct shared {
	uint64_t requested; /* target: ring number N, please */
	uint64_t rung;	    /* ringer: ring N has been notified */
	uint32_t done;
};

static volatile struct shared *shared;
static unsigned doorbell_vector;

static void doorbell(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
}

static uint64_t read_cr8(void)
{
	uint64_t value;

	asm volatile("mov %%cr8, %0" : "=r"(value));
	return value;
}

static void write_cr8(uint64_t value)
{
	asm volatile("mov %0, %%cr8" : : "r"(value) : "memory");
}

static void do_write_cr8(void *arg)
{
	write_cr8(*(uint64_t *)arg);
}

/* Asks for ring `n` and waits (interrupts off) until the ringer has
 * notified; a few exits then let the hypervisor see it pending. */
static bool ring_and_wait(uint64_t n)
{
	uint64_t polls = 0;

	__atomic_store_n(&shared->requested, n, __ATOMIC_RELEASE);
	while (__atomic_load_n(&shared->rung, __ATOMIC_ACQUIRE) < n) {
		if (++polls == POLL_LIMIT) {
			gprintf("ring %lu: the ringer never answered\n", n);
			return false;
		}
		cpu_relax();
	}
	for (unsigned i = 0; i < 4; i++)
		cpuid(0, 0);
	return true;
}

static uint64_t taken(void)
{
	return guest_interrupt_count(doorbell_vector);
}

static void check_write_while_pending(void)
{
	uint64_t before = taken();

	guest_interrupts_disable();
	if (!ring_and_wait(1))
		return;
	write_cr8(2); /* below the doorbell's class: it may come */
	check_report("mov to CR8 with a doorbell pending: still running", true,
		     "", "");
	check_hex("CR8 reads back 2", read_cr8(), 2);
	check_hex("doorbell not taken with interrupts off", taken(), before);
	asm volatile("sti; nop; cli" : : : "memory");
	check_hex("doorbell taken once interrupts are on", taken(), before + 1);
	for (uint64_t value = 0; value < 16; value++) {
		write_cr8(value);
		if (read_cr8() != value) {
			check_hex("CR8 reads back every value", read_cr8(),
				  value);
			return;
		}
	}
	check_report("CR8 reads back every value 0-15", true, "", "");
	write_cr8(0);
}

static void check_hold_off(void)
{
	uint64_t class = doorbell_vector >> 4;
	uint64_t before = taken();

	write_cr8(class);
	if (!ring_and_wait(2))
		return;
	guest_interrupts_enable();
	for (unsigned i = 0; i < HOLD_OFF_EXITS; i++)
		cpuid(0, 0);
	guest_interrupts_disable();
	check_hex("TPR at the doorbell's class holds it off", taken(), before);
	guest_interrupts_enable();
	write_cr8(class - 1);
	asm volatile("nop" : : : "memory");
	guest_interrupts_disable();
	check_hex("lowering the TPR lets it in", taken(), before + 1);
	write_cr8(0);
}

static void check_reserved(void)
{
	uint64_t value = 16;

	write_cr8(5);
	check_exception("mov 16 to CR8", do_write_cr8, &value, VECTOR_GP);
	value = 1ull << 63;
	check_exception("mov 1<<63 to CR8", do_write_cr8, &value, VECTOR_GP);
	check_hex("CR8 unchanged after refused writes", read_cr8(), 5);
	write_cr8(0);
}

static int run_target(void)
{
	gprintf("doorbell vector 0x%x, priority class %u\n", doorbell_vector,
		doorbell_vector >> 4);
	check_write_while_pending();
	check_hold_off();
	check_reserved();
	__atomic_store_n(&shared->done, 1, __ATOMIC_RELEASE);
	return checks_finish();
}

/* Bounded: a target that faulted asks for nothing more. */
static int run_ringer(const struct guest_channel *channel)
{
	uint64_t served = 0, idle = 0;

	while (!__atomic_load_n(&shared->done, __ATOMIC_ACQUIRE)) {
		uint64_t wanted =
		    __atomic_load_n(&shared->requested, __ATOMIC_ACQUIRE);

		if (wanted == served) {
			if (++idle == POLL_LIMIT) {
				gprintf("the target went quiet\n");
				return 1;
			}
			cpu_relax();
			continue;
		}
		idle = 0;
		if (guest_channel_notify(channel) < 0) {
			gprintf("notify failed\n");
			return 1;
		}
		served = wanted;
		__atomic_store_n(&shared->rung, served, __ATOMIC_RELEASE);
	}
	gprintf("rang %lu doorbells\n", served);
	return 0;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct guest_channel channel;
	char role[16] = "target";

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get(boot->args, "role", role, sizeof(role));
	if (guest_channel_open(0, &channel) < 0) {
		gprintf("needs channel 0\n");
		return 2;
	}
	shared = (volatile struct shared *)channel.memory;
	doorbell_vector = channel.info.vector;
	guest_set_interrupt_handler(doorbell_vector, doorbell);
	return role[0] == 'r' ? run_ringer(&channel) : run_target();
}
