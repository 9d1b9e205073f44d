/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of hypercall dispatch (core/hypercall/hypercall_dispatch.c): every call of ABI v1
 * with good and hostile arguments, over a 64 KiB heap buffer standing in
 * for guest memory (ASan catches any access outside it) and recording
 * console and exit callbacks. A refused call must have no side effect.
 */
#include "core/hypercall/hypercall_dispatch.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_hypercall")

#define MEMORY_SIZE 0x10000ull

struct recorder {
	char text[2 * BULKHEAD_CONSOLE_WRITE_MAX];
	size_t length;
	unsigned console_calls;
	unsigned exit_calls;
	int64_t exit_status;
	const void *last_text; /* the pointer the callback was given */
};

static void record_console(void *owner, const char *text, size_t length)
{
	struct recorder *r = owner;

	r->console_calls++;
	r->last_text = text;
	if (length <= sizeof(r->text)) {
		memcpy(r->text, text, length);
		r->length = length;
	}
}

static void record_exit(void *owner, int64_t status)
{
	struct recorder *r = owner;

	r->exit_calls++;
	r->exit_status = status;
}

struct fixture {
	struct hypercall_context context;
	struct recorder recorder;
	uint8_t *snapshot; /* memory before the call */
};

static struct fixture the_fixture;

/* Operations that only record: the calls added with ABI 1.1 are tested in
 * test_hypercall_lifecycle.c. */
static void unused_channel_info(void *owner, uint32_t channel,
				struct bulkhead_channel_info *info)
{
	(void)owner, (void)channel, (void)info;
	check_failed++;
}

static int64_t unused_channel_notify(void *owner, uint32_t channel)
{
	(void)owner, (void)channel;
	check_failed++;
	return 0;
}

static void unused_partition_state(void *owner, uint32_t partition,
				   struct bulkhead_partition_state *state)
{
	(void)owner, (void)partition, (void)state;
	check_failed++;
}

static int64_t unused_partition_control(void *owner, uint32_t partition,
					enum bulkhead_partition_operation op)
{
	(void)owner, (void)partition, (void)op;
	check_failed++;
	return 0;
}

static void unused_stats(void *owner, uint32_t partition,
			 struct bulkhead_stats *stats)
{
	(void)owner, (void)partition, (void)stats;
	check_failed++;
}

static int64_t unused_console_read(void *owner, uint32_t partition,
				   uint64_t position, uint8_t *data,
				   uint32_t capacity,
				   struct bulkhead_console_log *log)
{
	(void)owner, (void)partition, (void)position, (void)data;
	(void)capacity, (void)log;
	check_failed++;
	return 0;
}

static void record_console(void *owner, const char *text, size_t length);
static void record_exit(void *owner, int64_t status);

static const struct hypercall_operations recording_operations = {
	.console_write = record_console,
	.exit = record_exit,
	.channel_info = unused_channel_info,
	.channel_notify = unused_channel_notify,
	.partition_state = unused_partition_state,
	.partition_control = unused_partition_control,
	.stats = unused_stats,
	.console_read = unused_console_read,
};

static void release(void)
{
	struct fixture *f = &the_fixture;

	free(f->context.memory);
	free(f->context.bounce);
	free(f->snapshot);
	memset(f, 0, sizeof(*f));
}

/* A fresh context (the previous one released) over patterned memory. */
static struct fixture *setup(void)
{
	struct fixture *f = &the_fixture;

	release();
	f->context.memory = malloc(MEMORY_SIZE);
	for (uint64_t i = 0; i < MEMORY_SIZE; i++)
		f->context.memory[i] = (uint8_t)(i * 7 + 3);
	f->context.memory_size = MEMORY_SIZE;
	f->context.bounce = malloc(BULKHEAD_CONSOLE_WRITE_MAX);
	f->context.cpl = 0;
	f->context.info = (struct bulkhead_partition_info){
		.abi_version = BULKHEAD_ABI_VERSION,
		.partition_id = 2,
		.name = "hello",
		.cpu_count = 4,
		.vcpu_index = 3,
		.memory_size = MEMORY_SIZE,
		.partition_count = 5,
		.reserved = 0,
	};
	f->context.operations = &recording_operations;
	f->context.partition_id = 2;
	f->context.partition_count = 5;
	f->context.owner = &f->recorder;
	f->snapshot = malloc(MEMORY_SIZE);
	memcpy(f->snapshot, f->context.memory, MEMORY_SIZE);
	return f;
}

static bool memory_unchanged(const struct fixture *f)
{
	return memcmp(f->snapshot, f->context.memory, MEMORY_SIZE) == 0;
}

