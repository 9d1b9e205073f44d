/* SPDX-License-Identifier: MIT */
/* Unit tests of the console's Ctrl-] commands (core/console/console_keys.c). */
#include "core/console/console_keys.h"

#include "check.h"

CHECK_MAIN("test_console_keys")

static enum console_key_action feed(struct console_keys *keys, uint8_t byte,
				    uint8_t *forward)
{
	*forward = 0xee;
	return console_key(keys, byte, forward);
}

static void test_plain_bytes_pass(void)
{
	struct console_keys keys = { false };
	uint8_t out;

	for (unsigned b = 0; b < 256; b++) {
		if (b == CONSOLE_ESCAPE)
			continue;
		CHECK_EQ(feed(&keys, (uint8_t)b, &out), CONSOLE_KEY_FORWARD);
		CHECK_EQ(out, b);
	}
}

static void test_commands(void)
{
	struct console_keys keys = { false };
	uint8_t out;

	CHECK_EQ(feed(&keys, CONSOLE_ESCAPE, &out), CONSOLE_KEY_NONE);
	CHECK_EQ(out, 0xee); /* nothing forwarded yet */
	CHECK_EQ(feed(&keys, 'n', &out), CONSOLE_KEY_NEXT);
	CHECK_EQ(feed(&keys, 'n', &out), CONSOLE_KEY_FORWARD); /* plain again */
	CHECK_EQ(out, 'n');
	CHECK_EQ(feed(&keys, CONSOLE_ESCAPE, &out), CONSOLE_KEY_NONE);
	CHECK_EQ(feed(&keys, 'L', &out), CONSOLE_KEY_LIST);
	CHECK_EQ(feed(&keys, CONSOLE_ESCAPE, &out), CONSOLE_KEY_NONE);
	CHECK_EQ(feed(&keys, CONSOLE_ESCAPE, &out), CONSOLE_KEY_FORWARD);
	CHECK_EQ(out, CONSOLE_ESCAPE);
	/* An unknown command drops both bytes and ends the escape. */
	CHECK_EQ(feed(&keys, CONSOLE_ESCAPE, &out), CONSOLE_KEY_NONE);
	CHECK_EQ(feed(&keys, 'x', &out), CONSOLE_KEY_NONE);
	CHECK_EQ(out, 0xee);
	CHECK_EQ(feed(&keys, 'x', &out), CONSOLE_KEY_FORWARD);
	CHECK_EQ(out, 'x');
}

static void run_tests(void)
{
	test_plain_bytes_pass();
	test_commands();
}
