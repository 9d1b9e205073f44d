/* SPDX-License-Identifier: MIT */
/*
 * Intercepted port I/O. Ports the config grants never exit (the backend
 * clears them in the I/O bitmap); what does exit is the partition's
 * virtual 16550 at 0x3f8 (core/platform/uart_model.c), whose transmitted bytes
 * become labelled console lines; with the PC platform also its CMOS clock and
 * platform ports (core/platform/pc_ports.c); the partition's exit device
 * (its config's exit-device port: a write ends the partition with the
 * value written as its status, and never reaches a port of the machine,
 * such as the emulator's isa-debug-exit); or a denied port: reads return
 * all ones, writes are dropped, and the first few are logged.
 */
#include <string.h>

#include "core/console/console.h"
#include "core/partition/partition_lifecycle.h"
#include "apic.h"
#include "pc_ports.h"
#include "port_io.h"
#include "pci_config.h"

#define DENIED_PORT_LOG_LIMIT 8
#define RTC_INDEX 0x70
#define RTC_DATA 0x71

static void uart_flush_line(struct partition *p)
{
	console_partition_line(p->config->name, &p->console_log, p->uart_line,
			       p->uart_length);
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

/* An IN's value into RAX as the CPU does it: a 1- or 2-byte IN replaces
 * AL or AX and keeps the rest; a 4-byte IN writes EAX, which clears the
 * upper half of RAX. */
static inline void in_result(struct vcpu *vcpu, const struct vcpu_exit *exit,
			     uint32_t value)
{
	uint64_t *rax = &vcpu->registers.rax;

	if (exit->io.size == 4)
		*rax = value;
	else if (exit->io.size == 2)
		*rax = (*rax & ~0xffffull) | (value & 0xffff);
	else
		*rax = (*rax & ~0xffull) | (value & 0xff);
}

/* One register access to the partition's virtual 16550, under its lock,
 * and the IN's result merged into RAX. With the PC platform a rising
 * interrupt output is an edge on IOAPIC pin 4; without it the UART's
 * output goes nowhere, so its line is not computed. The read and the
 * write are apart, each with only what it needs live across its calls:
 * this is the hot path of every guest's console (docs/performance.md). */
static __attribute__((noinline)) void
uart_read(struct vcpu *vcpu, const struct vcpu_exit *exit, unsigned reg)
{
	struct partition *p = vcpu->partition;
	bool wired = vcpu->cpuid_view.pc_platform;

	spin_lock(&p->lock);
	bool line_before = wired && vuart_irq_line(&p->uart);
	uint32_t result = vuart_read(&p->uart, reg);
	bool rising = wired && !line_before && vuart_irq_line(&p->uart);
	spin_unlock(&p->lock);
	if (rising)
		virtual_ioapic_pin(p, PC_UART_IRQ);
	in_result(vcpu, exit, result);
}

/* A write on the PC platform, which also follows the interrupt line. */
static __attribute__((noinline)) void
uart_write_wired(struct partition *p, unsigned reg, uint8_t value)
{
	uint8_t transmitted;

	spin_lock(&p->lock);
	bool line_before = vuart_irq_line(&p->uart);
	if (vuart_write(&p->uart, reg, value, &transmitted))
		uart_transmit(p, (char)transmitted);
	bool rising = !line_before && vuart_irq_line(&p->uart);
	spin_unlock(&p->lock);
	if (rising)
		virtual_ioapic_pin(p, PC_UART_IRQ);
}

/* A write where the UART's interrupt output goes nowhere. */
static __attribute__((noinline)) void
uart_write(struct partition *p, unsigned reg, uint8_t value)
{
	uint8_t transmitted;

	spin_lock(&p->lock);
	if (vuart_write(&p->uart, reg, value, &transmitted))
		uart_transmit(p, (char)transmitted);
	spin_unlock(&p->lock);
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

/* A write to the exit device: the value, zero-extended from the access's
 * size, is the partition's exit status. Reads find nothing there. */
static void exit_device_access(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct partition *p = vcpu->partition;
	uint64_t value = vcpu->registers.rax;

	if (exit->io.in)
		return;
	if (exit->io.size == 1)
		value &= 0xff;
	else if (exit->io.size == 2)
		value &= 0xffff;
	else
		value &= 0xffffffffull;
	log_line("partition %s: %llu written to its exit device",
		 p->config->name, (unsigned long long)value);
	partition_exit(p, (int64_t)value);
}

/* Every port but the UART's: out of line, so that the UART's exits (the
 * frequent ones) need none of its stack frame. */
static __attribute__((noinline)) void
other_port(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct partition *p = vcpu->partition;
	uint16_t port = exit->io.port;
	uint32_t value = 0xffffffffu;

	if (p->config->exit_device_port &&
	    port == p->config->exit_device_port) {
		exit_device_access(vcpu, exit);
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
	if (exit->io.in)
		in_result(vcpu, exit, value);
}

void port_io_emulate(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	unsigned reg = (unsigned)exit->io.port - VIRTUAL_UART_BASE;

	if (reg < VIRTUAL_UART_PORTS && !exit->io.in &&
	    vcpu->cpuid_view.pc_platform)
		uart_write_wired(vcpu->partition, reg,
				 (uint8_t)vcpu->registers.rax);
	else if (reg < VIRTUAL_UART_PORTS && !exit->io.in)
		uart_write(vcpu->partition, reg, (uint8_t)vcpu->registers.rax);
	else if (reg < VIRTUAL_UART_PORTS)
		uart_read(vcpu, exit, reg);
	else
		other_port(vcpu, exit);
}
