/* SPDX-License-Identifier: MIT */
/*
 * A virtual 8254 PIT, channel 0 only, for PC partitions: the control word
 * (counter select, access mode lobyte / hibyte / both, mode), the count
 * written and read through port 0x40, the counter latch command, and the
 * periodic interrupt of modes 2 (rate generator) and 3 (square wave),
 * which the caller raises as IRQ 0. Pure: time is a TSC value the caller
 * passes in, converted at the PIT's 1.193182 MHz; the caller locks.
 */
#ifndef BULKHEAD_CORE_PLATFORM_PIT_MODEL_H
#define BULKHEAD_CORE_PLATFORM_PIT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define VPIT_HZ 1193182ull
/* Port offsets from 0x40. */
#define VPIT_PORT_COUNTER0 0
#define VPIT_PORT_CONTROL  3

#define VPIT_ACCESS_LATCH 0
#define VPIT_ACCESS_LOW	  1
#define VPIT_ACCESS_HIGH  2
#define VPIT_ACCESS_BOTH  3

/* Channel 0's state; read and change it through the functions below. */
struct vpit {
	uint64_t tsc_hz;   /* TSC ticks per second */
	uint8_t mode;	   /* 0-5 (6 and 7 are stored as 2 and 3) */
	uint8_t access;	   /* VPIT_ACCESS_LOW, _HIGH or _BOTH */
	bool write_high;   /* access both: the next write is the high byte */
	bool read_high;	   /* access both: the next read is the high byte */
	uint8_t low_byte;  /* access both: the low byte written first */
	bool latched;	   /* a latched count waits to be read */
	uint16_t latch;	   /* the latched count */
	bool latch_high;   /* access both: the latch's high byte is next */
	uint32_t reload;   /* the count written, 1-65536; 0: never written */
	uint64_t start;	   /* TSC when counting from reload began */
	uint64_t deadline; /* TSC of the next interrupt; 0: none due */
};

/* Power-on: no count written, nothing counting or due. */
void vpit_reset(struct vpit *pit, uint64_t tsc_hz);

/* One byte read or written at port 0x40 + offset (offset 0-3); counters 1
 * and 2 do not count and read 0, as does the control port. */
uint8_t vpit_read(struct vpit *pit, unsigned offset, uint64_t now);
void vpit_write(struct vpit *pit, unsigned offset, uint8_t value, uint64_t now);

/* The count a read would see at now, without the latch or byte order. */
uint16_t vpit_count(const struct vpit *pit, uint64_t now);

/* When an interrupt is due by now: moves the deadline past now (missed
 * periods are skipped, not replayed) and returns true: one edge on IRQ 0.
 * Only modes 2 and 3 interrupt. */
bool vpit_fire(struct vpit *pit, uint64_t now);
/* TSC of the next interrupt, 0 when none is due. */
uint64_t vpit_next(const struct vpit *pit);

#endif
