/* SPDX-License-Identifier: MIT */
/*
 * What a partition sees of one PCI function it owns: the type-0 header and
 * the capability list, filtered (docs/devices.md, "The partition's view of
 * PCI"). Identity, class, status and the interrupt pin read as the
 * hardware has them; the BARs are shadowed (sizing works, and the BAR
 * always reads back its host address: the device never moves); the
 * expansion ROM reads 0 (none); the capability list shows only PCI Express
 * and, when the hypervisor can route its messages, MSI and MSI-X, which
 * are emulated (the partition's addresses and data stay here, the
 * hardware gets the hypervisor's; the MSI-X table is msix_table_model.c). Writes reach the hardware only through an allow-list:
 * the command register's decode, bus-master and INTx-disable bits, the
 * cache line size and latency timer, and a few PCI Express device-control
 * bits. Extended configuration space (0x100 and up) reads 0 and ignores
 * writes. Pure: the hardware is reached through the caller's access
 * functions, so it is unit-tested on the host.
 */
#ifndef BULKHEAD_CORE_PLATFORM_PCI_FUNCTION_MODEL_H
#define BULKHEAD_CORE_PLATFORM_PCI_FUNCTION_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "msix_table_model.h"

#define PCI_VIEW_BARS 6
#define PCI_VIEW_MAX_CAPABILITIES 4
#define PCI_VIEW_MSIX_LENGTH 12

/* What a partition may set or clear in its function's command register:
 * I/O and memory decoding, bus mastering, INTx disable. Decoding is its
 * shadow (the device decodes its BARs all along: the partition's stage-2
 * tables map them whatever it writes, and a device that stopped decoding
 * would change the machine's address map under the other partitions);
 * the other two reach the hardware. */
#define PCI_VIEW_COMMAND_BITS 0x0407u
#define PCI_VIEW_COMMAND_DECODE 0x0003u
/* PCI Express device control bits it may write: the error reporting
 * enables, relaxed ordering, no snoop and the maximum read request size.
 * Not the payload size (it must match the link's other end) and never the
 * function level reset. */
#define PCI_VIEW_EXPRESS_CONTROL_BITS 0x781fu

#define PCI_CAPABILITY_MSI 0x05
#define PCI_CAPABILITY_EXPRESS 0x10

enum pci_view_bar_type {
	PCI_VIEW_BAR_NONE,
	PCI_VIEW_BAR_IO,
	PCI_VIEW_BAR_MEMORY32,
	PCI_VIEW_BAR_MEMORY64, /* this slot and the next (its upper half) */
	PCI_VIEW_BAR_UPPER,    /* the upper half of the slot before */
};

struct pci_view_bar {
	uint8_t type;	    /* enum pci_view_bar_type */
	uint8_t flags;	    /* the low bits as the hardware has them */
	uint64_t address;   /* host-physical (= guest-physical) or port */
	uint64_t size;	    /* a power of two */
};

struct pci_view_capability {
	uint8_t offset, id, length;
};

/* The partition's MSI registers. */
struct pci_view_msi {
	uint8_t offset; /* 0: MSI not shown */
	bool wide;	/* the 64-bit address format */
	bool enabled;
	uint32_t address, address_high;
	uint16_t data;
};

struct pci_view_function {
	uint8_t bus, device, function;
	struct pci_view_bar bars[PCI_VIEW_BARS];
	uint8_t capability_count;
	struct pci_view_capability capabilities[PCI_VIEW_MAX_CAPABILITIES];
	struct pci_view_msi msi;
	struct pci_view_msix msix;
	uint8_t sizing; /* BAR slots written with all ones: read the mask */
	uint8_t command_decode; /* the partition's I/O and memory enables */
	uint8_t interrupt_line;
	uint8_t owner_index; /* the caller's number for it; not used here */
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
	PCI_VIEW_WRITTEN,     /* reached the hardware, or a shadow */
	PCI_VIEW_IGNORED,     /* nothing there, or not enabled */
	PCI_VIEW_DROPPED,     /* a register the partition may not write */
	PCI_VIEW_MSI_CHANGED, /* the partition's MSI or MSI-X control changed */
	PCI_VIEW_FOREIGN,     /* a function the partition does not own */
};

/*
 * Fills f for the function at bus:device.function with its BARs (type
 * PCI_VIEW_BAR_NONE for empty slots) and the capabilities it shows, found
 * in config, the function's first 256 bytes as the hardware has them: PCI
 * Express, MSI when show_msi, and MSI-X with at most msix_vectors entries
 * shown (none when 0). A broken list (a loop, a pointer into the header
 * or past the space) is cut where it breaks. The shadows start as at
 * power-on (pci_view_function_reset).
 */
void pci_view_function_init(struct pci_view_function *f, uint8_t bus,
			    uint8_t device, uint8_t function,
			    const struct pci_view_bar bars[PCI_VIEW_BARS],
			    const uint32_t config[64], bool show_msi,
			    unsigned msix_vectors);
/* The shadows as at power-on: no BAR sizing, decoding off, interrupt
 * line 0, MSI off
 * with address and data 0, MSI-X off with every entry masked. */
void pci_view_function_reset(struct pci_view_function *f);

/* A read of size 1, 2 or 4 bytes at offset (within 4 KiB, not crossing a
 * dword). */
uint32_t pci_view_function_read(const struct pci_view_function *f,
				const struct pci_config_hardware *hardware,
				unsigned offset, unsigned size);
/* A write; what it did. */
enum pci_view_write
pci_view_function_write(struct pci_view_function *f,
			const struct pci_config_hardware *hardware,
			unsigned offset, unsigned size, uint32_t value);

#endif
