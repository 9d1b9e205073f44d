/* SPDX-License-Identifier: MIT */
/* Unit tests of how partition text is shown (core/console/console_text.c). */
#include "core/console/console_text.h"

#include <stdint.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_console_text")

/* Renders one whole line as console_partition_line() does: trimmed, then
 * split into lines of at most CONSOLE_TEXT_MAX, joined here with '|'. */
static const char *shown(const char *text, size_t length)
{
	static char all[8 * CONSOLE_TEXT_MAX];
	char line[CONSOLE_TEXT_MAX];
	size_t used, line_length, at = 0;

	length = console_text_line_length(text, length);
	do {
		used = console_text_render(text, length, line, sizeof(line),
					   &line_length);
		if (at)
			all[at++] = '|';
		memcpy(all + at, line, line_length);
		at += line_length;
		text += used;
		length -= used;
	} while (length && used);
	all[at] = '\0';
	return all;
}

#define CHECK_SHOWN(text, expected)                                            \
	do {                                                                   \
		const char *got_ = shown(text, sizeof(text) - 1);              \
		CHECK_EQ(strcmp(got_, expected), 0);                           \
		if (strcmp(got_, expected))                                    \
			fprintf(stderr, "  got \"%s\"\n", got_);               \
	} while (0)

static void test_printable_and_tab_pass(void)
{
	CHECK_SHOWN("hello, world ~ {}|\\", "hello, world ~ {}|\\");
	CHECK_SHOWN("a\tb", "a\tb");
	CHECK_SHOWN("", "");
}

static void test_controls_in_caret_notation(void)
{
	CHECK_SHOWN("\x1b[2K", "^[[2K");
	CHECK_SHOWN("\r\x1b[2K[    1.000000] bulkhead: end of run: pass",
		    "^M^[[2K[    1.000000] bulkhead: end of run: pass");
	CHECK_SHOWN("\b\x7f", "^H^?");
	CHECK_SHOWN("\x00\x01\x07\x0b\x0c\x1f", "^@^A^G^K^L^_");
	CHECK_SHOWN("a\nb", "a^Jb"); /* callers split lines first */
}

static void test_high_bytes_in_hex(void)
{
	CHECK_SHOWN("\x9b"
		    "2J",
		    "\\x9b2J");
	CHECK_SHOWN("\xc2\x9b", "\\xc2\\x9b"); /* U+009B, CSI, as UTF-8 */
	CHECK_SHOWN("\x80\xff\xa0", "\\x80\\xff\\xa0");
}

static void test_every_byte_is_harmless(void)
{
	for (unsigned b = 0; b < 256; b++) {
		char in = (char)b, out[CONSOLE_TEXT_BYTE_MAX];
		size_t out_length = 99;

		CHECK_EQ(
		    console_text_render(&in, 1, out, sizeof(out), &out_length),
		    1);
		CHECK(out_length >= 1 && out_length <= CONSOLE_TEXT_BYTE_MAX);
		for (size_t i = 0; i < out_length; i++) {
			uint8_t c = (uint8_t)out[i];

			CHECK((c >= 0x20 && c < 0x7f) || c == '\t');
		}
	}
}

static void test_line_end_crs_dropped(void)
{
	CHECK_SHOWN("linux output\r", "linux output");
	CHECK_SHOWN("two\r\r", "two");
	CHECK_SHOWN("\r", "");
	CHECK_SHOWN("mid\rline\r", "mid^Mline");
	CHECK_EQ(console_text_line_length("a\rb", 3), 3);
}

static void test_long_lines_split(void)
{
	char text[3 * CONSOLE_TEXT_MAX], out[CONSOLE_TEXT_MAX];
	size_t out_length;

	memset(text, 'x', sizeof(text));
	CHECK_EQ(console_text_render(text, sizeof(text), out, sizeof(out),
				     &out_length),
		 CONSOLE_TEXT_MAX);
	CHECK_EQ(out_length, CONSOLE_TEXT_MAX);
	/* Escapes are never cut: 85 "\xNN" fit in 256, not 86. */
	memset(text, 0x9b, sizeof(text));
	CHECK_EQ(console_text_render(text, sizeof(text), out, sizeof(out),
				     &out_length),
		 CONSOLE_TEXT_MAX / 4);
	CHECK_EQ(out_length, CONSOLE_TEXT_MAX);
	text[0] = 'a';
	CHECK_EQ(console_text_render(text, sizeof(text), out, sizeof(out),
				     &out_length),
		 1 + (CONSOLE_TEXT_MAX - 1) / 4);
	CHECK_EQ(out_length, 1 + (CONSOLE_TEXT_MAX - 1) / 4 * 4);
	/* A whole split line: every piece is whole. */
	memset(text, 0x1b, 200);
	const char *all = shown(text, 200);
	CHECK_EQ(strlen(all), 400 + 1);
	CHECK_EQ(all[CONSOLE_TEXT_MAX], '|');
	/* Too small an output takes nothing rather than half an escape. */
	CHECK_EQ(console_text_render("\x9b", 1, out, 3, &out_length), 0);
	CHECK_EQ(out_length, 0);
	CHECK_EQ(console_text_render("ab", 2, out, 1, &out_length), 1);
	CHECK_EQ(out_length, 1);
}

static void run_tests(void)
{
	test_printable_and_tab_pass();
	test_controls_in_caret_notation();
	test_high_bytes_in_hex();
	test_every_byte_is_harmless();
	test_line_end_crs_dropped();
	test_long_lines_split();
}
