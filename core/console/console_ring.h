/* SPDX-License-Identifier: MIT */
/*
 * A partition's console log: a bounded ring of the last bytes its console
 * showed (pure, unit-tested). Positions count every byte ever appended,
 * from 0 at boot, and never go back, so a reader keeps its place across
 * wraps and restarts and learns how much it missed. The storage is given
 * at boot; nothing here allocates. The caller serialises appends and reads
 * (core/console/console.c takes the console lock).
 */
#ifndef BULKHEAD_CORE_CONSOLE_CONSOLE_RING_H
#define BULKHEAD_CORE_CONSOLE_CONSOLE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct console_ring {
	uint8_t *data;	  /* size bytes, given at boot */
	uint64_t size;	  /* 0: no log kept */
	uint64_t written; /* bytes appended since boot: the next position */
};

/* What one read found. */
struct console_ring_read {
	uint64_t length;  /* bytes copied out */
	uint64_t next;	  /* the position after them */
	uint64_t lost;	  /* bytes before them no longer kept */
	uint64_t written; /* bytes the ring took in since boot */
};

void console_ring_init(struct console_ring *ring, uint8_t *data, uint64_t size);

/* Appends bytes; once full, each new byte replaces the oldest. */
void console_ring_append(struct console_ring *ring, const void *bytes,
			 size_t length);

/* The oldest position the ring still holds. */
uint64_t console_ring_oldest(const struct console_ring *ring);

/*
 * Copies up to capacity bytes from position on into out. A position older
 * than the oldest kept starts at the oldest (result->lost says how many
 * were skipped); a position past the newest is refused (false, nothing
 * copied).
 */
bool console_ring_read(const struct console_ring *ring, uint64_t position,
		       uint8_t *out, size_t capacity,
		       struct console_ring_read *result);

#endif
