/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the printf-style formatter (lib/format.c): every conversion
 * with its flags, widths and length modifiers, the extremes of each integer
 * type, and truncation into small buffers (always NUL-terminated, the
 * return value being the full length, nothing written past size).
 */
#include "lib/format.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "check.h"

CHECK_MAIN("test_format")

static void expect_at(int line, const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Formats into a large buffer; checks the text and the returned length. */
static void expect_at(int line, const char *expected, const char *fmt, ...)
{
	char buffer[256];
	va_list args;
	int length;

	memset(buffer, 0x7f, sizeof(buffer));
	va_start(args, fmt);
	length = format_v(buffer, sizeof(buffer), fmt, args);
	va_end(args);
	if (strcmp(buffer, expected) == 0 && length == (int)strlen(expected)) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "%s:%d: format(\"%s\") gave \"%s\" (%d), "
			"expected \"%s\" (%zu)\n", __FILE__, line, fmt, buffer,
			length, expected, strlen(expected));
	}
}

#define EXPECT(expected, ...) expect_at(__LINE__, (expected), __VA_ARGS__)

static void test_integers(void)
{
	EXPECT("0", "%d", 0);
	EXPECT("42", "%d", 42);
	EXPECT("-42", "%i", -42);
	EXPECT("2147483647", "%d", INT_MAX);
	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT("4294967295", "%u", UINT_MAX);
	EXPECT("0", "%u", 0u);
	EXPECT("deadbeef", "%x", 0xdeadbeefu);
	EXPECT("DEADBEEF", "%X", 0xdeadbeefu);
	EXPECT("0", "%x", 0u);
	EXPECT("ffffffff", "%x", -1);

	/* 64-bit through l, ll and z. */
	EXPECT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT("9223372036854775807", "%ld", (long)INT64_MAX);
	EXPECT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	EXPECT("ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
	EXPECT("FFFFFFFFFFFFFFFF", "%lX", (unsigned long)UINT64_MAX);
	EXPECT("123456789abcdef0", "%lx", 0x123456789abcdef0ul);
	EXPECT("18446744073709551615", "%zu", SIZE_MAX);
	EXPECT("1000", "%zx", (size_t)0x1000);
	EXPECT("-1", "%zd", (ssize_t)-1);

	/* h and hh truncate to short and char. */
	EXPECT("-1", "%hd", (short)-1);
	EXPECT("65535", "%hu", (unsigned short)0xffff);
	EXPECT("ffff", "%hx", (unsigned short)0xffff);
	EXPECT("-128", "%hhd", (signed char)-128);
	EXPECT("255", "%hhu", (unsigned char)255);
	EXPECT("ab", "%hhx", (unsigned char)0xab);
	/* Promoted values wider than the modifier are cut down. */
	EXPECT("52", "%hhu", 0x1234);
	EXPECT("4660", "%hu", 0x11234);
	EXPECT("-1", "%hhd", 0xff);

	/* Argument order across mixed widths. */
	EXPECT("1 2 3 4", "%d %lld %hhd %zu", 1, 2ll, (signed char)3,
	       (size_t)4);
}

static void test_widths_and_flags(void)
{
	EXPECT("   42", "%5d", 42);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT("00042", "%05d", 42);
	EXPECT("-0042", "%05d", -42);
	EXPECT("  -42", "%5d", -42);
	EXPECT("-42  |", "%-5d|", -42);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	EXPECT("-42  |", "%-05d|", -42); /* '-' wins over '0' */
#pragma GCC diagnostic pop
	EXPECT("123456", "%3d", 123456); /* width is a minimum */
	EXPECT("0000beef", "%08x", 0xbeefu);
	EXPECT("00000000DEADBEEF", "%016llX", 0xdeadbeefull);
	EXPECT("      ff", "%8x", 0xffu);
	EXPECT("0000000000000000", "%016lx", 0ul);
	EXPECT("   7", "%4u", 7u);
	EXPECT("     hello|", "%10s|", "hello");
	EXPECT("hello     |", "%-10s|", "hello");
	EXPECT("hel|", "%.3s|", "hello");
	EXPECT("  hel|", "%5.3s|", "hello");
	EXPECT("hel  |", "%-5.3s|", "hello");
	EXPECT("|", "%.0s|", "hello");
	EXPECT("hi|", "%.10s|", "hi");
	EXPECT("    x|", "%5c|", 'x');
	EXPECT("x    |", "%-5c|", 'x');
}

/* Hidden from the compiler, which would warn about a literal NULL. */
static const char *volatile null_text;

static void test_other_conversions(void)
{
	char text[] = "abc";

	EXPECT("hello, world", "%s, %s", "hello", "world");
	EXPECT("", "%s", "");
	EXPECT("(null)", "%s", null_text);
	EXPECT("[(nu]", "[%.3s]", null_text);
	EXPECT("A", "%c", 'A');
	EXPECT("100%", "%d%%", 100);
	EXPECT("%", "%%");
	EXPECT("0x1234", "%p", (void *)0x1234);
	EXPECT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	EXPECT("0x0", "%p", (void *)NULL);
	EXPECT("plain text", "plain text");
	EXPECT("", "%s", text + 3);
	EXPECT("a=1 b=abc c=z d=ff", "a=%d b=%s c=%c d=%x", 1, text, 'z',
	       0xffu);
}

static void test_truncation(void)
{
	char buffer[16];
	int length;

	/* Size 0: nothing written at all. */
	memset(buffer, '#', sizeof(buffer));
	length = format(buffer, 0, "hello %d", 12345);
	CHECK_EQ(length, 11);
	CHECK_EQ(buffer[0], '#');
	CHECK_EQ(format(NULL, 0, "%s", "abc"), 3);

	/* Size 1: only the terminator. */
	memset(buffer, '#', sizeof(buffer));
	length = format(buffer, 1, "hello");
	CHECK_EQ(length, 5);
	CHECK_EQ(buffer[0], '\0');
	CHECK_EQ(buffer[1], '#');

	/* Every size from 1 to beyond the text. */
	const char *full = "value=-1234 name=bulkhead";
	for (size_t size = 1; size <= sizeof(buffer); size++) {
		memset(buffer, '#', sizeof(buffer));
		length = format(buffer, size, "value=%d name=%s", -1234,
				"bulkhead");
		CHECK_EQ(length, strlen(full));
		CHECK_EQ(strlen(buffer), size - 1);
		CHECK(strncmp(buffer, full, size - 1) == 0);
		for (size_t i = size; i < sizeof(buffer); i++)
			if (buffer[i] != '#') {
				CHECK(!"byte written past size");
				break;
			}
	}

	/* Exactly fitting, and one short. */
	memset(buffer, '#', sizeof(buffer));
	CHECK_EQ(format(buffer, 6, "%05d", 42), 5);
	CHECK(strcmp(buffer, "00042") == 0);
	memset(buffer, '#', sizeof(buffer));
	CHECK_EQ(format(buffer, 5, "%05d", 42), 5);
	CHECK(strcmp(buffer, "0004") == 0);
	CHECK_EQ(buffer[5], '#');

	/* Padding counts toward the length even when cut. */
	memset(buffer, '#', sizeof(buffer));
	CHECK_EQ(format(buffer, 4, "%-20s|", "x"), 21);
	CHECK(strcmp(buffer, "x  ") == 0);
	CHECK_EQ(format(buffer, 4, "%llu", (unsigned long long)UINT64_MAX),
		 20);
	CHECK(strcmp(buffer, "184") == 0);
}

static void run_tests(void)
{
	test_integers();
	test_widths_and_flags();
	test_other_conversions();
	test_truncation();
}
