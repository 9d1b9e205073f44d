/* SPDX-License-Identifier: MIT */
/*
 * soak: a long mixed load of VM exits between two partitions, with a third
 * restarted over and over, and every exit the guest causes counted by the
 * guest itself and checked, class by class, against the hypervisor's
 * BULKHEAD_HC_STATS. args:
 *   role=driver|peer  which end of channel 0 (required)
 *   rounds=N          driver: rounds of mixed exits at least (20000)
 *   target=NAME       driver: the partition to restart (management)
 *   restarts=N        driver: restarts of the target to do (10)
 *   flood=N           driver: doorbells rung at the end without waiting
 *                     (10000)
 *
 * A round is one CPUID, one null hypercall (VERSION) and two accesses to
 * the virtual UART's scratch register (0x3ff); the peer, a partition with
 * the PC platform, adds a read of its local APIC's version register (an
 * MMIO exit). Every 64 rounds the driver rings the peer's doorbell and
 * waits, spinning with interrupts on, for the peer's doorbell back (the
 * peer's arrives through its IOAPIC input and ends with an EOI, one more
 * MMIO exit), then looks at the target: once its run has exited it is
 * restarted, until `restarts` are done and the last run has exited. Then
 * the driver floods the peer with doorbells, tells it to stop, both compare
 * their counts with their STATS (CPUID, port I/O, MMIO, each hypercall number
 * but the console's, interrupts injected: exact) and print "soak: <role>: ...
 * exact", and the driver checks the target's restart count. Exits 0, or 1 at
 * the first mismatch (printed), 2 for bad args.
 */
#include <string.h>

#include "bulkhead.h"

#define UART_SCRATCH		0x3ff
#define LAPIC_BASE		0xfee00000ull
#define LAPIC_VERSION		0x030
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define SVR_ENABLE		(1u << 8)
#define SPURIOUS_VECTOR		0xff
#define IOAPIC_BASE		0xfec00000ull
#define IOAPIC_IOREGSEL		0x00
#define IOAPIC_IOWIN		0x10
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))
#define PEER_VECTOR		0x52
#define DOORBELL_EVERY		64
#define WAIT_LIMIT		400000000ull /* pause loops before giving up */
#define READY_MAGIC		0x736f616bu  /* "soak" */
/* Indexes of exits[] in struct bulkhead_stats (docs/hypercalls.md). */
#define STATS_CPUID	   0
#define STATS_PORT_IO	   2
#define STATS_STAGE2_FAULT 5

struct shared {
	uint32_t peer_ready;
	uint32_t quit;	    /* driver: stop mixing and report */
	uint32_t peer_done; /* peer: 1 exact, 2 mismatch */
	uint32_t reserved;
	uint64_t peer_rounds;
};

/* What this vCPU caused, by the hypervisor's classes. */
struct tally {
	uint64_t cpuid, io, mmio;
	uint64_t calls[BULKHEAD_STATS_HYPERCALLS];
};

static volatile struct shared *shared;
static struct tally tally;
static struct guest_channel channel;
static unsigned doorbell_vector;
static bool is_peer;

static int64_t call0(uint64_t number)
{
	tally.calls[number]++;
	return hypercall0(number);
}

static int64_t call2(uint64_t number, uint64_t a0, uint64_t a1)
{
	tally.calls[number]++;
	return hypercall2(number, a0, a1);
}

static int64_t call3(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2)
{
	tally.calls[number]++;
	return hypercall3(number, a0, a1, a2);
}

static uint32_t mmio_read(uint64_t address)
{
	tally.mmio++;
	return *(volatile uint32_t *)(uintptr_t)address;
}

static void mmio_write(uint64_t address, uint32_t value)
{
	tally.mmio++;
	*(volatile uint32_t *)(uintptr_t)address = value;
}

static void ioapic_write(uint32_t index, uint32_t value)
{
	mmio_write(IOAPIC_BASE + IOAPIC_IOREGSEL, index);
	mmio_write(IOAPIC_BASE + IOAPIC_IOWIN, value);
}

static void peer_doorbell(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
	mmio_write(LAPIC_BASE + LAPIC_EOI, 0);
}

static void driver_doorbell(unsigned vector,
			    struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
}

static bool mix(void)
{
	struct cpuid_result r = cpuid(0, 0);

	tally.cpuid++;
	if (call0(BULKHEAD_HC_VERSION) != BULKHEAD_ABI_VERSION || !r.ebx)
		return false;
	outb(UART_SCRATCH, 0x5a);
	tally.io++;
	uint8_t back = inb(UART_SCRATCH);
	tally.io++;
	if (back != 0x5a)
		return false;
	if (is_peer && (mmio_read(LAPIC_BASE + LAPIC_VERSION) & 0xff) == 0)
		return false;
	return true;
}

static int64_t notify(void)
{
	tally.calls[BULKHEAD_HC_CHANNEL_NOTIFY]++;
	return hypercall1(BULKHEAD_HC_CHANNEL_NOTIFY, channel.index);
}

