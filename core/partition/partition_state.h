/* SPDX-License-Identifier: MIT */
/*
 * The state machine of a partition, pure so it is unit-tested:
 *
 *   running    --fault--------------> faulted     (or restarting, on fault
 *   running    --exit---------------> exited       with restarts left)
 *   running    --stop---------------> stopped
 *   running    --restart------------> restarting
 *   stopped/faulted/exited --start or restart--> restarting
 *   restarting --loaded-------------> running
 *
 * Anything else is refused and leaves the state unchanged.
 */
#ifndef BULKHEAD_CORE_PARTITION_PARTITION_STATE_H
#define BULKHEAD_CORE_PARTITION_PARTITION_STATE_H

#include <stdbool.h>

#include <bulkhead/hypercall.h>

/* The values match enum bulkhead_partition_state_value of the ABI. */
enum partition_state {
	PARTITION_RUNNING = BULKHEAD_STATE_RUNNING,
	PARTITION_STOPPED = BULKHEAD_STATE_STOPPED, /* by a management call */
	PARTITION_FAULTED = BULKHEAD_STATE_FAULTED, /* by the hypervisor */
	PARTITION_RESTARTING = BULKHEAD_STATE_RESTARTING,
	PARTITION_EXITED = BULKHEAD_STATE_EXITED,   /* the guest called exit */
};

enum partition_event {
	PARTITION_EVENT_FAULT,
	PARTITION_EVENT_FAULT_RESTART, /* a fault with restarts left */
	PARTITION_EVENT_EXIT,
	PARTITION_EVENT_STOP,
	PARTITION_EVENT_START,
	PARTITION_EVENT_RESTART,
	PARTITION_EVENT_LOADED, /* the image is reloaded: run again */
};

/* The state after event, or false when the event does not apply. */
bool partition_next_state(enum partition_state from, enum partition_event event,
			  enum partition_state *to);

/* Running or restarting: the partition counts towards the run. */
static inline bool partition_state_live(enum partition_state state)
{
	return state == PARTITION_RUNNING || state == PARTITION_RESTARTING;
}

#endif
