/* SPDX-License-Identifier: MIT */
/*
 * The PC platform (platform = "pc", every Linux partition): where its
 * devices sit in the guest-physical and port spaces, and its setup at each
 * (re)load: the ACPI tables and the reset of the interrupt controllers and
 * platform ports (pc.c). A partition with platform "none" has none of it.
 */
#ifndef BULKHEAD_CORE_PLATFORM_PC_H
#define BULKHEAD_CORE_PLATFORM_PC_H

#include "core/partition/partition.h"

#define PC_LAPIC_BASE 0xfee00000ull
#define PC_IOAPIC_BASE 0xfec00000ull
/* The ACPI tables (RSDP first), in the partition's own RAM below 1 MiB:
 * free in the bare-metal layout (hypercall.h), e820-reserved for Linux. */
#define PC_ACPI_BASE 0xe0000ull
#define PC_ACPI_SIZE 0x20000ull
#define PC_PM1A_EVENT_PORT 0x600
#define PC_PM1A_CONTROL_PORT 0x604
#define PC_PM_TIMER_PORT 0x608
#define PC_RESET_PORT 0xcf9
#define PC_RESET_VALUE 0x06 /* system reset, full reset */
#define PC_SCI_IRQ 9
#define PC_PIT_GSI 2 /* the PIT's IRQ 0: the MADT overrides it to pin 2 */
#define PC_UART_IRQ 4          /* COM1's ISA IRQ, IOAPIC pin 4 */
#define PC_CHANNEL_IRQ_BASE 16 /* channel slot n rings pin 16 + n */
/* Virtual APIC timer ticks at divide-by-1: TSC / this. */
#define PC_APIC_TSC_PER_TICK 1

/* Builds the ACPI tables into p's (zeroed) memory, sets p->acpi_rsdp and
 * resets the IOAPIC and the platform ports' state. */
void pc_platform_load(struct partition *p);
/* The vCPU's local APIC as at power-on: APIC ID = vCPU index. */
void pc_platform_reset_vcpu(struct vcpu *vcpu);

#endif
