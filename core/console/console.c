/* SPDX-License-Identifier: MIT */
/*
 * Console line assembly and timestamps. One lock serialises whole lines;
 * it is the only lock a vCPU's exit path may take, and only when the guest
 * prints. Partition text is rendered harmless first (core/console/console_text.h),
 * and each rendered line also goes, without time and label, into the
 * partition's console log (core/console/console_ring.h) under the same
 * lock, which reads of the log take too.
 */
#include "console.h"

#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/spinlock.h"
#include "drivers/uart16550.h"
#include "lib/format.h"
#include "console_text.h"

static struct spinlock console_lock;
static uint64_t console_tsc_hz = 1;
static uint64_t console_tsc_start;

void console_init(uint16_t port, uint64_t tsc_hz, uint64_t tsc_start)
{
	uart_init(port);
	console_tsc_hz = tsc_hz ? tsc_hz : 1;
	console_tsc_start = tsc_start;
}

uint64_t console_microseconds(void)
{
	uint64_t ticks = rdtsc() - console_tsc_start;

	return ticks / console_tsc_hz * 1000000 +
	       ticks % console_tsc_hz * 1000000 / console_tsc_hz;
}

static void write_text(const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if (text[i] == '\n')
			uart_put_char('\r');
		uart_put_char(text[i]);
	}
}

static void write_line(const char *label, struct console_ring *log,
		       const char *text, size_t length)
{
	char prefix[64];

	spin_lock(&console_lock); /* taken first: timestamps stay in order */
	uint64_t us = console_microseconds();
	int prefix_length = format(prefix, sizeof(prefix), "[%5llu.%06llu] %s: ",
				   (unsigned long long)(us / 1000000),
				   (unsigned long long)(us % 1000000), label);
	write_text(prefix, (size_t)prefix_length < sizeof(prefix)
				   ? (size_t)prefix_length
				   : sizeof(prefix) - 1);
	write_text(text, length);
	write_text("\n", 1);
	if (log) {
		console_ring_append(log, text, length);
		console_ring_append(log, "\n", 1);
	}
	spin_unlock(&console_lock);
}

void log_line(const char *fmt, ...)
{
	char text[256];
	va_list args;

	va_start(args, fmt);
	int length = format_v(text, sizeof(text), fmt, args);
	va_end(args);
	if (length >= (int)sizeof(text))
		length = sizeof(text) - 1;
	write_line("bulkhead", NULL, text, (size_t)length);
}

/* One line of partition text, shown so that it cannot act on a terminal
 * or pass as another label's; text longer than a line goes on in further
 * lines, each labelled. */
void console_partition_line(const char *name, struct console_ring *log,
			    const char *text, size_t length)
{
	char shown[CONSOLE_TEXT_MAX];
	size_t shown_length, used;

	length = console_text_line_length(text, length);
	do {
		used = console_text_render(text, length, shown, sizeof(shown),
					   &shown_length);
		write_line(name, log, shown, shown_length);
		text += used;
		length -= used;
	} while (length > 0 && used > 0);
}

bool console_log_read(const struct console_ring *log, uint64_t position,
		      uint8_t *out, size_t capacity,
		      struct console_ring_read *result)
{
	bool ok;

	spin_lock(&console_lock);
	ok = console_ring_read(log, position, out, capacity, result);
	spin_unlock(&console_lock);
	return ok;
}

uint64_t console_log_written(const struct console_ring *log)
{
	uint64_t written;

	spin_lock(&console_lock);
	written = log->written;
	spin_unlock(&console_lock);
	return written;
}

void console_break_lock(void)
{
	spin_unlock(&console_lock);
}
