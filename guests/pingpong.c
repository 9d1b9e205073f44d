/* SPDX-License-Identifier: MIT */
/*
 * pingpong: two partitions exchange messages over a shared-memory channel
 * and wake each other with its doorbell. args:
 *   role=ping|pong  which end (required)
 *   count=N         round trips (1000 by default); both ends must agree
 *   channel=K       the caller's channel index (0 by default)
 *   wait=halt|spin  how to wait for a doorbell: sleep in HLT (the default)
 *                   or spin with interrupts enabled, so that every doorbell
 *                   must interrupt a busy vCPU in guest mode (a kick the
 *                   hypervisor loses shows as a wait that never ends)
 *
 * The shared page (struct shared below): pong publishes pong_ready, ping
 * waits for it (a short poll, only at the start). Then for i = 1..N ping
 * writes a 64-byte payload derived from i and request_seq = i, and rings;
 * pong sleeps (sti; hlt) until the doorbell interrupt has been counted,
 * checks request_seq and every payload byte, writes the reply (the payload
 * reversed, each byte + 1) and reply_seq = i, and rings back; ping sleeps
 * the same way, checks the reply and goes on. Neither side polls the shared
 * memory to learn that a message has come: the interrupt wakes it, and the
 * sequence number only confirms it. Progress every 250 round trips; the
 * last line is "N round trips verified". Exit 0, or 1 on any mismatch
 * (the first bad byte is printed), 2 for bad args or a missing channel.
 */
#include <string.h>

#include "bulkhead.h"

#define PAYLOAD_SIZE 64
#define PROGRESS_EVERY 250
#define READY_MAGIC 0x706f6e67u /* "pong" */
/* Ping's start-up poll for pong_ready: bounded, then it gives up. */
#define READY_POLLS 200000000ull

struct shared {
	uint32_t pong_ready;
	uint32_t reserved;
	uint64_t request_seq;
	uint64_t reply_seq;
	uint8_t request[PAYLOAD_SIZE];
	uint8_t reply[PAYLOAD_SIZE];
};

static volatile struct shared *shared;
static unsigned doorbell_vector;
static bool wait_by_spinning;

static uint8_t request_byte(uint64_t i, unsigned k)
{
	return (uint8_t)(i * 37 + k * 11 + (i >> 8) + 1);
}

static uint8_t reply_byte(uint64_t i, unsigned k)
{
	return (uint8_t)(request_byte(i, PAYLOAD_SIZE - 1 - k) + 1);
}

static void doorbell(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
	/* Nothing to do: guest_interrupt_count() is the wake-up condition. */
}

/* Sleeps until the doorbell has rung more than `seen` times; returns the
 * new count. */
static uint64_t wait_for_doorbell(uint64_t seen)
{
	uint64_t count;

	if (wait_by_spinning) {
		guest_interrupts_enable();
		while ((count = guest_interrupt_count(doorbell_vector)) == seen)
			cpu_relax();
		guest_interrupts_disable();
		return count;
	}
	guest_interrupts_disable();
	while ((count = guest_interrupt_count(doorbell_vector)) == seen)
		guest_wait_for_interrupt();
	return count;
}

static int ring(const struct guest_channel *channel, uint64_t i)
{
	int64_t result = guest_channel_notify(channel);

	if (result < 0) {
		gprintf("message %lu: notify failed: %ld (%s)\n", i, result,
			bulkhead_error_name(result));
		return -1;
	}
	return 0;
}

/* Checks sequence number and payload; prints the first bad byte. */
static bool verify(const char *what, uint64_t i, uint64_t seq,
		   const volatile uint8_t *payload,
		   uint8_t (*expected)(uint64_t, unsigned))
{
	if (seq != i) {
		gprintf("%s %lu: MISMATCH sequence number %lu\n", what, i, seq);
		return false;
	}
	for (unsigned k = 0; k < PAYLOAD_SIZE; k++) {
		uint8_t got = payload[k], want = expected(i, k);

		if (got != want) {
			gprintf("%s %lu: MISMATCH byte %u is 0x%02x, expected 0x%02x\n",
				what, i, k, got, want);
			return false;
		}
	}
	return true;
}

