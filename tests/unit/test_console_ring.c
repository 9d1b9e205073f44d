/* SPDX-License-Identifier: MIT */
/*
 * Tests of the console log's ring (core/console/console_ring.c): appends
 * that wrap and that exceed the ring, reads from every position (old ones
 * report what was lost, future ones are refused), small reader buffers,
 * and an empty ring. Buffers are exact-size heap blocks, so ASan sees any
 * byte read or written outside them.
 */
#include <stdlib.h>

#include "check.h"

#include "core/console/console_ring.h"

CHECK_MAIN("test_console_ring")

/* Byte n of the stream the tests append: its position, mod 251. */
static uint8_t stream_byte(uint64_t position)
{
	return (uint8_t)(position % 251);
}

static void append_stream(struct console_ring *ring, uint64_t length)
{
	uint8_t *bytes = malloc(length ? length : 1);

	for (uint64_t i = 0; i < length; i++)
		bytes[i] = stream_byte(ring->written + i);
	console_ring_append(ring, bytes, length);
	free(bytes);
}

/* Reads from position into an exact-size buffer and checks every byte. */
static void check_read(const struct console_ring *ring, uint64_t position,
		       size_t capacity, uint64_t length, uint64_t next,
		       uint64_t lost)
{
	uint8_t *out = malloc(capacity ? capacity : 1);
	struct console_ring_read result;

	CHECK(console_ring_read(ring, position, out, capacity, &result));
	CHECK_EQ(result.length, length);
	CHECK_EQ(result.next, next);
	CHECK_EQ(result.lost, lost);
	for (uint64_t i = 0; i < result.length && i < capacity; i++)
		if (out[i] != stream_byte(next - result.length + i)) {
			CHECK_EQ(out[i], stream_byte(next - result.length + i));
			break;
		}
	free(out);
}

static void test_fill_and_wrap(void)
{
	uint8_t *data = malloc(100);
	struct console_ring ring;

	console_ring_init(&ring, data, 100);
	check_read(&ring, 0, 64, 0, 0, 0);
	append_stream(&ring, 30);
	check_read(&ring, 0, 64, 30, 30, 0);
	check_read(&ring, 10, 5, 5, 15, 0);
	check_read(&ring, 30, 64, 0, 30, 0);
	append_stream(&ring, 70); /* exactly full */
	CHECK_EQ(console_ring_oldest(&ring), 0);
	check_read(&ring, 0, 200, 100, 100, 0);
	append_stream(&ring, 25); /* wraps: 25..124 kept */
	CHECK_EQ(console_ring_oldest(&ring), 25);
	check_read(&ring, 0, 200, 100, 125, 25);
	check_read(&ring, 24, 1, 1, 26, 1);
	check_read(&ring, 90, 200, 35, 125, 0); /* across the wrap */
	check_read(&ring, 125, 200, 0, 125, 0);
	free(data);
}

static void test_append_larger_than_ring(void)
{
	uint8_t *data = malloc(16);
	struct console_ring ring;

	console_ring_init(&ring, data, 16);
	append_stream(&ring, 5);
	append_stream(&ring, 1000);
	CHECK_EQ(ring.written, 1005);
	CHECK_EQ(console_ring_oldest(&ring), 989);
	check_read(&ring, 0, 16, 16, 1005, 989);
	check_read(&ring, 1000, 16, 5, 1005, 0);
	append_stream(&ring, 0);
	CHECK_EQ(ring.written, 1005);
	free(data);
}

static void test_hostile_positions(void)
{
	uint8_t *data = malloc(8);
	uint8_t out[4];
	struct console_ring ring;
	struct console_ring_read result = {7, 7, 7, 7};

	console_ring_init(&ring, data, 8);
	append_stream(&ring, 20);
	CHECK(!console_ring_read(&ring, 21, out, sizeof(out), &result));
	CHECK(!console_ring_read(&ring, ~0ull, out, sizeof(out), &result));
	CHECK_EQ(result.length, 7); /* untouched when refused */
	check_read(&ring, 0, 0, 0, 12, 12);
	free(data);
}

static void test_no_log(void)
{
	struct console_ring ring;
	uint8_t out[4];
	struct console_ring_read result;

	console_ring_init(&ring, NULL, 4096);
	CHECK_EQ(ring.size, 0);
	console_ring_append(&ring, "hello", 5);
	CHECK_EQ(ring.written, 5);
	CHECK(console_ring_read(&ring, 0, out, sizeof(out), &result));
	CHECK_EQ(result.length, 0);
	CHECK_EQ(result.lost, 5);
	CHECK_EQ(result.next, 5);
}

static void run_tests(void)
{
	test_fill_and_wrap();
	test_append_larger_than_ring();
	test_hostile_positions();
	test_no_log();
}
