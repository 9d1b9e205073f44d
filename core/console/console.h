/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: whole lines, each prefixed with the time since the
 * loader started and a label (the hypervisor's or a partition's name), so
 * output of several CPUs and partitions never interleaves within a line.
 */
#ifndef BULKHEAD_CORE_CONSOLE_CONSOLE_H
#define BULKHEAD_CORE_CONSOLE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void console_init(uint16_t port, uint64_t tsc_hz, uint64_t tsc_start);
/* A hypervisor line: "[   1.234567] bulkhead: text". */
void log_line(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* A partition line: "[   1.234567] name: text" (text has no newline). Its
 * control characters are shown as "^X" or "\xNN", the CRs that end it are
 * dropped, and text over CONSOLE_TEXT_MAX characters continues in further
 * labelled lines (core/console/console_text.h). */
void console_partition_line(const char *name, const char *text, size_t length);
/* For the panic path: take the console whatever state its lock is in. */
void console_break_lock(void);
uint64_t console_microseconds(void);

#endif
