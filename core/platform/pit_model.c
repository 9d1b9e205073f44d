/* SPDX-License-Identifier: MIT */
/*
 * The virtual 8254's channel 0 (see pit_model.h). Counting is derived from
 * the TSC: the count at any moment is computed from when the count was
 * written, never stepped, so the model needs no timer of its own; the
 * caller asks for the next interrupt's TSC and arms its own timer. Modes
 * other than 2 and 3 count down and wrap but never interrupt (Linux writes
 * mode 0 to silence a PIT it does not use).
 */
#include "pit_model.h"

#define CONTROL_SELECT_SHIFT 6
#define CONTROL_ACCESS_SHIFT 4
#define CONTROL_MODE_SHIFT   1
#define SELECT_READ_BACK     3

/* TSC ticks to PIT clocks and back, split so nothing overflows: tsc_hz is
 * below 2^34 and VPIT_HZ below 2^21. */
static uint64_t clocks_since(const struct vpit *pit, uint64_t now)
{
	uint64_t t = now > pit->start ? now - pit->start : 0;

	return t / pit->tsc_hz * VPIT_HZ +
	       t % pit->tsc_hz * VPIT_HZ / pit->tsc_hz;
}

static uint64_t tsc_after(const struct vpit *pit, uint64_t clocks)
{
	return pit->start + clocks / VPIT_HZ * pit->tsc_hz +
	       (clocks % VPIT_HZ * pit->tsc_hz + VPIT_HZ - 1) / VPIT_HZ;
}

static bool periodic(const struct vpit *pit)
{
	return pit->mode == 2 || pit->mode == 3;
}

void vpit_reset(struct vpit *pit, uint64_t tsc_hz)
{
	*pit = (struct vpit){.tsc_hz = tsc_hz ? tsc_hz : 1,
			     .access = VPIT_ACCESS_BOTH};
}

uint16_t vpit_count(const struct vpit *pit, uint64_t now)
{
	uint64_t elapsed, phase, half;

	if (!pit->reload)
		return 0;
	elapsed = clocks_since(pit, now);
	if (pit->mode == 2)
		return (uint16_t)(pit->reload - elapsed % pit->reload);
	if (pit->mode == 3) {
		/* Counts by two from reload to 0 in each half period. */
		half = pit->reload / 2 ? pit->reload / 2 : 1;
		phase = elapsed % pit->reload % half;
		return (uint16_t)((pit->reload - 2 * phase) & ~1u);
	}
	return (uint16_t)(pit->reload - elapsed % 0x10000);
}

/* A complete count starts counting: at once in every mode this model
 * offers, as with the gate high. */
static void load(struct vpit *pit, uint32_t count, uint64_t now)
{
	pit->reload = count ? count : 0x10000;
	pit->start = now;
	pit->deadline = periodic(pit) ? tsc_after(pit, pit->reload) : 0;
}

static void control_write(struct vpit *pit, uint8_t value, uint64_t now)
{
	unsigned select = value >> CONTROL_SELECT_SHIFT;
	unsigned access = (value >> CONTROL_ACCESS_SHIFT) & 3;
	unsigned mode = (value >> CONTROL_MODE_SHIFT) & 7;

	if (select != 0)
		return; /* counters 1 and 2, and read-back, are not offered */
	if (access == VPIT_ACCESS_LATCH) {
		if (!pit->latched && pit->reload) {
			pit->latched = true;
			pit->latch = vpit_count(pit, now);
			pit->latch_high = false;
		}
		return;
	}
	/* A new mode stops the counter until its count is written. */
	pit->access = (uint8_t)access;
	pit->mode = (uint8_t)(mode > 5 ? mode - 4 : mode);
	pit->write_high = false;
	pit->read_high = false;
	pit->latched = false;
	pit->reload = 0;
	pit->deadline = 0;
}

void vpit_write(struct vpit *pit, unsigned offset, uint8_t value, uint64_t now)
{
	if (offset == VPIT_PORT_CONTROL) {
		control_write(pit, value, now);
		return;
	}
	if (offset != VPIT_PORT_COUNTER0)
		return;
	switch (pit->access) {
	case VPIT_ACCESS_LOW:
		load(pit, value, now);
		break;
	case VPIT_ACCESS_HIGH:
		load(pit, (uint32_t)value << 8, now);
		break;
	default:
		if (!pit->write_high) {
			pit->low_byte = value;
			pit->write_high = true;
			return;
		}
		pit->write_high = false;
		load(pit, pit->low_byte | (uint32_t)value << 8, now);
		break;
	}
}

static uint8_t byte_of(uint16_t count, unsigned access, bool high)
{
	if (access == VPIT_ACCESS_HIGH || (access == VPIT_ACCESS_BOTH && high))
		return (uint8_t)(count >> 8);
	return (uint8_t)count;
}

uint8_t vpit_read(struct vpit *pit, unsigned offset, uint64_t now)
{
	uint8_t byte;

	if (offset != VPIT_PORT_COUNTER0)
		return 0;
	if (pit->latched) {
		byte = byte_of(pit->latch, pit->access, pit->latch_high);
		if (pit->access == VPIT_ACCESS_BOTH && !pit->latch_high)
			pit->latch_high = true;
		else
			pit->latched = false;
		return byte;
	}
	byte = byte_of(vpit_count(pit, now), pit->access, pit->read_high);
	if (pit->access == VPIT_ACCESS_BOTH)
		pit->read_high = !pit->read_high;
	return byte;
}

bool vpit_fire(struct vpit *pit, uint64_t now)
{
	uint64_t periods;

	if (!pit->deadline || now < pit->deadline || !periodic(pit))
		return false;
	periods = clocks_since(pit, now) / pit->reload + 1;
	pit->deadline = tsc_after(pit, periods * pit->reload);
	if (pit->deadline <= now)
		pit->deadline = now + 1;
	return true;
}

uint64_t vpit_next(const struct vpit *pit)
{
	return pit->deadline;
}
