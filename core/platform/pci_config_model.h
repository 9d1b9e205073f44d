/* SPDX-License-Identifier: MIT */
/*
 * A partition's view of PCI configuration space (segment 0) through
 * configuration mechanism 1: the address register at 0xCF8 and the data
 * window at 0xCFC-0xCFF. Default deny: the partition sees the functions
 * it owns (each filtered by pci_function_model.c) and, when it owns any, a
 * host bridge at 00:00.0 (Linux accepts mechanism 1 only when bus 0 has a
 * host bridge); any other function reads all ones and ignores writes.
 * Pure: the hardware is reached through the caller's access functions, so
 * it is unit-tested on the host.
 */
#ifndef BULKHEAD_CORE_PLATFORM_PCI_CONFIG_MODEL_H
#define BULKHEAD_CORE_PLATFORM_PCI_CONFIG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "pci_function_model.h"

#define PCI_CONFIG_ADDRESS_PORT 0xcf8
#define PCI_CONFIG_DATA_PORT 0xcfc
#define PCI_VIEW_MAX_FUNCTIONS 8

/* The host bridge the partition sees at 00:00.0: a PCI Express host
 * bridge of no particular chipset (no driver quirk matches it). */
#define PCI_VIEW_HOST_BRIDGE_ID 0x00081b36u /* device 0008, vendor 1b36 */

struct pci_config_view {
	uint32_t address; /* the last 32-bit value written to 0xCF8 */
	uint32_t count;
	struct pci_view_function functions[PCI_VIEW_MAX_FUNCTIONS];
};

/* The owned function at bus:device.function, or NULL. */
struct pci_view_function *pci_view_find(struct pci_config_view *view,
					uint8_t bus, uint8_t device,
					uint8_t function);
/* Every function's shadows as at power-on; the address register 0. */
void pci_view_reset(struct pci_config_view *view);

/* Access by address (for mechanism 1 and an ECAM window alike): a read
 * of size 1, 2 or 4 bytes at offset (below 4 KiB, not crossing a dword);
 * a write, and what it did (*changed: the owned function written, or
 * NULL). */
uint32_t pci_view_config_read(struct pci_config_view *view,
			      const struct pci_config_hardware *hardware,
			      uint8_t bus, uint8_t device, uint8_t function,
			      unsigned offset, unsigned size);
enum pci_view_write
pci_view_config_write(struct pci_config_view *view,
		      const struct pci_config_hardware *hardware, uint8_t bus,
		      uint8_t device, uint8_t function, unsigned offset,
		      unsigned size, uint32_t value,
		      struct pci_view_function **changed);

/* An IN of size 1, 2 or 4 bytes from port (0xCF8 or 0xCFC-0xCFF). */
uint32_t pci_view_read(struct pci_config_view *view,
		       const struct pci_config_hardware *hardware,
		       uint16_t port, unsigned size);
/* An OUT; *offset says which register of the function the address
 * register selects (for a log line), *changed as above. */
enum pci_view_write pci_view_write(struct pci_config_view *view,
				   const struct pci_config_hardware *hardware,
				   uint16_t port, unsigned size,
				   uint32_t value, unsigned *offset,
				   struct pci_view_function **changed);

#endif
