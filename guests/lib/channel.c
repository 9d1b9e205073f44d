/* SPDX-License-Identifier: MIT */
/*
 * Channel helpers and names for ABI codes.
 */
#include "channel.h"

#include <string.h>

#include "hypercall.h"

int64_t guest_channel_open(unsigned index, struct guest_channel *channel)
{
	int64_t result;

	memset(channel, 0, sizeof(*channel));
	result = bulkhead_channel_info(index, &channel->info);
	if (result < 0)
		return result;
	channel->index = index;
	channel->memory = (volatile void *)(uintptr_t)channel->info.address;
	return 0;
}

int64_t guest_channel_notify(const struct guest_channel *channel)
{
	return bulkhead_channel_notify(channel->index);
}

const char *bulkhead_error_name(int64_t error)
{
	switch (error) {
	case 0:
		return "ok";
	case BULKHEAD_EPERM:
		return "EPERM";
	case BULKHEAD_ENOENT:
		return "ENOENT";
	case BULKHEAD_ESRCH:
		return "ESRCH";
	case BULKHEAD_EFAULT:
		return "EFAULT";
	case BULKHEAD_EINVAL:
		return "EINVAL";
	case BULKHEAD_ENOSYS:
		return "ENOSYS";
	default:
		return "?";
	}
}

const char *bulkhead_state_name(uint32_t state)
{
	switch (state) {
	case BULKHEAD_STATE_RUNNING:
		return "running";
	case BULKHEAD_STATE_STOPPED:
		return "stopped";
	case BULKHEAD_STATE_FAULTED:
		return "faulted";
	case BULKHEAD_STATE_RESTARTING:
		return "restarting";
	case BULKHEAD_STATE_EXITED:
		return "exited";
	default:
		return "unknown";
	}
}
