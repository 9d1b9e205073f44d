/* SPDX-License-Identifier: MIT */
/*
 * Where a partition sees its channels: right after its memory, in the
 * order of the channels in the configuration, each on whole pages. Pure,
 * shared by the core (stage-2 and guest tables, hypercalls) and unit tests.
 */
#ifndef BULKHEAD_CORE_PARTITION_CHANNEL_LAYOUT_H
#define BULKHEAD_CORE_PARTITION_CHANNEL_LAYOUT_H

#include <bulkhead/config.h>

struct channel_slot {
	uint32_t channel;       /* index in config->channels */
	uint32_t end;           /* 0 or 1: the partition's place in peers */
	uint32_t peer;          /* the partition at the other end */
	uint64_t guest_address; /* where this partition sees the memory */
	uint64_t size;
};

/* Fills slots with the partition's channels; returns how many. */
unsigned channel_layout(const struct config *config, uint32_t partition,
			struct channel_slot slots[CONFIG_MAX_PARTITION_CHANNELS]);

/* The slot of `partition` in channel `channel`, or -1 if not a peer. */
int channel_slot_of(const struct config *config, uint32_t partition,
		    uint32_t channel);

#endif
