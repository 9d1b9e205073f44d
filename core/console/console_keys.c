/* SPDX-License-Identifier: MIT */
/* The console's Ctrl-] commands; see console_keys.h. Pure. */
#include "console_keys.h"

enum console_key_action console_key(struct console_keys *keys, uint8_t byte,
				    uint8_t *forward)
{
	if (!keys->escaped) {
		if (byte == CONSOLE_ESCAPE) {
			keys->escaped = true;
			return CONSOLE_KEY_NONE;
		}
		*forward = byte;
		return CONSOLE_KEY_FORWARD;
	}
	keys->escaped = false;
	switch (byte) {
	case CONSOLE_ESCAPE:
		*forward = CONSOLE_ESCAPE;
		return CONSOLE_KEY_FORWARD;
	case 'n':
	case 'N':
		return CONSOLE_KEY_NEXT;
	case 'l':
	case 'L':
		return CONSOLE_KEY_LIST;
	default:
		return CONSOLE_KEY_NONE;
	}
}
