/* SPDX-License-Identifier: MIT */
/*
 * Word splitting and key=value lookup over the args string handed to the
 * partition, plus number parsing without libc's locale and errno.
 */
#include <string.h>

#include "args.h"
#include "format.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Returns the next word at or after *cursor and its length, or NULL. */
static const char *next_word(const char **cursor, size_t *length)
{
	const char *p = *cursor;
	const char *start;

	while (*p && is_space(*p))
		p++;
	if (!*p)
		return NULL;
	start = p;
	while (*p && !is_space(*p))
		p++;
	*length = p - start;
	*cursor = p;
	return start;
}

static void copy_cut(char *to, size_t size, const char *from, size_t length)
{
	if (!size)
		return;
	if (length > size - 1)
		length = size - 1;
	memcpy(to, from, length);
	to[length] = '\0';
}

bool args_first_word(const char *args, char *word, size_t size)
{
	const char *cursor = args;
	const char *found;
	size_t length;

	found = next_word(&cursor, &length);
	if (!found)
		return false;
	copy_cut(word, size, found, length);
	return true;
}

bool args_get(const char *args, const char *key, char *value, size_t size)
{
	size_t key_length = strlen(key);
	const char *cursor = args;
	const char *word;
	size_t length;

	while ((word = next_word(&cursor, &length))) {
		if (length > key_length && word[key_length] == '=' &&
		    !memcmp(word, key, key_length)) {
			copy_cut(value, size, word + key_length + 1,
				 length - key_length - 1);
			return true;
		}
	}
	return false;
}

bool args_get_number(const char *args, const char *key, int64_t *number)
{
	char text[32];
	const char *p = text;
	unsigned base = 10;
	bool negative = false;
	uint64_t value = 0;

	if (!args_get(args, key, text, sizeof(text)))
		return false;
	if (*p == '-') {
		negative = true;
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return false;
	for (; *p; p++) {
		unsigned digit = (unsigned)hex_digit_value(*p);

		if (digit >= base)
			return false;
		value = value * base + digit;
	}
	*number = negative ? -(int64_t)value : (int64_t)value;
	return true;
}
