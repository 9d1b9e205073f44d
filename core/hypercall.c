/* SPDX-License-Identifier: MIT */
/*
 * The hypercalls of ABI v1 (guests/include/bulkhead/hypercall.h). Nothing a
 * guest passes here can make the hypervisor read or write outside the
 * caller's memory: unknown numbers, bad pointers and absurd lengths come
 * back as negative error codes.
 */
#include "hypercall.h"

#include <string.h>

#include "guest_range.h"

static int64_t console_write(struct hypercall_context *context,
			     uint64_t address, uint64_t length)
{
	if (length > BULKHEAD_CONSOLE_WRITE_MAX)
		return BULKHEAD_EINVAL;
	if (!guest_range_valid(context->memory_size, address, length))
		return BULKHEAD_EFAULT;
	memcpy(context->bounce, context->memory + address, length);
	context->console_write(context->owner, (const char *)context->bounce,
			       length);
	return (int64_t)length;
}

static int64_t partition_info(struct hypercall_context *context,
			      uint64_t address, uint64_t size)
{
	if (size < sizeof(context->info))
		return BULKHEAD_EINVAL;
	if (!guest_range_valid(context->memory_size, address,
			       sizeof(context->info)))
		return BULKHEAD_EFAULT;
	memcpy(context->memory + address, &context->info,
	       sizeof(context->info));
	return 0;
}

int64_t hypercall_handle(struct hypercall_context *context, uint64_t number,
			 uint64_t argument0, uint64_t argument1,
			 uint64_t argument2, uint64_t argument3)
{
	(void)argument2;
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
		return partition_info(context, argument0, argument1);
	case BULKHEAD_HC_CONSOLE_WRITE:
		return console_write(context, argument0, argument1);
	case BULKHEAD_HC_EXIT:
		context->exit(context->owner, (int64_t)argument0);
		return 0;
	case BULKHEAD_HC_COUNT:
		break;
	}
	return BULKHEAD_ENOSYS;
}
