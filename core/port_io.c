/* SPDX-License-Identifier: MIT */
/*
 * Intercepted port I/O. Ports the config grants never exit (the backend
 * clears them in the I/O bitmap); what does exit is either the partition's
 * virtual 16550 at 0x3f8, whose transmitted bytes become labelled console
 * lines, or a denied port: reads return all ones, writes are dropped, and
 * the first few are logged.
 */
#include <string.h>

#include "console.h"
#include "virtual_uart.h"

#define UART_DATA 0
#define UART_INTERRUPT_ENABLE 1
#define UART_INTERRUPT_ID 2
#define UART_LINE_CONTROL 3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS 5
#define UART_MODEM_STATUS 6
#define UART_SCRATCH 7
#define LINE_CONTROL_DLAB 0x80
#define LINE_STATUS_IDLE 0x60 /* transmitter empty, holding register empty */
#define DENIED_PORT_LOG_LIMIT 8

static void uart_flush_line(struct partition *p)
{
	console_partition_line(p->config->name, p->uart_line, p->uart_length);
	p->uart_length = 0;
}

static void uart_transmit(struct partition *p, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		uart_flush_line(p);
		return;
	}
	p->uart_line[p->uart_length++] = c;
	if (p->uart_length == sizeof(p->uart_line))
		uart_flush_line(p);
}

static uint32_t uart_access(struct partition *p, unsigned reg, bool in,
			    uint8_t value)
{
	bool divisor = p->uart_line_control & LINE_CONTROL_DLAB;

	switch (reg) {
	case UART_DATA:
		if (!in && !divisor)
			uart_transmit(p, (char)value);
		return 0;
	case UART_INTERRUPT_ENABLE:
		if (!in && !divisor)
			p->uart_interrupt_enable = value & 0x0f;
		return divisor ? 0 : p->uart_interrupt_enable;
	case UART_INTERRUPT_ID:
		return 0x01; /* no interrupt pending */
	case UART_LINE_CONTROL:
		if (!in)
			p->uart_line_control = value;
		return p->uart_line_control;
	case UART_LINE_STATUS:
		return LINE_STATUS_IDLE;
	case UART_MODEM_STATUS:
		return 0xb0; /* CTS, DSR, DCD */
	case UART_SCRATCH:
		if (!in)
			p->uart_scratch = value;
		return p->uart_scratch;
	default:
		return 0;
	}
}

void port_io_emulate(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct partition *p = vcpu->partition;
	uint16_t port = exit->io.port;
	uint32_t value = 0xffffffffu;

	if (port >= VIRTUAL_UART_BASE &&
	    port < VIRTUAL_UART_BASE + VIRTUAL_UART_PORTS) {
		/* Writes change the UART's state and line buffer, shared by the
		 * partition's vCPUs; reads (status polling) need no lock. */
		if (!exit->io.in)
			spin_lock(&p->lock);
		value = uart_access(p, port - VIRTUAL_UART_BASE, exit->io.in,
				    (uint8_t)vcpu->registers.rax);
		if (!exit->io.in)
			spin_unlock(&p->lock);
	} else if (p->denied_port_logs < DENIED_PORT_LOG_LIMIT) {
		p->denied_port_logs++;
		log_line("partition %s: denied %s of port 0x%x (%s)",
			 p->config->name, exit->io.in ? "read" : "write", port,
			 exit->io.in ? "reads all ones" : "dropped");
	}
	if (exit->io.in) {
		uint64_t mask = exit->io.size == 4   ? 0xffffffffull
				: exit->io.size == 2 ? 0xffffull
						     : 0xffull;
		vcpu->registers.rax = (vcpu->registers.rax & ~mask) |
				      (value & mask);
	}
}
