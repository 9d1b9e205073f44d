/* SPDX-License-Identifier: MIT */
/*
 * Tests of the pure parts of channels and partition lifecycle: the
 * partition state machine, the guest-physical layout of channels, and the
 * argument and permission checks of the ABI 1.1 hypercalls, and those of
 * ABI 1.3: the grown state and statistics, and the console log's read.
 */
#include <stdlib.h>

#include "check.h"

#include "core/hypercall/hypercall_dispatch.h"
#include "core/partition/channel_layout.h"
#include "core/partition/partition_state.h"

CHECK_MAIN("test_lifecycle")

static void test_state_machine(void)
{
	static const enum partition_state all[] = {
		PARTITION_RUNNING, PARTITION_STOPPED, PARTITION_FAULTED,
		PARTITION_RESTARTING, PARTITION_EXITED,
	};
	/* expected[event][from]: the next state, or -1 when refused. */
	static const int expected[7][5] = {
		/* running  stopped  faulted  restarting exited */
		[PARTITION_EVENT_FAULT] = { PARTITION_FAULTED, -1, -1, -1, -1 },
		[PARTITION_EVENT_FAULT_RESTART] = { PARTITION_RESTARTING, -1,
						    -1, -1, -1 },
		[PARTITION_EVENT_EXIT] = { PARTITION_EXITED, -1, -1, -1, -1 },
		[PARTITION_EVENT_STOP] = { PARTITION_STOPPED, -1, -1, -1, -1 },
		[PARTITION_EVENT_START] = { -1, PARTITION_RESTARTING,
					    PARTITION_RESTARTING, -1,
					    PARTITION_RESTARTING },
		[PARTITION_EVENT_RESTART] = { PARTITION_RESTARTING,
					      PARTITION_RESTARTING,
					      PARTITION_RESTARTING, -1,
					      PARTITION_RESTARTING },
		[PARTITION_EVENT_LOADED] = { -1, -1, -1, PARTITION_RUNNING, -1 },
	};

	for (int event = 0; event < 7; event++) {
		for (int i = 0; i < 5; i++) {
			enum partition_state to = (enum partition_state)99;
			bool ok = partition_next_state(
				all[i], (enum partition_event)event, &to);

			CHECK_EQ(ok, expected[event][i] >= 0);
			if (ok)
				CHECK_EQ(to, expected[event][i]);
		}
	}
	CHECK(partition_state_live(PARTITION_RUNNING));
	CHECK(partition_state_live(PARTITION_RESTARTING));
	CHECK(!partition_state_live(PARTITION_STOPPED));
	CHECK(!partition_state_live(PARTITION_FAULTED));
	CHECK(!partition_state_live(PARTITION_EXITED));
	/* The ABI's numbers are the core's. */
	CHECK_EQ(PARTITION_EXITED, BULKHEAD_STATE_EXITED);
	CHECK_EQ(PARTITION_FAULTED, BULKHEAD_STATE_FAULTED);
}

