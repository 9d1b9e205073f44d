/* SPDX-License-Identifier: MIT */
/*
 * The hypercalls of ABI v1 (guests/include/bulkhead/hypercall.h). Nothing a
 * guest passes here can make the hypervisor read or write outside the
 * caller's memory or act on a partition it may not: unknown numbers, bad
 * indexes, pointers and lengths, and missing permissions come back as
 * negative error codes.
 */
#include "hypercall_dispatch.h"

#include <string.h>

#include "guest_range.h"

/* Each call's work is out of line: the dispatch itself needs no stack
 * frame, so the calls that do little (the version, a doorbell) cost
 * little (make bench counts the null call). */
#define OUT_OF_LINE __attribute__((noinline))

_Static_assert(BULKHEAD_CONSOLE_READ_MAX <= BULKHEAD_CONSOLE_WRITE_MAX,
	       "console reads pass through the bounce buffer");

/* Copies a result structure out to guest memory after checking where. */
static OUT_OF_LINE int64_t copy_out(struct hypercall_context *context, uint64_t address,
			uint64_t size, const void *result, size_t result_size)
{
	if (size < result_size)
		return BULKHEAD_EINVAL;
	if (!guest_range_valid(context->memory_size, address, result_size))
		return BULKHEAD_EFAULT;
	memcpy(context->memory + address, result, result_size);
	return 0;
}

/* Copies out a structure that grew with the ABI: the caller's size must
 * cover at least the oldest layout (minimum), and as much of the newest as
 * it covers is written. */
static int64_t copy_out_prefix(struct hypercall_context *context,
			       uint64_t address, uint64_t size,
			       const void *result, size_t result_size,
			       size_t minimum)
{
	if (size < minimum)
		return BULKHEAD_EINVAL;
	return copy_out(context, address, size, result,
			size < result_size ? (size_t)size : result_size);
}

static OUT_OF_LINE int64_t console_write(struct hypercall_context *context,
			     uint64_t address, uint64_t length)
{
	if (length > BULKHEAD_CONSOLE_WRITE_MAX)
		return BULKHEAD_EINVAL;
	if (!guest_range_valid(context->memory_size, address, length))
		return BULKHEAD_EFAULT;
	memcpy(context->bounce, context->memory + address, length);
	context->operations->console_write(context->owner,
					   (const char *)context->bounce,
					   length);
	return (int64_t)length;
}

static OUT_OF_LINE int64_t channel_info(struct hypercall_context *context,
			    uint64_t channel, uint64_t address, uint64_t size)
{
	struct bulkhead_channel_info info;

	if (channel >= context->channel_count)
		return BULKHEAD_ENOENT;
	memset(&info, 0, sizeof(info));
	context->operations->channel_info(context->owner, (uint32_t)channel,
					  &info);
	return copy_out(context, address, size, &info, sizeof(info));
}

/* Resolves BULKHEAD_SELF and checks the id and the permission to look at
 * (or act on) another partition. */
static int64_t target_partition(struct hypercall_context *context,
				uint64_t partition, uint32_t *target)
{
	if (partition == BULKHEAD_SELF)
		partition = context->partition_id;
	if (partition >= context->partition_count)
		return BULKHEAD_ENOENT;
	if (partition != context->partition_id && !context->management)
		return BULKHEAD_EPERM;
	*target = (uint32_t)partition;
	return 0;
}

static OUT_OF_LINE int64_t partition_state(struct hypercall_context *context,
			       uint64_t partition, uint64_t address,
			       uint64_t size)
{
	struct bulkhead_partition_state state;
	uint32_t target;
	int64_t result = target_partition(context, partition, &target);

	if (result)
		return result;
	memset(&state, 0, sizeof(state));
	context->operations->partition_state(context->owner, target, &state);
	return copy_out_prefix(context, address, size, &state, sizeof(state),
			       BULKHEAD_PARTITION_STATE_SIZE_1_2);
}

