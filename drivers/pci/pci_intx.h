/* SPDX-License-Identifier: MIT */
/*
 * Which IOAPIC input (GSI) a PCI function's INTx pin drives, known from
 * the chipset rather than from the firmware's AML (the hypervisor has no
 * AML interpreter to evaluate a _PRT). Only QEMU's q35 is known: its
 * fixed wiring of bus 0's slots to the ICH9's PIRQ lines, and the ICH9's
 * fixed PIRQ to IOAPIC wiring in APIC mode. Pure.
 */
#ifndef BULKHEAD_DRIVERS_PCI_PCI_INTX_H
#define BULKHEAD_DRIVERS_PCI_PCI_INTX_H

#include <stdint.h>

enum pci_intx_chipset {
	PCI_INTX_UNKNOWN = 0, /* no INTx routing known: none is delivered */
	PCI_INTX_QEMU_Q35,
};

/* The identity of a function, as the chipset check reads it. */
struct pci_intx_identity {
	uint16_t vendor, device;
	uint16_t subsystem_vendor, subsystem;
};

/* The chipset, from its host bridge (00:00.0) and its LPC bridge
 * (00:1f.0): QEMU's q35 is an Intel MCH 8086:29c0 with QEMU's subsystem
 * 1af4:1100 beside an ICH9 LPC 8086:2918. */
enum pci_intx_chipset pci_intx_chipset(const struct pci_intx_identity *host,
				       const struct pci_intx_identity *lpc);

/* The GSI that pin (1-4: INTA-INTD) of a function at bus:device drives,
 * or -1 when it is not known: an unknown chipset, a bus other than 0
 * (the swizzle across bridges is not followed), or on q35 the ICH9's own
 * slots 25-31, whose routing lives in its chipset configuration
 * registers. On q35, slot s pin p (0-based) is PIRQ[E + (s + p) % 4],
 * and PIRQ[A-H] are GSIs 16-23. */
int pci_intx_gsi(enum pci_intx_chipset chipset, uint8_t bus, uint8_t device,
		 uint8_t pin);

#endif