static void test_channel_layout(void)
{
	static struct config config;
	struct channel_slot slots[CONFIG_MAX_PARTITION_CHANNELS];

	config.partition_count = 3;
	config.partitions[0].memory_size = 4ull << 20;
	config.partitions[1].memory_size = 16ull << 20;
	config.partitions[2].memory_size = 2ull << 20;
	config.channel_count = 3;
	config.channels[0] = (struct config_channel){ "a", { 0, 1 }, 0x1000, 0x40 };
	config.channels[1] = (struct config_channel){ "b", { 2, 0 }, 0x3000, 0x41 };
	config.channels[2] = (struct config_channel){ "c", { 1, 2 }, 0x200000, 0x42 };

	CHECK_EQ(channel_layout(&config, 0, slots), 2);
	CHECK_EQ(slots[0].channel, 0);
	CHECK_EQ(slots[0].end, 0);
	CHECK_EQ(slots[0].peer, 1);
	CHECK_EQ(slots[0].guest_address, 4ull << 20);
	CHECK_EQ(slots[1].channel, 1);
	CHECK_EQ(slots[1].end, 1);
	CHECK_EQ(slots[1].peer, 2);
	CHECK_EQ(slots[1].guest_address, (4ull << 20) + 0x1000);
	CHECK_EQ(slots[1].size, 0x3000);

	CHECK_EQ(channel_layout(&config, 1, slots), 2);
	CHECK_EQ(slots[0].guest_address, 16ull << 20);
	CHECK_EQ(slots[1].channel, 2);
	CHECK_EQ(slots[1].guest_address, (16ull << 20) + 0x1000);

	CHECK_EQ(channel_layout(&config, 2, slots), 2);
	CHECK_EQ(slots[0].channel, 1);
	CHECK_EQ(slots[0].guest_address, 2ull << 20);
	CHECK_EQ(slots[1].guest_address, (2ull << 20) + 0x3000);
	CHECK_EQ(slots[1].end, 1);

	CHECK_EQ(channel_slot_of(&config, 2, 2), 1);
	CHECK_EQ(channel_slot_of(&config, 0, 2), -1);
	config.channel_count = 0;
	CHECK_EQ(channel_layout(&config, 0, slots), 0);
}

/* Recording operations for the hypercall tests. */
struct recorder {
	int info_calls, notify_calls, state_calls, control_calls, stats_calls;
	int read_calls;
	uint64_t last_position;
	uint32_t last_capacity;
	uint32_t last_index, last_partition;
	enum bulkhead_partition_operation last_operation;
};

static void console_write(void *owner, const char *text, size_t length)
{
	(void)owner, (void)text, (void)length;
}

static void exit_call(void *owner, int64_t status)
{
	(void)owner, (void)status;
}

static void channel_info(void *owner, uint32_t index,
			 struct bulkhead_channel_info *info)
{
	struct recorder *r = owner;

	r->info_calls++;
	r->last_index = index;
	info->address = 0x400000 + index;
	info->size = 0x1000;
}

static int64_t channel_notify(void *owner, uint32_t index)
{
	struct recorder *r = owner;

	r->notify_calls++;
	r->last_index = index;
	return index == 1 ? BULKHEAD_ESRCH : 0;
}

static void partition_state(void *owner, uint32_t partition,
			    struct bulkhead_partition_state *state)
{
	struct recorder *r = owner;

	r->state_calls++;
	r->last_partition = partition;
	state->state = BULKHEAD_STATE_EXITED;
	state->run = 7;
}

static int64_t partition_control(void *owner, uint32_t partition,
				 enum bulkhead_partition_operation operation)
{
	struct recorder *r = owner;

	r->control_calls++;
	r->last_partition = partition;
	r->last_operation = operation;
	return 0;
}

static void stats(void *owner, uint32_t partition, struct bulkhead_stats *s)
{
	struct recorder *r = owner;

	r->stats_calls++;
	r->last_partition = partition;
	s->restarts = 3;
}

/* A log that took in 10000 bytes and keeps the last 4096; byte n of it
 * is n mod 251. */
#define LOG_WRITTEN 10000u
#define LOG_SIZE 4096u

static int64_t console_read(void *owner, uint32_t partition, uint64_t position,
			    uint8_t *data, uint32_t capacity,
			    struct bulkhead_console_log *log)
{
	struct recorder *r = owner;
	uint64_t oldest = LOG_WRITTEN - LOG_SIZE, length;

	r->read_calls++;
	r->last_partition = partition;
	r->last_position = position;
	r->last_capacity = capacity;
	if (position > LOG_WRITTEN)
		return BULKHEAD_EINVAL;
	log->lost = position < oldest ? oldest - position : 0;
	position += log->lost;
	length = LOG_WRITTEN - position;
	if (length > capacity)
		length = capacity;
	for (uint64_t i = 0; i < length; i++)
		data[i] = (uint8_t)((position + i) % 251);
	log->length = (uint32_t)length;
	log->next = position + length;
	log->written = LOG_WRITTEN;
	log->log_size = LOG_SIZE;
	return 0;
}