/* Waits (interrupts on) until the doorbell has rung `count` times. */
static bool wait_doorbells(uint64_t count)
{
	for (uint64_t i = 0; i < WAIT_LIMIT; i++) {
		if (guest_interrupt_count(doorbell_vector) >= count)
			return true;
		cpu_relax();
	}
	return false;
}

/* The hypervisor's counts when the tally starts from zero: the library's
 * own exits before (its CPUID of the vendor, the channel's info) are not
 * the tally's. */
static struct bulkhead_stats before;
static uint64_t doorbells_before;

static bool begin(void)
{
	if (hypercall3(BULKHEAD_HC_STATS, BULKHEAD_SELF, (uintptr_t)&before,
		       sizeof(before)) < 0)
		return false;
	doorbells_before = guest_interrupt_count(doorbell_vector);
	memset(&tally, 0, sizeof(tally));
	return true;
}

static bool compare(const char *role, uint64_t rounds)
{
	struct bulkhead_stats s;
	int64_t result = hypercall3(BULKHEAD_HC_STATS, BULKHEAD_SELF,
				    (uintptr_t)&s, sizeof(s));
	uint64_t doorbells =
	    guest_interrupt_count(doorbell_vector) - doorbells_before;
	bool exact;

	if (result < 0) {
		gprintf("soak: %s: STATS: %ld\n", role, result);
		return false;
	}
	for (unsigned i = 0; i < BULKHEAD_STATS_EXIT_REASONS; i++)
		s.exits[i] -= before.exits[i];
	for (unsigned n = 0; n < BULKHEAD_STATS_HYPERCALLS; n++)
		s.hypercalls[n] -= before.hypercalls[n];
	s.interrupts_injected -= before.interrupts_injected;
	exact = s.exits[STATS_CPUID] == tally.cpuid &&
		s.exits[STATS_PORT_IO] == tally.io &&
		s.exits[STATS_STAGE2_FAULT] == tally.mmio &&
		s.interrupts_injected == doorbells;
	for (unsigned n = 0; n < BULKHEAD_STATS_HYPERCALLS; n++)
		if (n != BULKHEAD_HC_CONSOLE_WRITE && n != BULKHEAD_HC_STATS &&
		    s.hypercalls[n] != tally.calls[n])
			exact = false;
	gprintf("soak: %s: %lu rounds: cpuid %lu/%lu, port-io %lu/%lu, mmio "
		"%lu/%lu, doorbells %lu/%lu, null calls %lu/%lu, notifies "
		"%lu/%lu, state queries %lu/%lu, restarts asked %lu/%lu "
		"(guest/hypervisor): %s\n",
		role, rounds, tally.cpuid, s.exits[STATS_CPUID], tally.io,
		s.exits[STATS_PORT_IO], tally.mmio, s.exits[STATS_STAGE2_FAULT],
		doorbells, s.interrupts_injected,
		tally.calls[BULKHEAD_HC_VERSION],
		s.hypercalls[BULKHEAD_HC_VERSION],
		tally.calls[BULKHEAD_HC_CHANNEL_NOTIFY],
		s.hypercalls[BULKHEAD_HC_CHANNEL_NOTIFY],
		tally.calls[BULKHEAD_HC_PARTITION_STATE],
		s.hypercalls[BULKHEAD_HC_PARTITION_STATE],
		tally.calls[BULKHEAD_HC_PARTITION_CONTROL],
		s.hypercalls[BULKHEAD_HC_PARTITION_CONTROL],
		exact ? "exact" : "MISMATCH");
	return exact;
}

