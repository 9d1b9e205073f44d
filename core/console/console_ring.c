/* SPDX-License-Identifier: MIT */
/*
 * The console log's ring (console_ring.h): byte positions since boot over
 * a fixed buffer. A position and a capacity come from a guest, so every
 * length here is bounded by what the ring holds and what the caller has
 * room for, and no index is used without reducing it modulo the size.
 */
#include "console_ring.h"

#include <string.h>

void console_ring_init(struct console_ring *ring, uint8_t *data, uint64_t size)
{
	ring->data = data;
	ring->size = data ? size : 0;
	ring->written = 0;
}

void console_ring_append(struct console_ring *ring, const void *bytes,
			 size_t length)
{
	const uint8_t *from = bytes;

	if (!ring->size) {
		ring->written += length;
		return;
	}
	/* Only the last size bytes can survive. */
	if (length > ring->size) {
		ring->written += length - ring->size;
		from += length - ring->size;
		length = ring->size;
	}
	while (length) {
		uint64_t at = ring->written % ring->size;
		uint64_t chunk = ring->size - at;

		if (chunk > length)
			chunk = length;
		memcpy(ring->data + at, from, chunk);
		ring->written += chunk;
		from += chunk;
		length -= chunk;
	}
}

uint64_t console_ring_oldest(const struct console_ring *ring)
{
	return ring->written > ring->size ? ring->written - ring->size : 0;
}

bool console_ring_read(const struct console_ring *ring, uint64_t position,
		       uint8_t *out, size_t capacity,
		       struct console_ring_read *result)
{
	uint64_t oldest = console_ring_oldest(ring);
	uint64_t length, copied = 0;

	if (position > ring->written)
		return false;
	result->lost = 0;
	if (position < oldest) {
		result->lost = oldest - position;
		position = oldest;
	}
	length = ring->written - position;
	if (length > capacity)
		length = capacity;
	while (copied < length) {
		uint64_t at = (position + copied) % ring->size;
		uint64_t chunk = ring->size - at;

		if (chunk > length - copied)
			chunk = length - copied;
		memcpy(out + copied, ring->data + at, chunk);
		copied += chunk;
	}
	result->length = length;
	result->next = position + length;
	result->written = ring->written;
	return true;
}
