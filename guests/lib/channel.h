/* SPDX-License-Identifier: MIT */
/*
 * Channels seen from a guest: the hypervisor's description of one channel
 * (BULKHEAD_HC_CHANNEL_INFO) together with a pointer to its shared memory,
 * which the identity map already covers, and its doorbell.
 */
#ifndef GUEST_CHANNEL_H
#define GUEST_CHANNEL_H

#include <bulkhead/hypercall.h>
#include <stdint.h>

struct guest_channel {
	unsigned index;                    /* the caller's channel number */
	struct bulkhead_channel_info info; /* address, size, peer, vector */
	volatile void *memory;             /* == info.address, shared */
};

/* Fills *channel for channel index; returns 0 or the hypercall's error. */
int64_t guest_channel_open(unsigned index, struct guest_channel *channel);

/* Rings the peer's doorbell; 0, or BULKHEAD_ESRCH when the peer is not
 * running. */
int64_t guest_channel_notify(const struct guest_channel *channel);

/* Human-readable name of a BULKHEAD_E* code ("EPERM", ...), or "?". */
const char *bulkhead_error_name(int64_t error);

/* Name of a BULKHEAD_STATE_* value ("running", ...). */
const char *bulkhead_state_name(uint32_t state);

#endif