static const struct hypercall_operations operations = {
	console_write, exit_call,	  channel_info, channel_notify,
	partition_state, partition_control, stats, console_read,
};

#define MEMORY_SIZE 0x10000ull

static struct hypercall_context make_context(struct recorder *r,
					     bool management)
{
	struct hypercall_context c = {
		.memory = calloc(1, MEMORY_SIZE),
		.memory_size = MEMORY_SIZE,
		.bounce = calloc(1, BULKHEAD_CONSOLE_WRITE_MAX),
		.management = management,
		.partition_id = 1,
		.partition_count = 3,
		.channel_count = 2,
		.operations = &operations,
		.owner = r,
	};
	return c;
}

static void release(struct hypercall_context *c)
{
	free(c->memory);
	free(c->bounce);
}

static int64_t call(struct hypercall_context *c, uint64_t number, uint64_t a0,
		    uint64_t a1, uint64_t a2)
{
	return hypercall_handle(c, number, a0, a1, a2, 0);
}

static void test_channel_calls(void)
{
	struct recorder r = { 0 };
	struct hypercall_context c = make_context(&r, false);
	const uint64_t size = sizeof(struct bulkhead_channel_info);
	struct bulkhead_channel_info info;

	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_INFO, 1, 0x100, size), 0);
	CHECK_EQ(r.last_index, 1);
	memcpy(&info, c.memory + 0x100, sizeof(info));
	CHECK_EQ(info.address, 0x400001);
	/* Bad indexes never reach the operation. */
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_INFO, 2, 0x100, size),
		 BULKHEAD_ENOENT);
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_INFO, UINT64_MAX, 0x100, size),
		 BULKHEAD_ENOENT);
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_INFO, 1ull << 32, 0x100, size),
		 BULKHEAD_ENOENT);
	CHECK_EQ(r.info_calls, 1);
	/* Bad buffers. */
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_INFO, 0, MEMORY_SIZE - 8, size),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_INFO, 0, UINT64_MAX - 4, size),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_INFO, 0, 0x100, size - 1),
		 BULKHEAD_EINVAL);
	/* Doorbells: the operation's result comes back as it is. */
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_NOTIFY, 0, 0, 0), 0);
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_NOTIFY, 1, 0, 0), BULKHEAD_ESRCH);
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_NOTIFY, 2, 0, 0), BULKHEAD_ENOENT);
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_NOTIFY, UINT64_MAX, 0, 0),
		 BULKHEAD_ENOENT);
	CHECK_EQ(r.notify_calls, 2);
	/* A partition with no channels has none to name. */
	c.channel_count = 0;
	CHECK_EQ(call(&c, BULKHEAD_HC_CHANNEL_NOTIFY, 0, 0, 0), BULKHEAD_ENOENT);
	release(&c);
}

