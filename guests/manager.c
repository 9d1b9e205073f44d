/* SPDX-License-Identifier: MIT */
/*
 * manager: a management partition (config "management;") that restarts
 * another one. args:
 *   target=NAME   the partition to manage, found by name through
 *                 PARTITION_STATE on ids 0, 1, ... until ENOENT
 *   restarts=N    restarts to do (2 by default)
 *   poll=N        pause loops between two state queries (20000)
 * Waits until the target has exited, restarts it, waits for the exit of
 * the new run, ... N times, printing every state it sees with the run
 * number; then checks that it may not STOP itself (EINVAL) and prints the
 * STATS of the target and of itself, and the state of every partition
 * ("finally: partition 2 "heartbeat" running, run 1"). Exits 0, or 1
 * when a call fails or the target faults or is stopped.
 */
#include <string.h>

#include "bulkhead.h"

#define MAX_POLLS 100000000ull

static int64_t poll_delay = 20000;

static bool find_target(const char *name, uint32_t *id)
{
	struct bulkhead_partition_state state;

	for (uint32_t i = 0;; i++) {
		int64_t result = bulkhead_partition_state(i, &state);

		if (result == BULKHEAD_ENOENT)
			return false;
		if (result < 0) {
			gprintf("state of partition %u: %ld (%s)\n", i, result,
				bulkhead_error_name(result));
			return false;
		}
		gprintf("partition %u is \"%s\", %s, run %u\n", i, state.name,
			bulkhead_state_name(state.state), state.run);
		if (!strcmp(state.name, name)) {
			*id = i;
			return true;
		}
	}
}

/* Polls until the target's run `run` has ended; prints each change.
 * Returns true if it exited, false if it faulted, was stopped, or a call
 * failed. */
static bool wait_for_exit(uint32_t id, uint32_t run,
			  struct bulkhead_partition_state *state)
{
	uint32_t last_state = ~0u, last_run = ~0u;

	for (uint64_t polls = 0; polls < MAX_POLLS; polls++) {
		int64_t result = bulkhead_partition_state(id, state);

		if (result < 0) {
			gprintf("PARTITION_STATE failed: %ld (%s)\n", result,
				bulkhead_error_name(result));
			return false;
		}
		if (state->state != last_state || state->run != last_run) {
			if (state->state == BULKHEAD_STATE_EXITED)
				gprintf("target %s: exited, run %u, status %ld\n",
					state->name, state->run,
					state->exit_status);
			else
				gprintf("target %s: %s, run %u\n", state->name,
					bulkhead_state_name(state->state),
					state->run);
			last_state = state->state;
			last_run = state->run;
		}
		if (state->run >= run) {
			if (state->state == BULKHEAD_STATE_EXITED)
				return true;
			if (state->state == BULKHEAD_STATE_STOPPED ||
			    state->state == BULKHEAD_STATE_FAULTED)
				return false;
		}
		for (int64_t i = 0; i < poll_delay; i++)
			cpu_relax();
	}
	gprintf("target did not exit\n");
	return false;
}

/* Prints the state of every partition. */
static void list_partitions(const char *when)
{
	struct bulkhead_partition_state state;

	for (uint32_t i = 0; bulkhead_partition_state(i, &state) == 0; i++)
		gprintf("%s: partition %u \"%s\" %s, run %u\n", when, i,
			state.name, bulkhead_state_name(state.state), state.run);
}

static void print_stats(const char *who, const struct bulkhead_stats *s)
{
	uint64_t exits = 0, calls = 0;

	for (unsigned i = 0; i < BULKHEAD_STATS_EXIT_REASONS; i++)
		exits += s->exits[i];
	for (unsigned i = 0; i < BULKHEAD_STATS_HYPERCALLS; i++)
		calls += s->hypercalls[i];
	gprintf("stats of %s: %lu exits, %lu hypercalls (%lu console writes, %lu state queries), %lu interrupts injected, %lu restarts\n",
		who, exits, calls, s->hypercalls[BULKHEAD_HC_CONSOLE_WRITE],
		s->hypercalls[BULKHEAD_HC_PARTITION_STATE],
		s->interrupts_injected, s->restarts);
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct bulkhead_partition_state state;
	struct bulkhead_stats target_stats, own_stats;
	char name[BULKHEAD_NAME_MAX];
	int64_t restarts = 2, result;
	uint32_t id;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_get(boot->args, "target", name, sizeof(name))) {
		gprintf("args need target=NAME\n");
		return 2;
	}
	args_get_number(boot->args, "restarts", &restarts);
	args_get_number(boot->args, "poll", &poll_delay);
	if (!find_target(name, &id)) {
		gprintf("no partition \"%s\"\n", name);
		return 1;
	}
	gprintf("managing %s (partition %u), %ld restarts\n", name, id,
		restarts);

	if (!wait_for_exit(id, 1, &state))
		return 1;
	for (int64_t r = 1; r <= restarts; r++) {
		uint32_t next = state.run + 1;

		result = bulkhead_partition_control(id, BULKHEAD_OP_RESTART);
		gprintf("restart %ld of %ld: %ld (%s)\n", r, restarts, result,
			bulkhead_error_name(result));
		if (result < 0)
			return 1;
		if (!wait_for_exit(id, next, &state))
			return 1;
	}
	gprintf("target %s ended run %u with status %ld\n", name, state.run,
		state.exit_status);

	result = bulkhead_partition_control(boot->partition_id,
					    BULKHEAD_OP_STOP);
	gprintf("STOP of myself: %ld (%s)\n", result,
		bulkhead_error_name(result));
	if (result != BULKHEAD_EINVAL)
		return 1;

	result = bulkhead_stats(id, &target_stats);
	if (result < 0) {
		gprintf("STATS of %s: %ld\n", name, result);
		return 1;
	}
	result = bulkhead_stats(BULKHEAD_SELF, &own_stats);
	if (result < 0) {
		gprintf("STATS of myself: %ld\n", result);
		return 1;
	}
	list_partitions("finally");
	print_stats(name, &target_stats);
	print_stats("myself", &own_stats);
	gprintf("summary: %s ran %u times, %lu restarts, last status %ld\n",
		name, state.run, target_stats.restarts, state.exit_status);
	return target_stats.restarts == (uint64_t)restarts ? 0 : 1;
}
