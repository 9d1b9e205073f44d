/* SPDX-License-Identifier: MIT */
/*
 * The partitions the core runs and what anyone may read of them: the table
 * of partitions, state names, and the state other partitions are told of.
 * Building them is partition_build.c's, changing their state
 * partition_lifecycle.c's.
 */
#include "partition.h"

struct partition *partitions[CONFIG_MAX_PARTITIONS];
uint32_t partition_count;
const struct bootinfo *boot_info;

const char *partition_state_name(enum partition_state state)
{
	switch (state) {
	case PARTITION_RUNNING:
		return "running";
	case PARTITION_STOPPED:
		return "stopped";
	case PARTITION_FAULTED:
		return "faulted";
	case PARTITION_RESTARTING:
		return "restarting";
	case PARTITION_EXITED:
		return "exited";
	}
	return "?";
}

enum partition_state partition_visible_state(const struct partition *p)
{
	enum partition_state state = p->state;

	if (state != PARTITION_STOPPED && state != PARTITION_FAULTED &&
	    state != PARTITION_EXITED)
		return state;
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		if (p->vcpus[v]->in_guest_loop)
			return PARTITION_RUNNING;
	return state;
}
