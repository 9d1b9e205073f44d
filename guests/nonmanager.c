/* SPDX-License-Identifier: MIT */
/*
 * nonmanager: an ordinary partition (no "management;") that tries the
 * ABI 1.3 calls it may not make, or makes them wrongly, and checks each
 * answer. It needs channel 0 to a peer that exits soon after the start
 * (e.g. heartbeat beats=2) and that is partition "peer-id=N" (1 by
 * default); "peer=NAME" is the peer's expected name (heartbeat).
 * Prints "<check>: ok" or "<check>: FAILED got X expected Y" per check,
 * then "N of M checks passed"; exits 0 when all passed, else 1.
 */
#include <string.h>

#include "bulkhead.h"
#include "checks.h"
#include "format.h"

/* Tries of NOTIFY while waiting for the peer to be running / gone, with
 * a busy pause of NOTIFY_PAUSE loops between tries. */
#define NOTIFY_TRIES 100000
#define NOTIFY_PAUSE 2000
#define SOFT_VECTOR 0x50
#define UNHANDLED_VECTOR 0x51

static void expect_result(const char *name, int64_t got, int64_t expected)
{
	char got_text[32], expected_text[32];

	format(got_text, sizeof(got_text), "%ld (%s)", got,
	       bulkhead_error_name(got));
	format(expected_text, sizeof(expected_text), "%ld (%s)", expected,
	       bulkhead_error_name(expected));
	check_report(name, got == expected, got_text, expected_text);
}

static void expect_true(const char *name, bool ok, const char *what)
{
	check_report(name, ok, ok ? "true" : "false", what);
}

static uint64_t log_buffer_words[(sizeof(struct bulkhead_console_log) + 256) /
				  sizeof(uint64_t)];
#define log_buffer ((void *)log_buffer_words)

static const struct bulkhead_console_log *log_buffer_header(void)
{
	return (const struct bulkhead_console_log *)log_buffer_words;
}

static void check_partition_calls(uint32_t self, uint32_t peer)
{
	struct bulkhead_partition_state state;
	struct bulkhead_stats stats;
	int64_t result;

	result = bulkhead_partition_state(BULKHEAD_SELF, &state);
	expect_result("state of myself (BULKHEAD_SELF)", result, 0);
	expect_true("state of myself says running, run 1",
		    result == 0 && state.state == BULKHEAD_STATE_RUNNING &&
			    state.run == 1,
		    "running, run 1");
	expect_result("state of myself by id",
		      bulkhead_partition_state(self, &state), 0);
	expect_result("state of the peer", bulkhead_partition_state(peer, &state),
		      BULKHEAD_EPERM);
	expect_result("state of partition 99",
		      bulkhead_partition_state(99, &state), BULKHEAD_ENOENT);
	expect_result("STOP of the peer",
		      bulkhead_partition_control(peer, BULKHEAD_OP_STOP),
		      BULKHEAD_EPERM);
	expect_result("RESTART of the peer",
		      bulkhead_partition_control(peer, BULKHEAD_OP_RESTART),
		      BULKHEAD_EPERM);
	expect_result("START of the peer",
		      bulkhead_partition_control(peer, BULKHEAD_OP_START),
		      BULKHEAD_EPERM);
	expect_result("STOP of myself",
		      bulkhead_partition_control(BULKHEAD_SELF, BULKHEAD_OP_STOP),
		      BULKHEAD_EPERM);
	expect_result("stats of the peer", bulkhead_stats(peer, &stats),
		      BULKHEAD_EPERM);
	result = bulkhead_stats(BULKHEAD_SELF, &stats);
	expect_result("stats of myself (BULKHEAD_SELF)", result, 0);
	expect_true("stats of myself count my state queries",
		    result == 0 &&
			    stats.hypercalls[BULKHEAD_HC_PARTITION_STATE] == 4 &&
			    stats.hypercalls[BULKHEAD_HC_PARTITION_CONTROL] == 4,
		    "4 state queries and 4 control calls");
	expect_result("stats of myself by id", bulkhead_stats(self, &stats), 0);
	expect_result("stats with a short size",
		      hypercall3(BULKHEAD_HC_STATS, BULKHEAD_SELF,
				 (uintptr_t)&stats, BULKHEAD_STATS_SIZE_1_2 - 1),
		      BULKHEAD_EINVAL);
	expect_result("console log of the peer",
		      bulkhead_console_read(peer, 0, log_buffer,
					    sizeof(log_buffer_words)),
		      BULKHEAD_EPERM);
	result = bulkhead_console_read(BULKHEAD_SELF, 0, log_buffer,
				       sizeof(log_buffer_words));
	expect_true("console log of myself",
		    result > 0 && log_buffer_header()->length == result,
		    "some bytes of my own log");
}

