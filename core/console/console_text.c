/* SPDX-License-Identifier: MIT */
/*
 * Partition text made harmless for the console: see console_text.h for
 * what is rendered how, and docs/hypercalls.md for why.
 */
#include "console_text.h"

#include <stdint.h>

size_t console_text_line_length(const char *text, size_t length)
{
	while (length > 0 && text[length - 1] == '\r')
		length--;
	return length;
}

/* Writes the rendering of byte c to shown; returns its length (1-4). */
static size_t render_byte(uint8_t c, char shown[CONSOLE_TEXT_BYTE_MAX])
{
	static const char hex[] = "0123456789abcdef";

	if ((c >= 0x20 && c < 0x7f) || c == '\t') {
		shown[0] = (char)c;
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		shown[0] = '^';
		shown[1] = (char)(c ^ 0x40); /* 0x1b -> '[', 0x7f -> '?' */
		return 2;
	}
	shown[0] = '\\';
	shown[1] = 'x';
	shown[2] = hex[c >> 4];
	shown[3] = hex[c & 0xf];
	return 4;
}

size_t console_text_render(const char *text, size_t length, char *out,
			   size_t size, size_t *out_length)
{
	size_t used = 0, written = 0;

	for (; used < length; used++) {
		char shown[CONSOLE_TEXT_BYTE_MAX];
		size_t n = render_byte((uint8_t)text[used], shown);

		if (n > size - written)
			break;
		for (size_t i = 0; i < n; i++)
			out[written++] = shown[i];
	}
	*out_length = written;
	return used;
}
