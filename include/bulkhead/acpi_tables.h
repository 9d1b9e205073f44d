/* SPDX-License-Identifier: MIT */
/*
 * The ACPI tables of a partition with the PC platform (every Linux
 * partition), built into a buffer that the guest sees at a fixed
 * guest-physical address: RSDP, XSDT and RSDT, FADT with FACS and a DSDT
 * that only names \_S5, and a MADT with the vCPUs' local APICs, one
 * IOAPIC and the usual ISA overrides. Power-off and reset go
 * through the I/O ports named here, which the hypervisor emulates. Pure:
 * no I/O, no allocation, no global state.
 */
#ifndef BULKHEAD_ACPI_TABLES_H
#define BULKHEAD_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_TABLES_MAX_CPUS 64

/* PM1 control register bits: SCI_EN reads as 1 (always in ACPI mode);
 * SLP_TYP with SLP_EN is the guest's sleep request (S5: power off). */
#define ACPI_PM1_SCI_EN	       (1u << 0)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK  (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN	       (1u << 13)
/* The SLP_TYP the DSDT's \_S5 package gives for soft-off. */
#define ACPI_SLP_TYP_S5 5

struct acpi_params {
	/* Guest-physical address of buffer[0]. */
	uint64_t base;
	/* 1..ACPI_TABLES_MAX_CPUS; CPU i has APIC ID and ACPI UID i. */
	uint32_t cpu_count;
	/* E.g. 0xfee00000 (4 KiB aligned) and 0xfec00000 (not 0). */
	uint32_t lapic_address;
	uint32_t ioapic_address;
	/* At least cpu_count (apart from the CPUs' IDs), not 0xff. */
	uint8_t ioapic_id;
	/* 4 ports: PM1a status, then enable; 16-bit registers. */
	uint16_t pm1a_event_port;
	/* 2 ports: PM1a control, a 16-bit register. */
	uint16_t pm1a_control_port;
	/* 4 ports: the 24-bit PM timer, read 32 bits wide; 0 = no timer. */
	uint16_t pm_timer_port;
	/* 1 port: the guest writes reset_value to it (8 bits) to reset. */
	uint16_t reset_port;
	uint8_t reset_value;
	/* The SCI's ISA IRQ, 1..15 but not 2 (IRQ 0's GSI); it is GSI
	 * sci_irq, level-triggered, active high. */
	uint8_t sci_irq;
};

/*
 * Builds the tables into buffer, which the guest sees at params->base. The
 * RSDP comes first, at the first 16-byte aligned guest-physical address of
 * the buffer, so that a scan of 0xe0000-0xfffff finds it. Every table must
 * lie below 4 GiB (the RSDT and the FADT's 32-bit pointers are filled).
 * The I/O port blocks must be non-zero (timer excepted), inside the 64 KiB
 * port space and not overlap. Returns the bytes of buffer used (the rest is
 * untouched) and stores the RSDP's guest-physical address in *rsdp_address
 * (if not NULL); returns 0 and writes nothing when the parameters are
 * invalid or capacity is too small.
 */
size_t acpi_tables_build(uint8_t *buffer, size_t capacity,
			 const struct acpi_params *params,
			 uint64_t *rsdp_address);

#endif