static OUT_OF_LINE int64_t partition_control(struct hypercall_context *context,
				 uint64_t partition, uint64_t operation)
{
	uint32_t target;
	int64_t result;

	if (!context->management)
		return BULKHEAD_EPERM;
	result = target_partition(context, partition, &target);
	if (result)
		return result;
	if (target == context->partition_id)
		return BULKHEAD_EINVAL; /* a partition does not control itself */
	if (operation != BULKHEAD_OP_STOP && operation != BULKHEAD_OP_START &&
	    operation != BULKHEAD_OP_RESTART)
		return BULKHEAD_EINVAL;
	return context->operations->partition_control(
		context->owner, target,
		(enum bulkhead_partition_operation)operation);
}

static OUT_OF_LINE int64_t stats(struct hypercall_context *context, uint64_t partition,
		     uint64_t address, uint64_t size)
{
	struct bulkhead_stats result;
	uint32_t target;
	int64_t error = target_partition(context, partition, &target);

	if (error)
		return error;
	memset(&result, 0, sizeof(result));
	context->operations->stats(context->owner, target, &result);
	return copy_out_prefix(context, address, size, &result, sizeof(result),
			       BULKHEAD_STATS_SIZE_1_2);
}

/* The header and up to BULKHEAD_CONSOLE_READ_MAX bytes: the whole range
 * the caller's size claims (that much at most) must be its own memory
 * before anything is read, and the data passes through the bounce buffer
 * so the header and data go out in one checked copy each. */
static OUT_OF_LINE int64_t console_read(struct hypercall_context *context,
					uint64_t partition, uint64_t position,
					uint64_t address, uint64_t size)
{
	struct bulkhead_console_log log;
	uint64_t capacity;
	uint32_t target;
	int64_t result = target_partition(context, partition, &target);

	if (result)
		return result;
	if (size < sizeof(log))
		return BULKHEAD_EINVAL;
	capacity = size - sizeof(log);
	if (capacity > BULKHEAD_CONSOLE_READ_MAX)
		capacity = BULKHEAD_CONSOLE_READ_MAX;
	if (!guest_range_valid(context->memory_size, address,
			       sizeof(log) + capacity))
		return BULKHEAD_EFAULT;
	memset(&log, 0, sizeof(log));
	result = context->operations->console_read(
		context->owner, target, position, context->bounce,
		(uint32_t)capacity, &log);
	if (result)
		return result;
	if (log.length > capacity)
		log.length = (uint32_t)capacity; /* never more than checked */
	memcpy(context->memory + address, &log, sizeof(log));
	memcpy(context->memory + address + sizeof(log), context->bounce,
	       log.length);
	return log.length;
}

int64_t hypercall_handle(struct hypercall_context *context, uint64_t number,
			 uint64_t argument0, uint64_t argument1,
			 uint64_t argument2, uint64_t argument3)
{
	if (number >= BULKHEAD_HC_COUNT)
		return BULKHEAD_ENOSYS;
	if (context->cpl != 0)
		return BULKHEAD_EPERM;
	context->call_counts[number]++;
	switch ((enum bulkhead_hypercall)number) {
	case BULKHEAD_HC_VERSION:
		return BULKHEAD_ABI_VERSION;
	case BULKHEAD_HC_PARTITION_INFO:
		return copy_out(context, argument0, argument1, &context->info,
				sizeof(context->info));
	case BULKHEAD_HC_CONSOLE_WRITE:
		return console_write(context, argument0, argument1);
	case BULKHEAD_HC_EXIT:
		context->operations->exit(context->owner, (int64_t)argument0);
		return 0;
	case BULKHEAD_HC_CHANNEL_INFO:
		return channel_info(context, argument0, argument1, argument2);
	case BULKHEAD_HC_CHANNEL_NOTIFY:
		if (argument0 >= context->channel_count)
			return BULKHEAD_ENOENT;
		return context->operations->channel_notify(context->owner,
							   (uint32_t)argument0);
	case BULKHEAD_HC_PARTITION_STATE:
		return partition_state(context, argument0, argument1,
				       argument2);
	case BULKHEAD_HC_PARTITION_CONTROL:
		return partition_control(context, argument0, argument1);
	case BULKHEAD_HC_STATS:
		return stats(context, argument0, argument1, argument2);
	case BULKHEAD_HC_CONSOLE_READ:
		return console_read(context, argument0, argument1, argument2,
				    argument3);
	case BULKHEAD_HC_COUNT:
		break;
	}
	return BULKHEAD_ENOSYS;
}
