/* SPDX-License-Identifier: MIT */
/*
 * Reading the partition's args string (struct bulkhead_boot_info.args):
 * space-separated words, some of them key=value.
 */
#ifndef GUEST_ARGS_H
#define GUEST_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies the first word into word (cut to size - 1); false if none. */
bool args_first_word(const char *args, char *word, size_t size);

/* Finds "key=value" and copies value into value (cut to size - 1). */
bool args_get(const char *args, const char *key, char *value, size_t size);

/* Like args_get() for a decimal or 0x-prefixed hexadecimal number, with an
 * optional leading '-'; false when absent or malformed. */
bool args_get_number(const char *args, const char *key, int64_t *number);

#endif
