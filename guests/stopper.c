/* SPDX-License-Identifier: MIT */
/*
 * stopper: a management partition that stops and starts a busy peer (the
 * spinner guest, sharing channel 0 with it) over and over, and checks
 * each time that the peer really stopped executing and really runs again.
 * args:
 *   target=NAME  the spinner partition (found by name)
 *   cycles=N     stop/start cycles (4 by default); odd cycles start the
 *                stopped target with START, even ones with RESTART
 * Every kick that stops a vCPU spinning in guest mode is a fresh one, so a
 * hypervisor that loses kicks after the first shows here as "still
 * executing" or as a target that never runs again. At the end it sets the
 * spinner's quit flag and waits for its exit with status 0. Exits 0, or 1
 * at the first failure (printed).
 */
#include <string.h>

#include "bulkhead.h"
#include "spinner.h"

#define MAX_POLLS 2000000ull /* state queries before giving up */
#define SETTLE_QUERIES 2000  /* queries between two samples of spins */

static volatile struct spinner_shared *shared;

static bool find_target(const char *name, uint32_t *id)
{
	struct bulkhead_partition_state state;

	for (uint32_t i = 0; bulkhead_partition_state(i, &state) == 0; i++)
		if (!strcmp(state.name, name)) {
			*id = i;
			return true;
		}
	return false;
}

/* Polls until the target is in `want` with a run of at least `run`. */
static bool wait_for_state(uint32_t id, uint32_t want, uint32_t run,
			   struct bulkhead_partition_state *state)
{
	for (uint64_t polls = 0; polls < MAX_POLLS; polls++) {
		int64_t result = bulkhead_partition_state(id, state);

		if (result < 0) {
			gprintf("PARTITION_STATE: %ld (%s)\n", result,
				bulkhead_error_name(result));
			return false;
		}
		if (state->state == want && state->run >= run)
			return true;
	}
	gprintf("target never became %s in run %u: %s, run %u\n",
		bulkhead_state_name(want), run,
		bulkhead_state_name(state->state), state->run);
	return false;
}

/* Lets the target's clock run for a while: hypercalls are exits, so this
 * lasts long enough for a running spinner to count. */
static void settle(uint32_t id)
{
	struct bulkhead_partition_state state;

	for (unsigned i = 0; i < SETTLE_QUERIES; i++)
		bulkhead_partition_state(id, &state);
}

/* True once the target's spin count moves (bounded). */
static bool target_spins(uint32_t id)
{
	uint64_t before = __atomic_load_n(&shared->spins, __ATOMIC_ACQUIRE);

	for (uint64_t polls = 0; polls < MAX_POLLS / SETTLE_QUERIES; polls++) {
		settle(id);
		if (__atomic_load_n(&shared->spins, __ATOMIC_ACQUIRE) != before)
			return true;
	}
	gprintf("target runs but does not spin (spins stay %lu)\n", before);
	return false;
}

static bool control(uint32_t id, uint64_t op, const char *what, int64_t cycle)
{
	int64_t result = bulkhead_partition_control(id, op);

	gprintf("cycle %ld: %s: %ld (%s)\n", cycle, what, result,
		bulkhead_error_name(result));
	return result == 0;
}

static int run_cycles(uint32_t id, int64_t cycles)
{
	struct bulkhead_partition_state state;
	uint32_t run = 1;

	for (int64_t c = 1; c <= cycles; c++) {
		if (!wait_for_state(id, BULKHEAD_STATE_RUNNING, run, &state) ||
		    !target_spins(id))
			return 1;
		if (!control(id, BULKHEAD_OP_STOP, "stop", c) ||
		    !wait_for_state(id, BULKHEAD_STATE_STOPPED, run, &state))
			return 1;
		uint64_t before = __atomic_load_n(&shared->spins, __ATOMIC_ACQUIRE);
		settle(id);
		uint64_t after = __atomic_load_n(&shared->spins, __ATOMIC_ACQUIRE);
		if (after != before) {
			gprintf("cycle %ld: target still executing after stop: spins %lu -> %lu\n",
				c, before, after);
			return 1;
		}
		gprintf("cycle %ld: target stopped, spins stay %lu\n", c, after);
		bool start = c % 2;
		if (!control(id, start ? BULKHEAD_OP_START : BULKHEAD_OP_RESTART,
			     start ? "start" : "restart", c))
			return 1;
		run++;
	}
	if (!wait_for_state(id, BULKHEAD_STATE_RUNNING, run, &state) ||
	    !target_spins(id))
		return 1;
	__atomic_store_n(&shared->quit, 1, __ATOMIC_RELEASE);
	if (!wait_for_state(id, BULKHEAD_STATE_EXITED, run, &state))
		return 1;
	gprintf("target exited in run %u with status %ld after %ld cycles\n",
		state.run, state.exit_status, cycles);
	return state.exit_status == 0 ? 0 : 1;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct guest_channel channel;
	char name[BULKHEAD_NAME_MAX];
	int64_t cycles = 4;
	uint32_t id;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_get(boot->args, "target", name, sizeof(name))) {
		gprintf("args need target=NAME\n");
		return 2;
	}
	args_get_number(boot->args, "cycles", &cycles);
	if (guest_channel_open(0, &channel) < 0 ||
	    channel.info.size < sizeof(struct spinner_shared)) {
		gprintf("no channel 0 to the target\n");
		return 2;
	}
	shared = channel.memory;
	if (!find_target(name, &id)) {
		gprintf("no partition \"%s\"\n", name);
		return 1;
	}
	gprintf("stopping and starting %s (partition %u) %ld times\n", name,
		id, cycles);
	return run_cycles(id, cycles);
}
