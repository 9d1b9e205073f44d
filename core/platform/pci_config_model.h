/* SPDX-License-Identifier: MIT */
/*
 * A partition's view of PCI configuration space through configuration
 * mechanism 1 (the address register at 0xCF8, the data window at
 * 0xCFC-0xCFF), for the functions the partition owns. Default deny: any
 * other function reads all ones and ignores writes. Of an owned function
 * the partition reads the type-0 header as the hardware has it (its BARs
 * hold the host-physical addresses, which are also the partition's, since
 * device memory is mapped one to one), except that the expansion ROM and
 * the capability list are hidden; it may write only the command
 * register's I/O, memory, bus-master and INTx-disable bits. Every other
 * write is dropped and reported to the caller. Pure: the hardware is
 * reached through the caller's access functions, so it is unit-tested on
 * the host.
 */
#ifndef BULKHEAD_CORE_PLATFORM_PCI_CONFIG_MODEL_H
#define BULKHEAD_CORE_PLATFORM_PCI_CONFIG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CONFIG_ADDRESS_PORT 0xcf8
#define PCI_CONFIG_DATA_PORT 0xcfc
#define PCI_VIEW_MAX_FUNCTIONS 8

/* What a partition may set or clear in its function's command register:
 * I/O and memory decoding, bus mastering, INTx disable. */
#define PCI_VIEW_COMMAND_BITS 0x0407u

struct pci_view_function {
	uint8_t bus, device, function;
};

struct pci_config_view {
	uint32_t address; /* the last 32-bit value written to 0xCF8 */
	uint32_t count;
	struct pci_view_function functions[PCI_VIEW_MAX_FUNCTIONS];
};

/* The hardware, by aligned dword: offset is a multiple of 4 below 256. */
struct pci_config_hardware {
	uint32_t (*read)(void *context, const struct pci_view_function *f,
			 unsigned offset);
	void (*write)(void *context, const struct pci_view_function *f,
		      unsigned offset, uint32_t value);
	void *context;
};

enum pci_view_write {
	PCI_VIEW_WRITTEN,   /* reached the hardware */
	PCI_VIEW_IGNORED,   /* no owned function addressed, or not enabled */
	PCI_VIEW_DROPPED,   /* an owned function, a register it may not write */
};

/* An IN of size 1, 2 or 4 bytes from port (0xCF8 or 0xCFC-0xCFF). */
uint32_t pci_view_read(struct pci_config_view *view,
		       const struct pci_config_hardware *hardware,
		       uint16_t port, unsigned size);
/* An OUT; for PCI_VIEW_DROPPED, *offset says which register. */
enum pci_view_write pci_view_write(struct pci_config_view *view,
				   const struct pci_config_hardware *hardware,
				   uint16_t port, unsigned size,
				   uint32_t value, unsigned *offset);

#endif
