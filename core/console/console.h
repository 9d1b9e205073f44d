/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: whole lines, each prefixed with the time since the
 * loader started and a label (the hypervisor's or a partition's name), so
 * output of several CPUs and partitions never interleaves within a line.
 */
#ifndef BULKHEAD_CORE_CONSOLE_CONSOLE_H
#define BULKHEAD_CORE_CONSOLE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "console_ring.h"

void console_init(uint16_t port, uint64_t tsc_hz, uint64_t tsc_start);
/* A hypervisor line: "[   1.234567] bulkhead: text". */
void log_line(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* A partition line: "[   1.234567] name: text" (text has no newline). Its
 * control characters are shown as "^X" or "\xNN", the CRs that end it are
 * dropped, and text over CONSOLE_TEXT_MAX characters continues in further
 * labelled lines (core/console/console_text.h). Each line as shown, without
 * time and label, and a LF go into log (the partition's console log). */
void console_partition_line(const char *name, struct console_ring *log,
			    const char *text, size_t length);
/* console_ring_read() and the log's position under the console lock. */
bool console_log_read(const struct console_ring *log, uint64_t position,
		      uint8_t *out, size_t capacity,
		      struct console_ring_read *result);
uint64_t console_log_written(const struct console_ring *log);
/* For the panic path: take the console whatever state its lock is in. */
void console_break_lock(void);
uint64_t console_microseconds(void);

#endif
