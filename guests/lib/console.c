/* SPDX-License-Identifier: MIT */
/*
 * Console output of the guest library: formatted text through the
 * console-write hypercall, and raw characters through the virtual UART.
 */
#include <stdarg.h>

#include "console.h"
#include "cpu.h"
#include "format.h"
#include "hypercall.h"

/* The transmitter is polled this often before a character is sent anyway. */
#define UART_SPIN_LIMIT 100000

int gprintf(const char *fmt, ...)
{
	char buffer[GPRINTF_MAX];
	va_list args;
	int length;

	va_start(args, fmt);
	length = format_v(buffer, sizeof(buffer), fmt, args);
	va_end(args);
	if (length < 0)
		return length;
	if ((unsigned)length >= sizeof(buffer))
		length = sizeof(buffer) - 1;
	return bulkhead_console_write(buffer, length);
}

void uart_putc(char c)
{
	unsigned spins;

	for (spins = 0; spins < UART_SPIN_LIMIT; spins++) {
		if (inb(UART_LSR) & UART_LSR_THRE)
			break;
		cpu_relax();
	}
	outb(UART_BASE, (uint8_t)c);
}

void uart_puts(const char *text)
{
	while (*text)
		uart_putc(*text++);
}