static void check_channel_calls(const struct bulkhead_boot_info *boot,
				const char *peer_name, uint32_t peer)
{
	struct bulkhead_channel_info info;
	uint64_t memory_size = boot->memory_size;
	uint64_t count = boot->channel_count;
	int64_t result;

	expect_true("boot info counts one channel", count == 1, "1 channel");
	expect_result("channel info of channel_count",
		      bulkhead_channel_info(count, &info), BULKHEAD_ENOENT);
	expect_result("channel info of channel 99",
		      bulkhead_channel_info(99, &info), BULKHEAD_ENOENT);
	expect_result("channel info of channel UINT64_MAX",
		      bulkhead_channel_info(UINT64_MAX, &info),
		      BULKHEAD_ENOENT);
	expect_result("notify of channel_count",
		      bulkhead_channel_notify(count), BULKHEAD_ENOENT);
	expect_result("notify of channel 99", bulkhead_channel_notify(99),
		      BULKHEAD_ENOENT);
	expect_result("notify of channel UINT64_MAX",
		      bulkhead_channel_notify(UINT64_MAX), BULKHEAD_ENOENT);
	expect_result("channel info outside my memory",
		      hypercall3(BULKHEAD_HC_CHANNEL_INFO, 0, memory_size,
				 sizeof(info)),
		      BULKHEAD_EFAULT);
	expect_result("channel info straddling the end of my memory",
		      hypercall3(BULKHEAD_HC_CHANNEL_INFO, 0,
				 memory_size - sizeof(info) / 2, sizeof(info)),
		      BULKHEAD_EFAULT);
	expect_result("channel info with a short size",
		      hypercall3(BULKHEAD_HC_CHANNEL_INFO, 0, (uintptr_t)&info,
				 sizeof(info) - 1),
		      BULKHEAD_EINVAL);

	result = bulkhead_channel_info(0, &info);
	expect_result("channel info of channel 0", result, 0);
	if (result)
		return;
	gprintf("channel 0 \"%s\": 0x%lx, %lu bytes, peer %u \"%s\", end %u, vector 0x%x\n",
		info.name, info.address, info.size, info.peer_id,
		info.peer_name, info.own_end, info.vector);
	expect_true("channel 0 lies right after my memory",
		    info.address == memory_size, "address == memory size");
	expect_true("channel 0 names the peer",
		    info.peer_id == peer && !strcmp(info.peer_name, peer_name),
		    peer_name);
	/* The channel is not "own memory" for hypercall pointers. */
	expect_result("channel info into the channel memory",
		      hypercall3(BULKHEAD_HC_CHANNEL_INFO, 0, info.address,
				 sizeof(info)),
		      BULKHEAD_EFAULT);

	volatile uint64_t *shared = (volatile uint64_t *)(uintptr_t)info.address;
	volatile uint64_t *last = shared + info.size / 8 - 1;
	*shared = 0x5a5a0001;
	*last = 0xa5a50002;
	expect_true("channel memory is writable at both ends",
		    *shared == 0x5a5a0001 && *last == 0xa5a50002,
		    "the values written");
}

static int64_t notify_until(int64_t wanted, unsigned *tries)
{
	int64_t result = 0;

	for (*tries = 1; *tries <= NOTIFY_TRIES; (*tries)++) {
		result = bulkhead_channel_notify(0);
		if (result == wanted)
			break;
		for (unsigned i = 0; i < NOTIFY_PAUSE; i++)
			cpu_relax();
	}
	return result;
}

static void check_notify_running_peer(void)
{
	unsigned tries;

	expect_result("notify of the running peer", notify_until(0, &tries),
		      0);
}

static void check_notify_exited_peer(void)
{
	unsigned tries;
	int64_t result = notify_until(BULKHEAD_ESRCH, &tries);

	gprintf("the peer is gone after %u notifies\n", tries);
	expect_result("notify of the exited peer", result, BULKHEAD_ESRCH);
}

static void soft_handler(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
}

static void check_library_interrupts(void)
{
	uint64_t before = guest_unexpected_interrupts();

	guest_set_interrupt_handler(SOFT_VECTOR, soft_handler);
	asm volatile("int %0" : : "i"(SOFT_VECTOR) : "memory");
	expect_true("int 0x50 reaches its handler",
		    guest_interrupt_count(SOFT_VECTOR) == 1 &&
			    guest_unexpected_interrupts() == before,
		    "counted once, handled");
	asm volatile("int %0" : : "i"(UNHANDLED_VECTOR) : "memory");
	expect_true("int 0x51 without a handler is counted, not fatal",
		    guest_interrupt_count(UNHANDLED_VECTOR) == 1 &&
			    guest_unexpected_interrupts() == before + 1,
		    "one unexpected interrupt");
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	char peer_name[BULKHEAD_NAME_MAX] = "heartbeat";
	int64_t peer = 1;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get(boot->args, "peer", peer_name, sizeof(peer_name));
	args_get_number(boot->args, "peer-id", &peer);

	check_notify_running_peer();
	check_partition_calls(boot->partition_id, (uint32_t)peer);
	check_channel_calls(boot, peer_name, (uint32_t)peer);
	check_library_interrupts();
	check_notify_exited_peer();

	return checks_finish();
}