static void test_permissions(void)
{
	struct recorder r = { 0 };
	struct hypercall_context c = make_context(&r, false);
	const uint64_t state_size = sizeof(struct bulkhead_partition_state);
	const uint64_t stats_size = sizeof(struct bulkhead_stats);

	/* An ordinary partition: itself only, never control. */
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 0, 0x100, state_size),
		 BULKHEAD_EPERM);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 1, 0x100, state_size), 0);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, BULKHEAD_SELF, 0x100,
		      state_size),
		 0);
	CHECK_EQ(r.last_partition, 1);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 0, BULKHEAD_OP_STOP, 0),
		 BULKHEAD_EPERM);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 2,
		      BULKHEAD_OP_RESTART, 0),
		 BULKHEAD_EPERM);
	CHECK_EQ(call(&c, BULKHEAD_HC_STATS, 2, 0x100, stats_size),
		 BULKHEAD_EPERM);
	CHECK_EQ(call(&c, BULKHEAD_HC_STATS, BULKHEAD_SELF, 0x100, stats_size),
		 0);
	CHECK_EQ(r.control_calls, 0);
	CHECK_EQ(r.state_calls, 2);
	CHECK_EQ(r.stats_calls, 1);

	/* A management partition: others too, but valid ids and operations
	 * only, and never itself. */
	c.management = true;
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 0, 0x100, state_size), 0);
	CHECK_EQ(r.last_partition, 0);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 3, 0x100, state_size),
		 BULKHEAD_ENOENT);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 0, MEMORY_SIZE,
		      state_size),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 2,
		      BULKHEAD_OP_RESTART, 0),
		 0);
	CHECK_EQ(r.last_operation, BULKHEAD_OP_RESTART);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 1, BULKHEAD_OP_STOP, 0),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, BULKHEAD_SELF,
		      BULKHEAD_OP_STOP, 0),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 0, 0, 0),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 0, 4, 0),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 5, BULKHEAD_OP_STOP, 0),
		 BULKHEAD_ENOENT);
	CHECK_EQ(r.control_calls, 1);
	CHECK_EQ(call(&c, BULKHEAD_HC_STATS, 2, 0x200, stats_size), 0);
	struct bulkhead_stats stats_out;
	memcpy(&stats_out, c.memory + 0x200, sizeof(stats_out));
	CHECK_EQ(stats_out.restarts, 3);
	CHECK_EQ(call(&c, BULKHEAD_HC_STATS, 2, 0x200,
		      BULKHEAD_STATS_SIZE_1_2 - 1),
		 BULKHEAD_EINVAL);

	/* Not from user mode, whatever the partition. */
	c.cpl = 3;
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_CONTROL, 2,
		      BULKHEAD_OP_RESTART, 0),
		 BULKHEAD_EPERM);
	CHECK_EQ(r.control_calls, 1);
	release(&c);
}

/* A caller of ABI 1.2 passes the old, smaller sizes: it gets exactly that
 * much, nothing written past it; a newer caller gets everything. */
static void test_grown_structures(void)
{
	struct recorder r = { 0 };
	struct hypercall_context c = make_context(&r, true);
	struct bulkhead_stats stats_out;

	memset(c.memory, 0xee, MEMORY_SIZE);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 0, 0x100,
		      BULKHEAD_PARTITION_STATE_SIZE_1_2),
		 0);
	CHECK_EQ(c.memory[0x100 + BULKHEAD_PARTITION_STATE_SIZE_1_2], 0xee);
	CHECK_EQ(c.memory[0x100 + BULKHEAD_PARTITION_STATE_SIZE_1_2 - 1], 0);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 0, 0x100,
		      BULKHEAD_PARTITION_STATE_SIZE_1_2 - 1),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(&c, BULKHEAD_HC_PARTITION_STATE, 0, 0x100, 1ull << 40),
		 0); /* a larger buffer gets the structure */
	CHECK_EQ(c.memory[0x100 + sizeof(struct bulkhead_partition_state)],
		 0xee);
	CHECK_EQ(call(&c, BULKHEAD_HC_STATS, 0, 0x400, BULKHEAD_STATS_SIZE_1_2),
		 0);
	CHECK_EQ(c.memory[0x400 + BULKHEAD_STATS_SIZE_1_2], 0xee);
	memcpy(&stats_out, c.memory + 0x400, BULKHEAD_STATS_SIZE_1_2);
	CHECK_EQ(stats_out.restarts, 3);
	CHECK_EQ(call(&c, BULKHEAD_HC_STATS, 0, MEMORY_SIZE - 8,
		      BULKHEAD_STATS_SIZE_1_2),
		 BULKHEAD_EFAULT);
	release(&c);
}

static int64_t console_read_call(struct hypercall_context *c,
				 uint64_t partition, uint64_t position,
				 uint64_t address, uint64_t size)
{
	return hypercall_handle(c, BULKHEAD_HC_CONSOLE_READ, partition,
				position, address, size);
}

