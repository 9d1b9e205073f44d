/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space as a partition sees it, through configuration
 * mechanism 1 (0xCF8/0xCFC): the functions its config gives it, every
 * other address reading all ones (docs/devices.md).
 */
#ifndef GUEST_PCI_H
#define GUEST_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_COMMAND_REGISTER 0x04
#define PCI_COMMAND_MEMORY_SPACE (1u << 1)
#define PCI_COMMAND_BUS_MASTER (1u << 2)

struct pci_location {
	uint8_t bus, device, function;
};

/* Parses "BB:DD.F" or "0000:BB:DD.F" (hexadecimal). */
bool pci_parse_location(const char *text, struct pci_location *location);
uint32_t pci_config_read32(struct pci_location at, unsigned offset);
uint16_t pci_config_read16(struct pci_location at, unsigned offset);
void pci_config_write16(struct pci_location at, unsigned offset,
			uint16_t value);
void pci_config_write32(struct pci_location at, unsigned offset,
			uint32_t value);
/* The address a memory BAR decodes (64-bit BARs read whole), 0 when the
 * BAR is an I/O BAR or not there. */
uint64_t pci_memory_bar(struct pci_location at, unsigned bar);

#endif
