/* SPDX-License-Identifier: MIT */
/*
 * The host's PCI functions, discovered once at boot: the interface for
 * what comes after (device ownership, the IOMMU drivers). pci_init picks
 * the configuration access (pci_config.h), enumerates every root with
 * pci_scan (pci_scan.h) into the boot heap and logs one line per function.
 * Afterwards the list is fixed and read-only: every CPU may read it
 * without a lock. struct pci_function (pci_scan.h) is what each entry
 * holds; pci_config.h reads and writes a function's registers.
 */
#ifndef BULKHEAD_DRIVERS_PCI_PCI_H
#define BULKHEAD_DRIVERS_PCI_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci_scan.h"

/* Functions beyond this many are counted and logged, not kept. */
#define PCI_MAX_FUNCTIONS 256

/*
 * Discovers the host's PCI functions: once, on the boot CPU, after the
 * console, the identity map and the boot heap exist and before the heap
 * is sealed or the APs start. acpi_rsdp is the boot info's (0 without
 * ACPI). Each function's BARs are sized with its decoding briefly off
 * (pci_read_function); nothing else changes in the devices. The log
 * lists the first 32 functions, then says how many more there are.
 */
void pci_init(uint64_t acpi_rsdp);

/* The functions found, in scan order (bus by bus, as buses are reached
 * from each root); sets *count (0 before pci_init, or without access). */
const struct pci_function *pci_functions(size_t *count);

/* The function at address, or NULL when none was found there. */
const struct pci_function *pci_find(struct pci_address address);

/* The IOAPIC input (GSI) f's INTx pin drives, or -1: no pin, or a
 * chipset whose wiring is not known (pci_intx.h); segment 0 only. */
int pci_intx_gsi_of(const struct pci_function *f);

/* The buses behind the PCI-PCI bridge found at (segment, bus, device,
 * function); false when no bridge was found there. Shaped as the IOMMU
 * drivers' bridge callback (iommu_bridge_buses, drivers/iommu/iommu.h),
 * for device scopes behind bridges; context is not used. */
bool pci_bridge_buses(void *context, uint16_t segment, uint8_t bus,
		      uint8_t device, uint8_t function, uint8_t *secondary,
		      uint8_t *subordinate);

#endif
