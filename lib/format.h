/* SPDX-License-Identifier: MIT */
/*
 * A small printf-style formatter with no floating point and no allocation,
 * shared by the core, the loader, the guest library and the host tests.
 * Supports %d %i %u %x %X %p %s %c %% with the flags - 0 + and space (# is
 * accepted and ignored), a width,
 * a precision for %s, and the length modifiers l, ll, z and h/hh.
 */
#ifndef BULKHEAD_FORMAT_H
#define BULKHEAD_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: always NUL-terminates when size > 0; returns the length
 * the full output would have had. */
int format_v(char *buffer, size_t size, const char *format, va_list args)
	__attribute__((format(printf, 3, 0)));
/* The value of a hexadecimal digit (either case), or -1. */
int hex_digit_value(char c);

int format(char *buffer, size_t size, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

#endif
