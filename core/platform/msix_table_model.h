/* SPDX-License-Identifier: MIT */
/*
 * The MSI-X capability and table a partition sees of a function it owns
 * (docs/devices.md, "Interrupts"): the enable and function-mask bits of
 * the capability and every table entry (message address, data, vector
 * control) are shadows here; the device's own table holds the
 * hypervisor's messages. The partition sees at most PCI_VIEW_MSIX_VECTORS
 * entries (the table size it reads says how many); the device's entries
 * beyond them read 0 and ignore writes. Pure, unit-tested on the host.
 */
#ifndef BULKHEAD_CORE_PLATFORM_MSIX_TABLE_MODEL_H
#define BULKHEAD_CORE_PLATFORM_MSIX_TABLE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CAPABILITY_MSIX 0x11
#define PCI_VIEW_MSIX_VECTORS 8
#define MSIX_ENTRY_SIZE 16
#define MSIX_ENTRY_MASKED 1u /* vector control: the entry is masked */

struct msix_entry {
	uint32_t address, address_high, data, control;
};

struct pci_view_msix {
	uint8_t offset;	     /* of the capability; 0: MSI-X not shown */
	uint8_t table_bar;   /* the BAR slot (BIR) holding the table */
	uint8_t pba_bar;     /* and the pending-bit array */
	uint32_t table_offset, pba_offset; /* within those BARs */
	uint16_t hardware_size; /* the device's table entries */
	uint16_t size;		/* the entries shown, 1..PCI_VIEW_MSIX_VECTORS */
	bool enabled, function_masked;
	struct msix_entry entries[PCI_VIEW_MSIX_VECTORS];
};

/* The capability as found in the function's configuration space at
 * offset (its three dwords), showing at most vectors entries (1 or
 * more). */
void msix_view_init(struct pci_view_msix *m, uint8_t offset,
		    const uint32_t capability[3], unsigned vectors);
/* As after reset: disabled, not function-masked, every entry masked with
 * a zero message. */
void msix_view_reset(struct pci_view_msix *m);

/* The capability's dword at (at = 0, 4 or 8 from its start), with next as
 * its next pointer. */
uint32_t msix_capability_read(const struct pci_view_msix *m, unsigned at,
			      uint8_t next);
/* A write of the bits in mask of the dword at: true when the enable or
 * function-mask bit changed (only the message control word is
 * writable). */
bool msix_capability_write(struct pci_view_msix *m, unsigned at,
			   uint32_t mask, uint32_t value);

/* Whether the entry is live: MSI-X enabled, neither the function nor the
 * entry masked. */
bool msix_entry_live(const struct pci_view_msix *m, unsigned entry);

/* A read of size 1, 2, 4 or 8 bytes at offset from the table's start
 * (within the device's table). */
uint64_t msix_table_read(const struct pci_view_msix *m, uint64_t offset,
			 unsigned size);
/* A write; true when the entry it falls in (*entry) changed. Writes that
 * cross an entry, or fall beyond the entries shown, change nothing. */
bool msix_table_write(struct pci_view_msix *m, uint64_t offset, unsigned size,
		      uint64_t value, unsigned *entry);

#endif
