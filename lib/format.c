/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting into a bounded buffer. Pure: no I/O, no allocation,
 * no floating point, so the same file serves the hypervisor (which must not
 * touch vector registers), the loader, guests and host tests.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

struct format_sink {
	char *buffer;
	size_t size;
	size_t length; /* characters produced, even those that did not fit */
};

static void sink_put(struct format_sink *sink, char c)
{
	if (sink->length + 1 < sink->size)
		sink->buffer[sink->length] = c;
	sink->length++;
}

static void sink_pad(struct format_sink *sink, char c, int count)
{
	while (count-- > 0)
		sink_put(sink, c);
}

struct format_spec {
	bool left;
	bool zero;
	char sign; /* '+' or ' ' for non-negative signed values, else 0 */
	int width;
	int precision; /* -1: none */
	int length;    /* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

static void put_text(struct format_sink *sink, const struct format_spec *spec,
		     const char *text, size_t text_length)
{
	int pad = spec->width - (int)text_length;

	if (!spec->left)
		sink_pad(sink, ' ', pad);
	for (size_t i = 0; i < text_length; i++)
		sink_put(sink, text[i]);
	if (spec->left)
		sink_pad(sink, ' ', pad);
}

static void put_number(struct format_sink *sink, const struct format_spec *spec,
		       uint64_t value, char sign, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char text[24];
	int count = 0;

	do {
		text[count++] = digits[value % base];
		value /= base;
	} while (value);

	int total = count + (sign ? 1 : 0);
	int pad = spec->width - total;

	if (!spec->left && !spec->zero)
		sink_pad(sink, ' ', pad);
	if (sign)
		sink_put(sink, sign);
	if (!spec->left && spec->zero)
		sink_pad(sink, '0', pad);
	while (count)
		sink_put(sink, text[--count]);
	if (spec->left)
		sink_pad(sink, ' ', pad);
}

static const char *parse_spec(const char *p, struct format_spec *spec)
{
	*spec = (struct format_spec){ .precision = -1 };
	for (;; p++) {
		if (*p == '-')
			spec->left = true;
		else if (*p == '0')
			spec->zero = true;
		else if (*p == '+' || (*p == ' ' && spec->sign != '+'))
			spec->sign = *p;
		else if (*p != '#') /* '#' is accepted and ignored */
			break;
	}
	while (*p >= '0' && *p <= '9')
		spec->width = spec->width * 10 + (*p++ - '0');
	if (*p == '.') {
		spec->precision = 0;
		for (p++; *p >= '0' && *p <= '9'; p++)
			spec->precision = spec->precision * 10 + (*p - '0');
	}
	for (;; p++) {
		if (*p == 'l' || *p == 'z')
			spec->length = spec->length < 1 ? 1 : 2;
		else if (*p == 'h')
			spec->length = spec->length == 0 ? -1 : -2;
		else
			break;
	}
	return p;
}

static uint64_t take_unsigned(const struct format_spec *spec, va_list *args)
{
	switch (spec->length) {
	case 2:
		return va_arg(*args, unsigned long long);
	case 1:
		return va_arg(*args, unsigned long);
	case -1:
		return (unsigned short)va_arg(*args, unsigned int);
	case -2:
		return (unsigned char)va_arg(*args, unsigned int);
	default:
		return va_arg(*args, unsigned int);
	}
}

static int64_t take_signed(const struct format_spec *spec, va_list *args)
{
	switch (spec->length) {
	case 2:
		return va_arg(*args, long long);
	case 1:
		return va_arg(*args, long);
	case -1:
		return (short)va_arg(*args, int);
	case -2:
		return (signed char)va_arg(*args, int);
	default:
		return va_arg(*args, int);
	}
}

int format_v(char *buffer, size_t size, const char *fmt, va_list args_in)
{
	struct format_sink sink = { buffer, size, 0 };
	struct format_spec spec;
	va_list args;

	va_copy(args, args_in);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			sink_put(&sink, *p);
			continue;
		}
		p = parse_spec(p + 1, &spec);
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t value = take_signed(&spec, &args);
			uint64_t magnitude = value < 0 ? -(uint64_t)value
						       : (uint64_t)value;
			put_number(&sink, &spec, magnitude,
				   value < 0 ? '-' : spec.sign, 10, false);
			break;
		}
		case 'u':
			put_number(&sink, &spec, take_unsigned(&spec, &args), 0,
				   10, false);
			break;
		case 'x':
		case 'X':
			put_number(&sink, &spec, take_unsigned(&spec, &args), 0,
				   16, *p == 'X');
			break;
		case 'p': {
			char text[24];
			int length = format(text, sizeof(text), "0x%llx",
					    (unsigned long long)(uintptr_t)va_arg(
						    args, void *));
			put_text(&sink, &spec, text, (size_t)length);
			break;
		}
		case 'c': {
			char c = (char)va_arg(args, int);
			put_text(&sink, &spec, &c, 1);
			break;
		}
		case 's': {
			const char *text = va_arg(args, const char *);
			size_t length = 0;

			if (!text)
				text = "(null)";
			while (text[length] &&
			       (spec.precision < 0 ||
				length < (size_t)spec.precision))
				length++;
			put_text(&sink, &spec, text, length);
			break;
		}
		case '%':
			sink_put(&sink, '%');
			break;
		case '\0':
			p--; /* a lone '%' at the end: print nothing more */
			break;
		default:
			sink_put(&sink, '%');
			sink_put(&sink, *p);
			break;
		}
	}
	va_end(args);
	if (size)
		buffer[sink.length < size ? sink.length : size - 1] = '\0';
	return (int)sink.length;
}

int format(char *buffer, size_t size, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	int length = format_v(buffer, size, fmt, args);
	va_end(args);
	return length;
}

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
