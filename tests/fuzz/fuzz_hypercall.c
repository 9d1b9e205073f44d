/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the hypercall dispatcher (core/hypercall/hypercall_dispatch.c)
 * with a model partition: 64 KiB of guest memory in an exact-size heap
 * buffer (ASan sees any access outside it), a bounce buffer, and
 * operations that only check. Each 34-byte record of the input is one
 * call: the privilege level, the management right, the number and four
 * arguments. A refused call (a negative result) writes nothing to guest
 * memory; the operations see only channel and partition indexes below
 * their counts, console text of at most BULKHEAD_CONSOLE_WRITE_MAX
 * bytes and console reads of at most BULKHEAD_CONSOLE_READ_MAX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hypercall/hypercall_dispatch.h"

#define MEMORY_SIZE 0x10000u
#define CHANNELS 3
#define PARTITIONS 4
#define RECORD 34

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void console_write(void *owner, const char *text, size_t length)
{
	(void)owner;
	if (length > BULKHEAD_CONSOLE_WRITE_MAX)
		abort();
	volatile char sink = 0;

	for (size_t i = 0; i < length; i++)
		sink ^= text[i]; /* every byte readable */
	(void)sink;
}

static void exit_call(void *owner, int64_t status)
{
	(void)owner, (void)status;
}

static void channel_info(void *owner, uint32_t channel,
			 struct bulkhead_channel_info *info)
{
	(void)owner;
	if (channel >= CHANNELS)
		abort();
	memset(info, 0, sizeof(*info));
}

static int64_t channel_notify(void *owner, uint32_t channel)
{
	(void)owner;
	if (channel >= CHANNELS)
		abort();
	return 0;
}

static void partition_state(void *owner, uint32_t partition,
			    struct bulkhead_partition_state *state)
{
	(void)owner;
	if (partition >= PARTITIONS)
		abort();
	memset(state, 0, sizeof(*state));
}

static int64_t partition_control(void *owner, uint32_t partition,
				 enum bulkhead_partition_operation operation)
{
	(void)owner, (void)operation;
	if (partition >= PARTITIONS)
		abort();
	return 0;
}

static void stats(void *owner, uint32_t partition, struct bulkhead_stats *out)
{
	(void)owner;
	if (partition >= PARTITIONS)
		abort();
	memset(out, 0, sizeof(*out));
}

static int64_t console_read(void *owner, uint32_t partition, uint64_t position,
			    uint8_t *data, uint32_t capacity,
			    struct bulkhead_console_log *log)
{
	(void)owner;
	if (partition >= PARTITIONS || capacity > BULKHEAD_CONSOLE_READ_MAX)
		abort();
	if (position > 5000)
		return BULKHEAD_EINVAL;
	memset(data, 0x33, capacity); /* every byte writable */
	log->length = capacity;
	log->next = position + capacity;
	return 0;
}

static const struct hypercall_operations operations = {
	console_write, exit_call,	  channel_info,	  channel_notify,
	partition_state, partition_control, stats, console_read,
};

static uint64_t take64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Arguments near the edges of memory and of the address space are the
 * interesting ones: the top bits of each pick an edge to add to. */
static uint64_t argument(const uint8_t *p)
{
	uint64_t v = take64(p);
	static const uint64_t edges[4] = { 0, MEMORY_SIZE, ~0ull, 1ull << 63 };

	return (v >> 62) == 0 ? v : edges[v >> 62] + (int64_t)(int8_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *memory = malloc(MEMORY_SIZE);
	uint8_t *before = malloc(MEMORY_SIZE);
	uint8_t *bounce = malloc(BULKHEAD_CONSOLE_WRITE_MAX);

	if (!memory || !before || !bounce)
		abort();
	memset(memory, 0x5a, MEMORY_SIZE);
	struct hypercall_context context = {
		.memory = memory,
		.memory_size = MEMORY_SIZE,
		.bounce = bounce,
		.partition_id = 1,
		.partition_count = PARTITIONS,
		.channel_count = CHANNELS,
		.operations = &operations,
	};

	for (size_t at = 0; at + RECORD <= size; at += RECORD) {
		const uint8_t *r = data + at;

		context.cpl = r[0] & 3;
		context.management = r[0] & 4;
		memcpy(before, memory, MEMORY_SIZE);
		int64_t result = hypercall_handle(&context, r[1] % 13,
						  argument(r + 2),
						  argument(r + 10),
						  argument(r + 18),
						  argument(r + 26));
		if (result < 0 && memcmp(before, memory, MEMORY_SIZE))
			abort(); /* a refused call changed guest memory */
	}
	free(memory);
	free(before);
	free(bounce);
	return 0;
}