static int run_peer(void)
{
	uint64_t rounds = 0, answered = 0;

	if (guest_map_identity_2m(LAPIC_BASE, true) < 0 ||
	    guest_map_identity_2m(IOAPIC_BASE, true) < 0) {
		gprintf("soak: peer: cannot map the APICs\n");
		return 2;
	}
	doorbell_vector = PEER_VECTOR;
	guest_set_interrupt_handler(PEER_VECTOR, peer_doorbell);
	if (!begin())
		return 1;
	mmio_write(LAPIC_BASE + LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	ioapic_write(IOAPIC_REDIRECTION(channel.info.irq) + 1, 0);
	ioapic_write(IOAPIC_REDIRECTION(channel.info.irq), PEER_VECTOR);
	guest_interrupts_enable();
	shared->peer_ready = READY_MAGIC;
	while (!shared->quit) {
		if (!mix()) {
			gprintf("soak: peer: a round went wrong\n");
			shared->peer_done = 2;
			return 1;
		}
		rounds++;
		if (guest_interrupt_count(PEER_VECTOR) > answered) {
			answered++;
			if (notify() < 0) {
				gprintf("soak: peer: notify failed\n");
				shared->peer_done = 2;
				return 1;
			}
		}
	}
	guest_interrupts_disable();
	bool exact = compare("peer", rounds);
	shared->peer_rounds = rounds;
	shared->peer_done = exact ? 1 : 2;
	return exact ? 0 : 1;
}

struct target {
	uint32_t id;
	uint32_t done; /* restarts asked so far */
	uint32_t wanted;
	bool finished; /* its last run has exited */
};

static bool find_target(const char *name, struct target *t)
{
	struct bulkhead_partition_state state;

	for (uint32_t i = 0;; i++) {
		if (call3(BULKHEAD_HC_PARTITION_STATE, i, (uintptr_t)&state,
			  sizeof(state)) < 0)
			return false;
		if (!strcmp(state.name, name)) {
			t->id = i;
			return true;
		}
	}
}

/* One look at the target: a run that exited is restarted, until done. */
static bool tend(struct target *t)
{
	struct bulkhead_partition_state state;

	if (t->finished)
		return true;
	if (call3(BULKHEAD_HC_PARTITION_STATE, t->id, (uintptr_t)&state,
		  sizeof(state)) < 0)
		return false;
	if (state.state == BULKHEAD_STATE_FAULTED ||
	    state.state == BULKHEAD_STATE_STOPPED) {
		gprintf("soak: target %s %s in run %u\n", state.name,
			bulkhead_state_name(state.state), state.run);
		return false;
	}
	if (state.state != BULKHEAD_STATE_EXITED || state.run != t->done + 1)
		return true;
	if (state.exit_status != 0) {
		gprintf("soak: target run %u exited with %ld\n", state.run,
			state.exit_status);
		return false;
	}
	if (t->done == t->wanted) {
		t->finished = true;
		return true;
	}
	int64_t result =
	    call2(BULKHEAD_HC_PARTITION_CONTROL, t->id, BULKHEAD_OP_RESTART);
	if (result < 0) {
		gprintf("soak: restart %u: %ld (%s)\n", t->done + 1, result,
			bulkhead_error_name(result));
		return false;
	}
	t->done++;
	return true;
}

static int run_driver(const struct bulkhead_boot_info *boot)
{
	struct target target = {0};
	int64_t rounds = 20000, restarts = 10, flood = 10000;
	char name[BULKHEAD_NAME_MAX];
	uint64_t round = 0, rung = 0;

	args_get_number(boot->args, "rounds", &rounds);
	args_get_number(boot->args, "restarts", &restarts);
	args_get_number(boot->args, "flood", &flood);
	if (!args_get(boot->args, "target", name, sizeof(name)) || rounds < 1 ||
	    restarts < 0 || !find_target(name, &target)) {
		gprintf("soak: driver needs target=NAME (a partition), "
			"rounds >= 1, restarts >= 0\n");
		return 2;
	}
	target.wanted = (uint32_t)restarts;
	doorbell_vector = channel.info.vector;
	guest_set_interrupt_handler(doorbell_vector, driver_doorbell);
	if (!begin())
		return 1;
	for (uint64_t i = 0; shared->peer_ready != READY_MAGIC; i++)
		if (i == WAIT_LIMIT) {
			gprintf("soak: the peer never became ready\n");
			return 1;
		}
	gprintf("soak: driver: at least %ld rounds, %ld restarts of %s\n",
		rounds, restarts, name);
	guest_interrupts_enable();
	while (round < (uint64_t)rounds || !target.finished) {
		if (!mix()) {
			gprintf("soak: driver: round %lu went wrong\n", round);
			return 1;
		}
		if (++round % DOORBELL_EVERY)
			continue;
		rung++;
		if (notify() < 0 || !wait_doorbells(rung)) {
			gprintf("soak: driver: doorbell %lu not answered\n",
				rung);
			return 1;
		}
		if (!tend(&target))
			return 1;
	}
	/* A flood: doorbells as fast as hypercalls go, none waited for; the
	 * peer takes what it can (they coalesce) and the counts stay exact. */
	for (int64_t i = 0; i < flood; i++)
		if (notify() < 0) {
			gprintf("soak: driver: flood doorbell %ld refused\n",
				i);
			return 1;
		}
	guest_interrupts_disable();
	shared->quit = 1;
	for (uint64_t i = 0; !shared->peer_done; i++)
		if (i == WAIT_LIMIT) {
			gprintf("soak: the peer never reported\n");
			return 1;
		}
	bool exact = compare("driver", round);
	struct bulkhead_stats s;
	if (call3(BULKHEAD_HC_STATS, target.id, (uintptr_t)&s, sizeof(s)) < 0)
		return 1;
	gprintf("soak: %s restarted %u times, STATS says %lu: %s\n", name,
		target.done, s.restarts,
		s.restarts == target.done ? "exact" : "MISMATCH");
	gprintf("soak: done: %lu + %lu rounds, %lu doorbells each way, a "
		"flood of %ld, %u restarts\n",
		round, shared->peer_rounds, rung, flood, target.done);
	return exact && shared->peer_done == 1 && s.restarts == target.done ? 0
									    : 1;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	char role[16];

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_get(boot->args, "role", role, sizeof(role)) ||
	    (strcmp(role, "driver") && strcmp(role, "peer"))) {
		gprintf("soak: args need role=driver or role=peer\n");
		return 2;
	}
	if (guest_channel_open(0, &channel) < 0) {
		gprintf("soak: no channel 0\n");
		return 2;
	}
	shared = channel.memory;
	is_peer = !strcmp(role, "peer");
	return is_peer ? run_peer() : run_driver(boot);
}
