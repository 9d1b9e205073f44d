/* SPDX-License-Identifier: MIT */
/*
 * Intercepted port I/O. Ports the config grants never exit (the backend
 * clears them in the I/O bitmap); what does exit is the partition's
 * virtual 16550 at 0x3f8 (core/platform/uart_model.c), whose transmitted bytes become
 * labelled console lines; with the PC platform also its CMOS clock and
 * platform ports (core/platform/pc_ports.c); or a denied port: reads return
 * all ones, writes are dropped, and the first few are logged.
 */
#include <string.h>

#include "core/console/console.h"
#include "apic.h"
#include "pc_ports.h"
#include "port_io.h"
#include "pci_config.h"

#define DENIED_PORT_LOG_LIMIT 8
#define RTC_INDEX 0x70
#define RTC_DATA 0x71

static void uart_flush_line(struct partition *p)
{
	console_partition_line(p->config->name, p->uart_line, p->uart_length);
	p->uart_length = 0;
}

/* Every byte but LF is kept: the console shows the CRs of CR LF line ends
 * as nothing and any other CR as "^M". */
static void uart_transmit(struct partition *p, char c)
{
	if (c == '\n') {
		uart_flush_line(p);
		return;
	}
	p->uart_line[p->uart_length++] = c;
	if (p->uart_length == sizeof(p->uart_line))
		uart_flush_line(p);
}

/* One register access to the partition's virtual 16550, under its lock.
 * A rising interrupt output is an edge on IOAPIC pin 4 (PC platform). */
static uint32_t uart_access(struct vcpu *vcpu, unsigned reg, bool in,
			    uint8_t value)
{
	struct partition *p = vcpu->partition;
	uint8_t transmitted;
	uint32_t result = 0;

	spin_lock(&p->lock);
	bool line_before = vuart_irq_line(&p->uart);
	if (in)
		result = vuart_read(&p->uart, reg);
	else if (vuart_write(&p->uart, reg, value, &transmitted))
		uart_transmit(p, (char)transmitted);
	bool rising = !line_before && vuart_irq_line(&p->uart);
	spin_unlock(&p->lock);
	if (rising && vcpu->cpuid_view.pc_platform)
		virtual_ioapic_pin(p, PC_UART_IRQ);
	return result;
}

/* The PC platform's CMOS clock, which Linux reads at boot: a fixed, valid
 * date (1 January 2026, midnight, BCD, 24-hour), never updating. */
static uint32_t rtc_access(struct partition *p, uint16_t port, bool in,
			   uint8_t value)
{
	if (port == RTC_INDEX) {
		if (!in)
			p->rtc_index = value & 0x7f;
		return 0xff;
	}
	if (!in)
		return 0;
	switch (p->rtc_index) {
	case 0x07: /* day of month */
	case 0x08: /* month */
		return 0x01;
	case 0x09: /* year */
		return 0x26;
	case 0x0a: /* status A: no update in progress */
		return 0x26;
	case 0x0b: /* status B: 24-hour, BCD */
		return 0x02;
	case 0x0d: /* status D: valid */
		return 0x80;
	case 0x32: /* century */
		return 0x20;
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
		value = uart_access(vcpu, port - VIRTUAL_UART_BASE, exit->io.in,
				    (uint8_t)vcpu->registers.rax);
	} else if (p->pci_view.count && pci_config_port(vcpu, exit, &value)) {
		/* the PCI functions it owns (before the PC's empty bus) */
	} else if (vcpu->cpuid_view.pc_platform &&
		   (port == RTC_INDEX || port == RTC_DATA)) {
		value = rtc_access(p, port, exit->io.in,
				   (uint8_t)vcpu->registers.rax);
	} else if (vcpu->cpuid_view.pc_platform &&
		   platform_port_emulate(vcpu, exit, &value)) {
		/* emulated */
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
