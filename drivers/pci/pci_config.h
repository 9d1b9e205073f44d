/* SPDX-License-Identifier: MIT */
/*
 * The host's PCI configuration space: through the ECAM windows the ACPI
 * MCFG lists when the firmware has one (QEMU's q35: all 4096 bytes of
 * every function), else through the legacy ports 0xcf8/0xcfc (Bochs, with
 * no ACPI: segment 0, the first 256 bytes only). Accesses are 1, 2 or 4
 * bytes at an offset that is a multiple of the size; what the mechanism
 * cannot reach, or no function answers, reads as all ones and ignores
 * writes, as absent hardware does. Usable from any CPU once
 * pci_config_init has run (legacy accesses are serialised by a lock).
 */
#ifndef BULKHEAD_DRIVERS_PCI_PCI_CONFIG_H
#define BULKHEAD_DRIVERS_PCI_PCI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/acpi_read.h>

#include "pci_scan.h"

enum pci_config_mechanism {
	PCI_CONFIG_NONE = 0, /* not initialised, or nothing answers */
	PCI_CONFIG_LEGACY,   /* I/O ports 0xcf8/0xcfc, mechanism #1 */
	PCI_CONFIG_ECAM,     /* memory-mapped, from the MCFG */
};

/* Windows beyond this many in the MCFG are left out (and logged). */
#define PCI_CONFIG_MAX_WINDOWS 8

/*
 * Picks the mechanism, once, on the boot CPU after the core's identity
 * map is loaded and before the APs start: the MCFG's windows when
 * acpi_rsdp (the boot info's, 0 without ACPI) leads to one and the first
 * window answers at its first bus's device 0 like the ports do; each
 * window's part above the identity map is mapped uncached
 * (paging_map_uncached). Else the legacy ports when they answer. Logs one
 * line per window, or one for the ports, or one saying there is no PCI
 * access. Returns the mechanism chosen.
 */
enum pci_config_mechanism pci_config_init(uint64_t acpi_rsdp);

enum pci_config_mechanism pci_config_mechanism(void);

/* The ECAM windows in use (none with the ports): sets *windows, returns
 * how many there are. */
size_t pci_config_windows(const struct acpi_mcfg_window **windows);

/* Where an enumeration starts: one root per ECAM window, or segment 0
 * buses 0-255 with the ports. Stores up to capacity, returns how many. */
size_t pci_config_roots(struct pci_root *roots, size_t capacity);

uint32_t pci_config_read(struct pci_address address, uint16_t offset,
			 unsigned size);
void pci_config_write(struct pci_address address, uint16_t offset,
		      unsigned size, uint32_t value);

static inline uint8_t pci_config_read8(struct pci_address address,
				       uint16_t offset)
{
	return (uint8_t)pci_config_read(address, offset, 1);
}

static inline uint16_t pci_config_read16(struct pci_address address,
					 uint16_t offset)
{
	return (uint16_t)pci_config_read(address, offset, 2);
}

static inline uint32_t pci_config_read32(struct pci_address address,
					 uint16_t offset)
{
	return pci_config_read(address, offset, 4);
}

static inline void pci_config_write8(struct pci_address address,
				     uint16_t offset, uint8_t value)
{
	pci_config_write(address, offset, 1, value);
}

static inline void pci_config_write16(struct pci_address address,
				      uint16_t offset, uint16_t value)
{
	pci_config_write(address, offset, 2, value);
}

static inline void pci_config_write32(struct pci_address address,
				      uint16_t offset, uint32_t value)
{
	pci_config_write(address, offset, 4, value);
}

/* The same accesses as a pci_config_access, for pci_scan. */
extern const struct pci_config_access pci_host_access;

#endif