static int64_t call(struct fixture *f, uint64_t number, uint64_t a0,
		    uint64_t a1)
{
	return hypercall_handle(&f->context, number, a0, a1, 0xdead, 0xbeef);
}

static void test_version_and_unknown(void)
{
	struct fixture *f = setup();
	static const uint64_t unknown[] = { BULKHEAD_HC_COUNT, 10, 1000,
					    1ull << 32, UINT64_MAX };

	CHECK_EQ(call(f, BULKHEAD_HC_VERSION, 0, 0), BULKHEAD_ABI_VERSION);
	CHECK_EQ(BULKHEAD_ABI_VERSION, 0x10003);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		CHECK_EQ(call(f, unknown[i], 0, 0x10), BULKHEAD_ENOSYS);
		CHECK_EQ(hypercall_handle(&f->context, unknown[i], 0x100, 0x10,
					  0, 0),
			 BULKHEAD_ENOSYS);
	}
	CHECK_EQ(f->recorder.console_calls, 0);
	CHECK_EQ(f->recorder.exit_calls, 0);
	CHECK(memory_unchanged(f));
	/* Only the one VERSION call was counted. */
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_VERSION], 1);
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_PARTITION_INFO], 0);
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_CONSOLE_WRITE], 0);
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_EXIT], 0);
}

static void test_user_mode(void)
{
	static const unsigned cpls[] = { 1, 3 };

	for (size_t c = 0; c < 2; c++) {
		struct fixture *f = setup();

		f->context.cpl = cpls[c];
		CHECK_EQ(call(f, BULKHEAD_HC_VERSION, 0, 0), BULKHEAD_EPERM);
		CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, 0x100,
			      sizeof(struct bulkhead_partition_info)),
			 BULKHEAD_EPERM);
		CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, 0x100, 16),
			 BULKHEAD_EPERM);
		CHECK_EQ(call(f, BULKHEAD_HC_EXIT, 7, 0), BULKHEAD_EPERM);
		CHECK_EQ(call(f, BULKHEAD_HC_COUNT, 0, 0), BULKHEAD_ENOSYS);
		CHECK_EQ(f->recorder.console_calls, 0);
		CHECK_EQ(f->recorder.exit_calls, 0);
		CHECK(memory_unchanged(f));
	}
}

static void test_console_write(void)
{
	struct fixture *f = setup();
	const uint64_t max = BULKHEAD_CONSOLE_WRITE_MAX;

	memcpy(f->context.memory + 0x2000, "hello, bulkhead\n", 16);
	memcpy(f->snapshot + 0x2000, "hello, bulkhead\n", 16);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, 0x2000, 16), 16);
	CHECK_EQ(f->recorder.console_calls, 1);
	CHECK_EQ(f->recorder.length, 16);
	CHECK(memcmp(f->recorder.text, "hello, bulkhead\n", 16) == 0);
	/* The callback saw the bounce buffer, not guest memory. */
	CHECK(f->recorder.last_text == f->context.bounce);
	CHECK(memcmp(f->context.bounce, "hello, bulkhead\n", 16) == 0);
	/* A later change of guest memory cannot reach what was written. */
	memset(f->context.memory + 0x2000, 'X', 16);
	CHECK(memcmp(f->context.bounce, "hello, bulkhead\n", 16) == 0);
	memcpy(f->context.memory + 0x2000, "hello, bulkhead\n", 16);
	CHECK(memory_unchanged(f)); /* console write only reads */

	/* Length 0, anywhere up to the end of memory. */
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, 0x10, 0), 0);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, MEMORY_SIZE, 0), 0);
	CHECK_EQ(f->recorder.length, 0);
	unsigned calls = f->recorder.console_calls;

	/* Outside, straddling, wrapping. */
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, MEMORY_SIZE, 1),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, MEMORY_SIZE - 8, 9),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, MEMORY_SIZE - 1, max),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, UINT64_MAX - 0xf, 0x20),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, UINT64_MAX, 1),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, MEMORY_SIZE + 1, 0),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, 1ull << 40, 1),
		 BULKHEAD_EFAULT);

	/* Too long, however valid the address. */
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, 0, max + 1),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, 0, UINT64_MAX),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, 0, MEMORY_SIZE),
		 BULKHEAD_EINVAL);
	CHECK_EQ(f->recorder.console_calls, calls);

	/* Exactly the maximum, ending at the last byte of memory. */
	CHECK_EQ(call(f, BULKHEAD_HC_CONSOLE_WRITE, MEMORY_SIZE - max, max),
		 (int64_t)max);
	CHECK_EQ(f->recorder.console_calls, calls + 1);
	CHECK_EQ(f->recorder.length, max);
	CHECK(memcmp(f->recorder.text, f->context.memory + MEMORY_SIZE - max,
		     max) == 0);
	CHECK(memory_unchanged(f));
}

