/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual 8254 (core/platform/pit_model.c): the control
 * word and the three access modes, the latch command, the count read back
 * in modes 2, 3 and 0, the periodic interrupt of modes 2 and 3 against a
 * fake TSC (no drift, missed periods skipped) and the ports it ignores.
 */
#include "core/platform/pit_model.h"

#include <stdint.h>
#include <stdio.h>

#include "check.h"

CHECK_MAIN("test_pit_model")

/* Ten TSC ticks per PIT clock: times in tests are exact. */
#define TSC_HZ		      (VPIT_HZ * 10)
#define CONTROL(access, mode) ((uint8_t)((access) << 4 | (mode) << 1))

static void program(struct vpit *pit, uint8_t mode, uint16_t count,
		    uint64_t now)
{
	vpit_write(pit, VPIT_PORT_CONTROL, CONTROL(VPIT_ACCESS_BOTH, mode),
		   now);
	vpit_write(pit, VPIT_PORT_COUNTER0, (uint8_t)count, now);
	vpit_write(pit, VPIT_PORT_COUNTER0, (uint8_t)(count >> 8), now);
}

static uint16_t read_both(struct vpit *pit, uint64_t now)
{
	uint8_t low = vpit_read(pit, VPIT_PORT_COUNTER0, now);

	return (uint16_t)(low | vpit_read(pit, VPIT_PORT_COUNTER0, now) << 8);
}

static void test_reset(void)
{
	struct vpit pit;

	vpit_reset(&pit, TSC_HZ);
	CHECK_EQ(vpit_next(&pit), 0);
	CHECK(!vpit_fire(&pit, 1000000));
	CHECK_EQ(read_both(&pit, 5000), 0);
}

static void test_rate_generator(void)
{
	struct vpit pit;

	vpit_reset(&pit, TSC_HZ);
	program(&pit, 2, 1000, 100);
	/* 1000 clocks: 10000 TSC ticks after the count was written. */
	CHECK_EQ(vpit_next(&pit), 100 + 10000);
	CHECK(!vpit_fire(&pit, 100 + 9999));
	CHECK_EQ(read_both(&pit, 100), 1000);
	CHECK_EQ(read_both(&pit, 100 + 10 * 250), 750);
	CHECK_EQ(read_both(&pit, 100 + 10 * 999), 1);
	CHECK(vpit_fire(&pit, 100 + 10000));
	CHECK_EQ(vpit_next(&pit), 100 + 20000);
	CHECK(!vpit_fire(&pit, 100 + 10001));
	/* After a period the count starts again from the reload value. */
	CHECK_EQ(read_both(&pit, 100 + 10000 + 10 * 10), 990);
	/* Missed periods are skipped: one edge, then the next period. */
	CHECK(vpit_fire(&pit, 100 + 55000));
	CHECK_EQ(vpit_next(&pit), 100 + 60000);
	CHECK(!vpit_fire(&pit, 100 + 59999));
}

static void test_square_wave(void)
{
	struct vpit pit;

	vpit_reset(&pit, TSC_HZ);
	program(&pit, 3, 100, 0);
	CHECK_EQ(vpit_next(&pit), 1000);
	/* Counts down by two in each half period. */
	CHECK_EQ(read_both(&pit, 0), 100);
	CHECK_EQ(read_both(&pit, 10 * 10), 80);
	CHECK_EQ(read_both(&pit, 10 * 60), 80);
	CHECK(vpit_fire(&pit, 1000));
	CHECK_EQ(vpit_next(&pit), 2000);
	/* Modes 6 and 7 are 2 and 3. */
	program(&pit, 7, 100, 5000);
	CHECK_EQ(pit.mode, 3);
	CHECK_EQ(vpit_next(&pit), 6000);
}

static void test_access_modes(void)
{
	struct vpit pit;

	vpit_reset(&pit, TSC_HZ);
	/* Low byte only: the high byte is 0. */
	vpit_write(&pit, VPIT_PORT_CONTROL, CONTROL(VPIT_ACCESS_LOW, 2), 0);
	vpit_write(&pit, VPIT_PORT_COUNTER0, 200, 0);
	CHECK_EQ(pit.reload, 200);
	CHECK_EQ(vpit_read(&pit, VPIT_PORT_COUNTER0, 10 * 50), 150);
	CHECK_EQ(vpit_read(&pit, VPIT_PORT_COUNTER0, 10 * 50), 150);
	/* High byte only: the low byte is 0. */
	vpit_write(&pit, VPIT_PORT_CONTROL, CONTROL(VPIT_ACCESS_HIGH, 2), 0);
	vpit_write(&pit, VPIT_PORT_COUNTER0, 0x12, 0);
	CHECK_EQ(pit.reload, 0x1200);
	CHECK_EQ(vpit_read(&pit, VPIT_PORT_COUNTER0, 10 * 0x100), 0x11);
	/* Both: nothing counts until the high byte is written; a count of
	 * 0 is 65536. */
	vpit_write(&pit, VPIT_PORT_CONTROL, CONTROL(VPIT_ACCESS_BOTH, 2), 0);
	CHECK_EQ(vpit_next(&pit), 0);
	vpit_write(&pit, VPIT_PORT_COUNTER0, 0, 0);
	CHECK_EQ(vpit_next(&pit), 0);
	vpit_write(&pit, VPIT_PORT_COUNTER0, 0, 0);
	CHECK_EQ(pit.reload, 0x10000);
	CHECK_EQ(vpit_next(&pit), 10 * 0x10000);
	CHECK_EQ(read_both(&pit, 10), 0xffff);
}

