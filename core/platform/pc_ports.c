/* SPDX-License-Identifier: MIT */
/*
 * The few PC platform ports a partition with platform "pc" (every Linux
 * partition) is given, all emulated: the ACPI PM1a event block (no event
 * ever fires; the enable register keeps its value) and control block (a
 * sleep request for S5 is the guest's power-off: the partition exits with
 * status 0), the ACPI PM timer (3.579545 MHz, computed from the TSC), the
 * reset control register 0xcf9 and the keyboard controller's reset command
 * (either restarts only this partition), the 8254 PIT's ports (pit.c),
 * and PCI configuration mechanism 1, which finds no device: the address
 * latch reads back, the data window reads all ones.
 */
#include "pc_ports.h"

#include <bulkhead/acpi_tables.h>

#include "arch/x86_64/cpu.h"
#include "core/console/console.h"
#include "core/partition/partition_lifecycle.h"
#include "pc.h"
#include "pit.h"

#define PM_TIMER_HZ 3579545ull
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define KEYBOARD_COMMAND 0x64
#define KEYBOARD_RESET 0xfe
#define RESET_CONTROL_RESET (1u << 2)

static uint32_t pm_timer_now(void)
{
	uint64_t tsc = rdtsc(), hz = boot_info->tsc_hz;
	/* Split so nothing overflows: hz < 2^34, PM_TIMER_HZ < 2^22. */
	uint64_t ticks = tsc / hz * PM_TIMER_HZ + tsc % hz * PM_TIMER_HZ / hz;

	return (uint32_t)ticks & 0xffffff;
}

static void pm1_control_write(struct partition *p, uint32_t value)
{
	if (!(value & ACPI_PM1_SLP_EN))
		return;
	if (((value >> ACPI_PM1_SLP_TYP_SHIFT) & 7) == ACPI_SLP_TYP_S5) {
		log_line("partition %s: powered off by the guest",
			 p->config->name);
		partition_exit(p, 0);
	}
}

bool platform_port_emulate(struct vcpu *vcpu, const struct vcpu_exit *exit,
			   uint32_t *value)
{
	struct partition *p = vcpu->partition;
	uint16_t port = exit->io.port;
	uint32_t written = (uint32_t)vcpu->registers.rax;

	if (port >= PC_PM1A_EVENT_PORT && port < PC_PM1A_EVENT_PORT + 2) {
		*value = 0; /* no event ever happens */
		return true;
	}
	if (port == PC_PM1A_EVENT_PORT + 2) {
		/* PM1 enable keeps what the guest enables (no event fires) */
		if (exit->io.in)
			*value = p->pm1_enable;
		else
			p->pm1_enable = (uint16_t)written;
		return true;
	}
	if (port == PC_PM1A_CONTROL_PORT) {
		if (exit->io.in)
			*value = ACPI_PM1_SCI_EN;
		else
			pm1_control_write(p, written);
		return true;
	}
	if (port == PC_PM_TIMER_PORT) {
		*value = exit->io.in ? pm_timer_now() : 0;
		return true;
	}
	if (port == PC_RESET_PORT) {
		if (!exit->io.in && (written & RESET_CONTROL_RESET)) {
			log_line("partition %s: reset by the guest",
				 p->config->name);
			partition_restart(p);
		}
		*value = 0;
		return true;
	}
	if (port == KEYBOARD_COMMAND && !exit->io.in &&
	    (written & 0xff) == KEYBOARD_RESET) {
		log_line("partition %s: reset by the guest (keyboard "
			 "controller)",
			 p->config->name);
		partition_restart(p);
		return true;
	}
	if (port >= PIT_PORT_BASE && port < PIT_PORT_BASE + PIT_PORT_COUNT) {
		/* Counter 2 reads 0, so Linux's PIT calibration gives up at
		 * once instead of polling 100,000 times. */
		*value = 0;
		virtual_pit_port(vcpu, exit, value);
		return true;
	}
	if (port == PCI_CONFIG_ADDRESS && exit->io.size == 4) {
		if (exit->io.in)
			*value = vcpu->partition->pci_address;
		else
			vcpu->partition->pci_address = written;
		return true;
	}
	if (port >= PCI_CONFIG_DATA && port < PCI_CONFIG_DATA + 4) {
		*value = 0xffffffffu; /* no device at any address */
		return true;
	}
	return false;
}
