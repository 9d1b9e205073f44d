/* SPDX-License-Identifier: MIT */
/*
 * The ACPI tables of a partition with the PC platform (every Linux
 * partition), built into a buffer that the guest sees at a fixed
 * guest-physical address: RSDP, XSDT and RSDT, FADT with FACS, a DSDT
 * that names \_S5 and, for a partition that owns PCI functions, the host
 * bridge \_SB.PCI0 (its windows and INTx routes), a MADT with the vCPUs'
 * local APICs, one IOAPIC and the usual ISA overrides, and an MCFG when
 * there is an ECAM window. Power-off and reset go through the I/O ports
 * named here, which the hypervisor emulates. Pure: no I/O, no
 * allocation, no global state.
 */
#ifndef BULKHEAD_ACPI_TABLES_H
#define BULKHEAD_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_TABLES_MAX_CPUS 64

/* The host bridge's limits: the slots of lib/acpi_dsdt.asl. */
#define ACPI_PCI_MAX_MEMORY_WINDOWS 16
#define ACPI_PCI_MAX_IO_WINDOWS	    8
#define ACPI_PCI_MAX_ROUTES	    16
/* GSIs below this are the ISA IRQs' (edge triggered, active high). */
#define ACPI_PCI_MIN_GSI    16
#define ACPI_PCI_MAX_DEVICE 31
#define ACPI_PCI_MAX_PIN    3 /* 0-3: INTA-INTD */
/* Each bus of an ECAM window takes 1 MiB of configuration space. */
#define ACPI_ECAM_BUS_SIZE (1ull << 20)

/* A window the host bridge forwards to its bus: base and size in bytes
 * (memory) or ports (I/O). */
struct acpi_window {
	uint64_t base;
	uint64_t size;
};

/* An INTx route of the host bridge's _PRT: pin (0-3, INTA-INTD) of every
 * function of device (0-31) on bus 0 is IOAPIC input gsi, level
 * triggered, active low. */
struct acpi_pci_route {
	uint8_t device;
	uint8_t pin;
	uint32_t gsi;
};

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

	/* A PCI host bridge, \_SB.PCI0 (segment 0, bus 0, configuration
	 * mechanism 1), in the DSDT. False: no PCI0, and every field below
	 * must be zero. */
	bool pci;
	/* With pci: the FADT lets the OS use MSI (otherwise its "MSI not
	 * supported" flag is set: the partition's devices' MSIs cannot be
	 * routed). */
	bool msi;
	/* Its memory windows (32- or 64-bit addresses): each size non-zero,
	 * base + size - 1 within 64 bits, no two overlapping. */
	uint32_t memory_window_count; /* 0..ACPI_PCI_MAX_MEMORY_WINDOWS */
	struct acpi_window memory_windows[ACPI_PCI_MAX_MEMORY_WINDOWS];
	/* Its I/O windows: each size non-zero, inside the 64 KiB port
	 * space, no two overlapping. */
	uint32_t io_window_count; /* 0..ACPI_PCI_MAX_IO_WINDOWS */
	struct acpi_window io_windows[ACPI_PCI_MAX_IO_WINDOWS];
	/* Its _PRT: device 0..31, pin 0..3, gsi at least ACPI_PCI_MIN_GSI
	 * and not beyond the IOAPIC's inputs (the caller's to know); no
	 * (device, pin) twice. */
	uint32_t route_count; /* 0..ACPI_PCI_MAX_ROUTES */
	struct acpi_pci_route routes[ACPI_PCI_MAX_ROUTES];
	/* Guest-physical base of the ECAM window (bus 0's configuration
	 * space; 1 MiB aligned), 0 = none. Non-zero (only with pci): an MCFG
	 * for segment 0, buses 0..ecam_end_bus, and \_SB.MRES, a
	 * motherboard resource (PNP0C02) that reserves the window's
	 * (ecam_end_bus + 1) MiB, which must not overlap a memory window. */
	uint64_t ecam_base;
	uint8_t ecam_end_bus; /* 0 when ecam_base is 0 */
};

/*
 * Builds the tables into buffer, which the guest sees at params->base. The
 * RSDP comes first, at the first 16-byte aligned guest-physical address of
 * the buffer, so that a scan of 0xe0000-0xfffff finds it. Every table must
 * lie below 4 GiB (the RSDT and the FADT's 32-bit pointers are filled).
 * The I/O port blocks must be non-zero (timer excepted), inside the 64 KiB
 * port space and not overlap; the PCI fields must be as described above.
 * Returns the bytes of buffer used (the rest is untouched) and stores the
 * RSDP's guest-physical address in *rsdp_address (if not NULL); returns 0
 * and writes nothing when the parameters are invalid or capacity is too
 * small.
 */
size_t acpi_tables_build(uint8_t *buffer, size_t capacity,
			 const struct acpi_params *params,
			 uint64_t *rsdp_address);

#endif