static void test_console_read(void)
{
	struct recorder r = { 0 };
	struct hypercall_context c = make_context(&r, false);
	const uint64_t header = sizeof(struct bulkhead_console_log);
	struct bulkhead_console_log log;

	/* Its own log: anyone; another's: management only. */
	CHECK_EQ(console_read_call(&c, BULKHEAD_SELF, 9990, 0x1000,
				   header + 64),
		 10);
	CHECK_EQ(r.last_partition, 1);
	CHECK_EQ(r.last_capacity, 64);
	memcpy(&log, c.memory + 0x1000, sizeof(log));
	CHECK_EQ(log.length, 10);
	CHECK_EQ(log.next, LOG_WRITTEN);
	CHECK_EQ(log.lost, 0);
	CHECK_EQ(log.written, LOG_WRITTEN);
	CHECK_EQ(log.log_size, LOG_SIZE);
	CHECK_EQ(c.memory[0x1000 + header], 9990 % 251);
	CHECK_EQ(console_read_call(&c, 0, 0, 0x1000, header + 64),
		 BULKHEAD_EPERM);
	CHECK_EQ(r.read_calls, 1);
	c.management = true;
	/* Fallen behind: the oldest kept, and what was lost. */
	CHECK_EQ(console_read_call(&c, 0, 0, 0x1000, header + 100), 100);
	memcpy(&log, c.memory + 0x1000, sizeof(log));
	CHECK_EQ(log.lost, LOG_WRITTEN - LOG_SIZE);
	CHECK_EQ(log.next, LOG_WRITTEN - LOG_SIZE + 100);
	/* A huge size is cut to the header and BULKHEAD_CONSOLE_READ_MAX,
	 * and only that much must be the caller's memory. */
	CHECK_EQ(console_read_call(&c, 0, LOG_WRITTEN - LOG_SIZE, 0x2000,
				   UINT64_MAX),
		 LOG_SIZE);
	CHECK_EQ(r.last_capacity, BULKHEAD_CONSOLE_READ_MAX);
	CHECK_EQ(console_read_call(&c, 0, 0,
				   MEMORY_SIZE - header -
					   BULKHEAD_CONSOLE_READ_MAX,
				   UINT64_MAX),
		 BULKHEAD_CONSOLE_READ_MAX);
	/* Refused before the operation: bad ids, buffers, sizes. */
	int calls = r.read_calls;
	memset(c.memory, 0xee, MEMORY_SIZE);
	CHECK_EQ(console_read_call(&c, 3, 0, 0x1000, header + 64),
		 BULKHEAD_ENOENT);
	CHECK_EQ(console_read_call(&c, 0, 0, 0x1000, header - 1),
		 BULKHEAD_EINVAL);
	CHECK_EQ(console_read_call(&c, 0, 0, MEMORY_SIZE - header - 63,
				   header + 64),
		 BULKHEAD_EFAULT);
	CHECK_EQ(console_read_call(&c, 0, 0, UINT64_MAX - 8, header + 64),
		 BULKHEAD_EFAULT);
	CHECK_EQ(r.read_calls, calls);
	/* A position past the newest byte: the operation refuses it, and
	 * nothing is written. */
	CHECK_EQ(console_read_call(&c, 0, LOG_WRITTEN + 1, 0x1000,
				   header + 64),
		 BULKHEAD_EINVAL);
	for (uint64_t i = 0; i < MEMORY_SIZE; i++)
		if (c.memory[i] != 0xee) {
			CHECK_EQ(c.memory[i], 0xee);
			break;
		}
	/* The header alone: a read of nothing, the header filled. */
	CHECK_EQ(console_read_call(&c, 0, 9000, 0x1000, header), 0);
	memcpy(&log, c.memory + 0x1000, sizeof(log));
	CHECK_EQ(log.next, 9000);
	c.cpl = 3;
	CHECK_EQ(console_read_call(&c, 0, 0, 0x1000, header + 64),
		 BULKHEAD_EPERM);
	release(&c);
}

static void run_tests(void)
{
	test_state_machine();
	test_channel_layout();
	test_channel_calls();
	test_permissions();
	test_grown_structures();
	test_console_read();
}
