/* SPDX-License-Identifier: MIT */
/*
 * The console's escape keys (pure, unit-tested): typed bytes go to the
 * focused partition, except after Ctrl-], which starts a command:
 *   Ctrl-] n   focus the next Linux partition
 *   Ctrl-] l   list the partitions and which one has the focus
 *   Ctrl-] Ctrl-]   send one Ctrl-] to the partition
 * Any other byte after Ctrl-] is dropped (with the Ctrl-]).
 */
#ifndef BULKHEAD_CORE_CONSOLE_CONSOLE_KEYS_H
#define BULKHEAD_CORE_CONSOLE_CONSOLE_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_ESCAPE 0x1d /* Ctrl-] (Ctrl-A is QEMU's own escape) */

enum console_key_action {
	CONSOLE_KEY_NONE,    /* swallowed (an escape in progress) */
	CONSOLE_KEY_FORWARD, /* send *forward to the focused partition */
	CONSOLE_KEY_NEXT,    /* move the focus */
	CONSOLE_KEY_LIST,    /* list partitions */
};

struct console_keys {
	bool escaped; /* the previous byte was a lone Ctrl-] */
};

enum console_key_action console_key(struct console_keys *keys, uint8_t byte,
				    uint8_t *forward);

#endif
