/* SPDX-License-Identifier: MIT */
/*
 * Guest output: gprintf() through the console-write hypercall, and the
 * virtual 16550 UART at 0x3f8 driven by port I/O.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

/* Longest gprintf() output; longer output is cut. */
#define GPRINTF_MAX 1024

#define UART_BASE 0x3f8
#define UART_LSR (UART_BASE + 5)
#define UART_LSR_THRE 0x20

/* printf-style (lib/format.h) to the console; returns the bytes written or
 * a negative BULKHEAD_E* code. */
int gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void uart_putc(char c);
void uart_puts(const char *text);

#endif
