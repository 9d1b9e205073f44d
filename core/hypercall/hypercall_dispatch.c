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
	return copy_out(context, address, size, &state, sizeof(state));
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
	return copy_out(context, address, size, &result, sizeof(result));
}

int64_t hypercall_handle(struct hypercall_context *context, uint64_t number,
			 uint64_t argument0, uint64_t argument1,
			 uint64_t argument2, uint64_t argument3)
{
	(void)argument3;
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
	case BULKHEAD_HC_COUNT:
		break;
	}
	return BULKHEAD_ENOSYS;
}
