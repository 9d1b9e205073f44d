/* SPDX-License-Identifier: MIT */
/*
 * bench_doorbell: the doorbell round trip `make bench` measures between two
 * partitions joined by one channel (tools/bench/doorbell.dts). The
 * partition at end 0 of channel 0 is "ping", the other "pong"; both get
 * "count=N" (1000 by default).
 *
 * One round trip: ping rings pong's doorbell and sleeps (sti; hlt) until
 * pong's doorbell interrupt arrives; pong, asleep the same way, takes the
 * interrupt and rings back. The baseline is the same exchange without the
 * hypervisor: each side polls a sequence number the other writes in the
 * channel memory.
 *
 * Phase 1 times N round trips of each kind on ping with the TSC and prints
 * "bench-result tsc-doorbell N <cycles>" and "tsc-doorbell-base". Phase 2
 * arms the instruction-counting plugin and runs N of each again inside
 * window markers on both sides (BENCH_TAG_DOORBELL, _BASE), so the plugin
 * counts both partitions' work per round trip. The two sides move from
 * phase to phase through flags in the channel memory.
 */
#include "bulkhead.h"
#include "bench.h"

struct shared {
	volatile uint64_t pong_ready;  /* pong has its handler, phase 1 */
	volatile uint64_t armed;       /* ping armed the plugin: phase 2 */
	volatile uint64_t pong_ready2; /* pong opened its phase-2 windows */
	volatile uint64_t ping_seq, pong_seq; /* the polling baseline */
};

static void doorbell(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame; /* guest_interrupt_count() is all the bench needs */
}

/* Sleeps until `vector` has been taken `count` times in all. */
static void wait_for(unsigned vector, uint64_t count)
{
	guest_interrupts_disable();
	while (guest_interrupt_count(vector) < count)
		guest_wait_for_interrupt();
}

static void spin_until(volatile uint64_t *word, uint64_t value)
{
	while (*word < value)
		cpu_relax();
}

static void ping_rounds(struct guest_channel *ch,
			uint64_t n, uint64_t *taken)
{
	for (uint64_t i = 0; i < n; i++) {
		guest_channel_notify(ch);
		wait_for(ch->info.vector, ++*taken);
	}
}

static void ping_polls(struct shared *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t next = s->ping_seq + 1;

		s->ping_seq = next;
		spin_until(&s->pong_seq, next);
	}
}

static void pong_rounds(struct guest_channel *ch, uint64_t n,
			uint64_t *taken)
{
	for (uint64_t i = 0; i < n; i++) {
		wait_for(ch->info.vector, ++*taken);
		guest_channel_notify(ch);
	}
}

static void pong_polls(struct shared *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t next = s->pong_seq + 1;

		spin_until(&s->ping_seq, next);
		s->pong_seq = next;
	}
}

static int ping(struct guest_channel *ch, struct shared *s, uint64_t n)
{
	uint64_t taken = 0, start;

	spin_until(&s->pong_ready, 1);
	gprintf("bench_doorbell: %lu round trips each way\n", n);
	start = rdtsc();
	ping_rounds(ch, n, &taken);
	gprintf("bench-result tsc-doorbell %lu %lu\n", n, rdtsc() - start);
	start = rdtsc();
	ping_polls(s, n);
	gprintf("bench-result tsc-doorbell-base %lu %lu\n", n, rdtsc() - start);

	/* Arm the plugin; the console hypercall is the exit QEMU needs to
	 * retranslate before any window opens. */
	bench_arm();
	gprintf("bench_doorbell: counting\n");
	s->armed = 1;
	spin_until(&s->pong_ready2, 1);
	/* As in phase 1, a console line between pong's "ready" and the first
	 * ring lets pong reach its HLT first: a ring that lands between its
	 * STI and HLT is lost under QEMU 7.2 (docs/performance.md). */
	gprintf("bench_doorbell: pong ready\n");
	bench_begin(BENCH_TAG_DOORBELL);
	ping_rounds(ch, n, &taken);
	bench_end(BENCH_TAG_DOORBELL);
	bench_begin(BENCH_TAG_DOORBELL_BASE);
	ping_polls(s, n);
	bench_end(BENCH_TAG_DOORBELL_BASE);
	gprintf("bench_doorbell: done\n");
	return 0;
}

static int pong(struct guest_channel *ch, struct shared *s, uint64_t n)
{
	uint64_t taken = 0;

	s->pong_ready = 1;
	pong_rounds(ch, n, &taken);
	pong_polls(s, n);

	spin_until(&s->armed, 1);
	bench_begin(BENCH_TAG_DOORBELL);
	s->pong_ready2 = 1;
	pong_rounds(ch, n, &taken);
	bench_end(BENCH_TAG_DOORBELL);
	bench_begin(BENCH_TAG_DOORBELL_BASE);
	pong_polls(s, n);
	bench_end(BENCH_TAG_DOORBELL_BASE);
	return 0;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct guest_channel channel;
	int64_t count = 1000, result;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get_number(boot->args, "count", &count);
	result = guest_channel_open(0, &channel);
	if (result < 0 || count < 1 || channel.info.size < sizeof(struct shared)) {
		gprintf("bench_doorbell: needs channel 0 and count >= 1 (%s)\n",
			bulkhead_error_name(result));
		return 1;
	}
	if (guest_set_interrupt_handler(channel.info.vector, doorbell) < 0)
		return 1;

	struct shared *s = (struct shared *)channel.memory;
	if (channel.info.own_end == 0)
		return ping(&channel, s, (uint64_t)count);
	return pong(&channel, s, (uint64_t)count);
}