static void test_partition_info(void)
{
	struct fixture *f = setup();
	const uint64_t size = sizeof(struct bulkhead_partition_info);
	const uint64_t at = 0x3000;
	struct bulkhead_partition_info info;

	CHECK_EQ(size, 64);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, at, size), 0);
	memcpy(&info, f->context.memory + at, sizeof(info));
	CHECK(memcmp(&info, &f->context.info, sizeof(info)) == 0);
	CHECK_EQ(info.abi_version, BULKHEAD_ABI_VERSION);
	CHECK_EQ(info.partition_id, 2);
	CHECK(strcmp(info.name, "hello") == 0);
	CHECK_EQ(info.cpu_count, 4);
	CHECK_EQ(info.vcpu_index, 3);
	CHECK_EQ(info.memory_size, MEMORY_SIZE);
	CHECK_EQ(info.partition_count, 5);
	/* Exactly sizeof bytes written: the guard bytes are as they were. */
	CHECK(memcmp(f->context.memory, f->snapshot, at) == 0);
	CHECK(memcmp(f->context.memory + at + size, f->snapshot + at + size,
		     MEMORY_SIZE - at - size) == 0);

	/* A larger buffer still gets exactly sizeof bytes. */
	f = setup();
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, at, 4096), 0);
	CHECK(memcmp(f->context.memory + at + size, f->snapshot + at + size,
		     MEMORY_SIZE - at - size) == 0);

	/* Exactly at the end of memory; unaligned is fine too. */
	f = setup();
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, MEMORY_SIZE - size, size),
		 0);
	CHECK(memcmp(f->context.memory + MEMORY_SIZE - size, &f->context.info,
		     size) == 0);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, 0x1001, size), 0);
	CHECK(memcmp(f->context.memory + 0x1001, &f->context.info, size) == 0);

	/* Refusals leave memory untouched. */
	f = setup();
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, at, size - 1),
		 BULKHEAD_EINVAL);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, at, 0), BULKHEAD_EINVAL);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, MEMORY_SIZE, size),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, MEMORY_SIZE - size + 1,
		      size),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, MEMORY_SIZE - 8,
		      UINT64_MAX),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, UINT64_MAX - 0x1f, size),
		 BULKHEAD_EFAULT);
	CHECK_EQ(call(f, BULKHEAD_HC_PARTITION_INFO, 1ull << 40, size),
		 BULKHEAD_EFAULT);
	CHECK(memory_unchanged(f));
	CHECK_EQ(f->recorder.console_calls, 0);
}

static void test_exit(void)
{
	struct fixture *f = setup();

	CHECK_EQ(call(f, BULKHEAD_HC_EXIT, 42, 0), 0);
	CHECK_EQ(f->recorder.exit_calls, 1);
	CHECK_EQ(f->recorder.exit_status, 42);
	CHECK_EQ(call(f, BULKHEAD_HC_EXIT, (uint64_t)-3, 0), 0);
	CHECK_EQ(f->recorder.exit_calls, 2);
	CHECK(f->recorder.exit_status == -3);
	CHECK_EQ(call(f, BULKHEAD_HC_EXIT, (uint64_t)INT64_MIN, 0), 0);
	CHECK(f->recorder.exit_status == INT64_MIN);
	CHECK_EQ(call(f, BULKHEAD_HC_EXIT, 0, 0), 0);
	CHECK(f->recorder.exit_status == 0);
	CHECK_EQ(f->recorder.console_calls, 0);
	CHECK(memory_unchanged(f));
}

static void test_call_counts(void)
{
	struct fixture *f = setup();

	for (int i = 0; i < 3; i++)
		call(f, BULKHEAD_HC_VERSION, 0, 0);
	call(f, BULKHEAD_HC_PARTITION_INFO, 0x100, 64);
	call(f, BULKHEAD_HC_PARTITION_INFO, MEMORY_SIZE, 64); /* fails */
	for (int i = 0; i < 5; i++)
		call(f, BULKHEAD_HC_CONSOLE_WRITE, 0x100, 1);
	call(f, BULKHEAD_HC_EXIT, 1, 0);
	call(f, BULKHEAD_HC_COUNT, 0, 0);
	call(f, UINT64_MAX, 0, 0);
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_VERSION], 3);
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_PARTITION_INFO], 2);
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_CONSOLE_WRITE], 5);
	CHECK_EQ(f->context.call_counts[BULKHEAD_HC_EXIT], 1);
}

static void run_tests(void)
{
	test_version_and_unknown();
	test_user_mode();
	test_console_write();
	test_partition_info();
	test_exit();
	test_call_counts();
	release();
}
