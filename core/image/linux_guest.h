/* SPDX-License-Identifier: MIT */
/*
 * Linux partitions: the guest-physical platform they see (docs/linux.md)
 * and their loading by the boot protocol.
 */
#ifndef BULKHEAD_CORE_IMAGE_LINUX_GUEST_H
#define BULKHEAD_CORE_IMAGE_LINUX_GUEST_H

#include <bulkhead/image_check.h>

#include "core/partition/partition.h"

/* The platform of every Linux partition. */
#define LINUX_LAPIC_BASE 0xfee00000ull
#define LINUX_IOAPIC_BASE 0xfec00000ull
#define LINUX_ACPI_BASE 0xe0000ull /* ACPI tables, reserved in e820 */
#define LINUX_ACPI_SIZE 0x20000ull
#define LINUX_PM1A_EVENT_PORT 0x600
#define LINUX_PM1A_CONTROL_PORT 0x604
#define LINUX_PM_TIMER_PORT 0x608
#define LINUX_RESET_PORT 0xcf9
#define LINUX_RESET_VALUE 0x06 /* system reset, full reset */
#define LINUX_SCI_IRQ 9
#define LINUX_UART_IRQ 4         /* COM1's ISA IRQ, IOAPIC pin 4 */
#define LINUX_CHANNEL_IRQ_BASE 16 /* channel slot n rings pin 16 + n */
/* What the hypervisor may append to the config's command line. */
#define LINUX_CMDLINE_ADDED_MAX IMAGE_LINUX_CMDLINE_ADDED_MAX
/* Virtual APIC timer ticks at divide-by-1: TSC / this. */
#define LINUX_APIC_TSC_PER_TICK 1

/* Loads kernel, initrd, command line, zero page, ACPI tables, GDT and
 * identity tables into the (zeroed) memory of p. */
void linux_guest_load(struct partition *p);
/* vCPU 0 at the 64-bit entry, the others waiting for INIT and SIPI. */
void linux_guest_reset_vcpu(struct vcpu *vcpu);

#endif