static void test_latch(void)
{
	struct vpit pit;

	vpit_reset(&pit, TSC_HZ);
	program(&pit, 2, 0x1234, 0);
	vpit_write(&pit, VPIT_PORT_CONTROL, CONTROL(VPIT_ACCESS_LATCH, 0),
		   10 * 0x34);
	CHECK_EQ(pit.mode, 2); /* a latch keeps the mode */
	/* A second latch before the read keeps the first. */
	vpit_write(&pit, VPIT_PORT_CONTROL, CONTROL(VPIT_ACCESS_LATCH, 0),
		   10 * 0x100);
	CHECK_EQ(read_both(&pit, 10 * 0x200), 0x1200);
	/* Once read, reads follow the counter again. */
	CHECK_EQ(read_both(&pit, 10 * 0x200), 0x1034);
	/* The latch does not disturb the interrupt. */
	CHECK_EQ(vpit_next(&pit), 10 * 0x1234);
}

static void test_one_shot_mode_never_interrupts(void)
{
	struct vpit pit;

	vpit_reset(&pit, TSC_HZ);
	/* What Linux writes to a PIT it does not use. */
	vpit_write(&pit, VPIT_PORT_CONTROL, 0x30, 0);
	vpit_write(&pit, VPIT_PORT_COUNTER0, 0, 0);
	vpit_write(&pit, VPIT_PORT_COUNTER0, 0, 0);
	CHECK_EQ(vpit_next(&pit), 0);
	CHECK(!vpit_fire(&pit, 10ull * 0x30000));
	CHECK_EQ(read_both(&pit, 10 * 16), 0x10000 - 16);
	/* Mode 0 counts down and wraps. */
	CHECK_EQ(read_both(&pit, 10 * (0x10000 + 3)), 0xfffd);
}

static void test_other_counters_ignored(void)
{
	struct vpit pit;

	vpit_reset(&pit, TSC_HZ);
	program(&pit, 2, 500, 0);
	/* Counters 1 and 2 and the read-back command change nothing. */
	vpit_write(&pit, VPIT_PORT_CONTROL, 0x40 | CONTROL(3, 0), 0);
	vpit_write(&pit, VPIT_PORT_CONTROL, 0x80 | CONTROL(3, 0), 0);
	vpit_write(&pit, VPIT_PORT_CONTROL, 0xc2, 0);
	vpit_write(&pit, 1, 0x55, 0);
	vpit_write(&pit, 2, 0x55, 0);
	CHECK_EQ(pit.mode, 2);
	CHECK_EQ(pit.reload, 500);
	CHECK_EQ(vpit_read(&pit, 1, 100), 0);
	CHECK_EQ(vpit_read(&pit, 2, 100), 0);
	CHECK_EQ(vpit_read(&pit, VPIT_PORT_CONTROL, 100), 0);
	CHECK_EQ(vpit_next(&pit), 5000);
}

/* With a real TSC rate the periods do not drift: the n-th interrupt is
 * due within one TSC tick of n * period. */
static void test_no_drift(void)
{
	const uint64_t hz = 2893456789ull;
	struct vpit pit;
	uint64_t now = 0;

	vpit_reset(&pit, hz);
	program(&pit, 2, 11932, 0); /* about 100 Hz */
	for (unsigned n = 1; n <= 100000; n++) {
		now = vpit_next(&pit);
		CHECK(vpit_fire(&pit, now));
	}
	/* 100000 periods of 11932 clocks in TSC ticks, rounded up. */
	uint64_t clocks = 100000ull * 11932;
	uint64_t expected = clocks / VPIT_HZ * hz +
			    (clocks % VPIT_HZ * hz + VPIT_HZ - 1) / VPIT_HZ;
	CHECK_EQ(now, expected);
}

static void run_tests(void)
{
	test_reset();
	test_rate_generator();
	test_square_wave();
	test_access_modes();
	test_latch();
	test_one_shot_mode_never_interrupts();
	test_other_counters_ignored();
	test_no_drift();
}
