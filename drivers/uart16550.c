/* SPDX-License-Identifier: MIT */
/*
 * Polled output and input on a 16550 UART, 115200 8N1, no interrupts. The
 * hypervisor owns this port; partitions never get it (their UART is
 * virtual; typed input reaches the focused one, core/platform/uart_input.c).
 */
#include "uart16550.h"

#include "arch/x86_64/cpu.h"

#define UART_DATA 0
#define UART_INTERRUPT_ENABLE 1
#define UART_FIFO_CONTROL 2
#define UART_LINE_CONTROL 3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS 5
#define LINE_STATUS_DATA_READY 0x01
#define LINE_STATUS_THR_EMPTY 0x20

static uint16_t uart_port;

void uart_init(uint16_t port)
{
	uart_port = port;
	outb(port + UART_INTERRUPT_ENABLE, 0);
	outb(port + UART_LINE_CONTROL, 0x80); /* divisor latch */
	outb(port + UART_DATA, 1);            /* 115200 baud */
	outb(port + UART_INTERRUPT_ENABLE, 0);
	outb(port + UART_LINE_CONTROL, 0x03); /* 8N1 */
	outb(port + UART_FIFO_CONTROL, 0xc7);
	outb(port + UART_MODEM_CONTROL, 0x03);
}

void uart_put_char(char c)
{
	for (int spins = 0; spins < 100000; spins++)
		if (inb(uart_port + UART_LINE_STATUS) & LINE_STATUS_THR_EMPTY)
			break;
	outb(uart_port + UART_DATA, (uint8_t)c);
}

bool uart_get_char(uint8_t *c)
{
	if (!uart_port || !(inb(uart_port + UART_LINE_STATUS) &
			    LINE_STATUS_DATA_READY))
		return false;
	*c = inb(uart_port + UART_DATA);
	return true;
}
