/* SPDX-License-Identifier: MIT */
/* The partition state machine; see partition_state.h. */
#include "partition_state.h"

bool partition_next_state(enum partition_state from, enum partition_event event,
			  enum partition_state *to)
{
	bool running = from == PARTITION_RUNNING;
	bool ended = from == PARTITION_STOPPED || from == PARTITION_FAULTED ||
		     from == PARTITION_EXITED;

	switch (event) {
	case PARTITION_EVENT_FAULT:
		*to = PARTITION_FAULTED;
		return running;
	case PARTITION_EVENT_FAULT_RESTART:
		*to = PARTITION_RESTARTING;
		return running;
	case PARTITION_EVENT_EXIT:
		*to = PARTITION_EXITED;
		return running;
	case PARTITION_EVENT_STOP:
		*to = PARTITION_STOPPED;
		return running;
	case PARTITION_EVENT_START:
		*to = PARTITION_RESTARTING;
		return ended;
	case PARTITION_EVENT_RESTART:
		*to = PARTITION_RESTARTING;
		return running || ended;
	case PARTITION_EVENT_LOADED:
		*to = PARTITION_RUNNING;
		return from == PARTITION_RESTARTING;
	}
	return false;
}