static int run_ping(const struct guest_channel *channel, uint64_t count)
{
	uint64_t seen = 0, polls = 0;

	while (__atomic_load_n(&shared->pong_ready, __ATOMIC_ACQUIRE) !=
	       READY_MAGIC) {
		if (++polls == READY_POLLS) {
			gprintf("pong never became ready\n");
			return 1;
		}
		cpu_relax();
	}
	gprintf("peer ready after %lu polls, sending %lu messages\n", polls,
		count);
	for (uint64_t i = 1; i <= count; i++) {
		for (unsigned k = 0; k < PAYLOAD_SIZE; k++)
			shared->request[k] = request_byte(i, k);
		__atomic_store_n(&shared->request_seq, i, __ATOMIC_RELEASE);
		if (ring(channel, i))
			return 1;
		seen = wait_for_doorbell(seen);
		if (!verify("reply", i,
			    __atomic_load_n(&shared->reply_seq, __ATOMIC_ACQUIRE),
			    shared->reply, reply_byte))
			return 1;
		if (i % PROGRESS_EVERY == 0 && i != count)
			gprintf("%lu round trips\n", i);
	}
	gprintf("%lu round trips verified\n", count);
	return 0;
}

static int run_pong(const struct guest_channel *channel, uint64_t count)
{
	uint64_t seen = 0;

	__atomic_store_n(&shared->pong_ready, READY_MAGIC, __ATOMIC_RELEASE);
	gprintf("ready, waiting for %lu messages\n", count);
	for (uint64_t i = 1; i <= count; i++) {
		seen = wait_for_doorbell(seen);
		if (!verify("request", i,
			    __atomic_load_n(&shared->request_seq,
					    __ATOMIC_ACQUIRE),
			    shared->request, request_byte))
			return 1;
		for (unsigned k = 0; k < PAYLOAD_SIZE; k++)
			shared->reply[k] =
				(uint8_t)(shared->request[PAYLOAD_SIZE - 1 - k] + 1);
		__atomic_store_n(&shared->reply_seq, i, __ATOMIC_RELEASE);
		if (ring(channel, i))
			return 1;
		if (i % PROGRESS_EVERY == 0 && i != count)
			gprintf("%lu round trips\n", i);
	}
	gprintf("%lu round trips verified\n", count);
	return 0;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct guest_channel channel;
	char role[16], wait[8] = "halt";
	int64_t count = 1000, index = 0, result;
	int status;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_get(boot->args, "role", role, sizeof(role)) ||
	    (strcmp(role, "ping") && strcmp(role, "pong"))) {
		gprintf("args need role=ping or role=pong\n");
		return 2;
	}
	args_get(boot->args, "wait", wait, sizeof(wait));
	if (strcmp(wait, "halt") && strcmp(wait, "spin")) {
		gprintf("args: wait must be halt or spin\n");
		return 2;
	}
	wait_by_spinning = !strcmp(wait, "spin");
	args_get_number(boot->args, "count", &count);
	args_get_number(boot->args, "channel", &index);
	if (count < 1 || index < 0) {
		gprintf("bad count or channel\n");
		return 2;
	}
	result = guest_channel_open((unsigned)index, &channel);
	if (result < 0) {
		gprintf("channel %ld: %ld (%s); this partition has %u channels\n",
			index, result, bulkhead_error_name(result),
			boot->channel_count);
		return 2;
	}
	if (channel.info.size < sizeof(struct shared)) {
		gprintf("channel too small\n");
		return 2;
	}
	shared = (volatile struct shared *)channel.memory;
	doorbell_vector = channel.info.vector;
	guest_set_interrupt_handler(doorbell_vector, doorbell);
	gprintf("%s over channel %ld \"%s\" with %s: 0x%lx, %lu bytes, vector 0x%x, %s\n",
		role, index, channel.info.name, channel.info.peer_name,
		channel.info.address, channel.info.size, doorbell_vector,
		wait_by_spinning ? "spinning" : "halting");

	status = !strcmp(role, "ping") ? run_ping(&channel, (uint64_t)count)
				       : run_pong(&channel, (uint64_t)count);
	if (guest_unexpected_interrupts())
		gprintf("%lu unexpected interrupts\n",
			guest_unexpected_interrupts());
	return status;
}
