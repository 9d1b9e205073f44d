/* SPDX-License-Identifier: MIT */
/*
 * Device-specific resets for owned functions that advertise no function
 * level reset (docs/devices.md, "Life of a device"). Without a reset, a
 * device keeps what its last driver programmed: QEMU's e1000e keeps its
 * receive ring and keeps receiving, so when the partition's next run
 * turns bus mastering on (Linux does so before its driver resets the
 * device) a packet that arrives is written through the old ring, whose
 * descriptors the new run has overwritten: a DMA to any address, which
 * the IOMMU refuses and which stops the partition. A reset in this table
 * is done when the partition stops, after bus mastering is off. Each
 * entry is a register write the device's own documentation defines as
 * its software reset.
 */
#include "device_reset.h"

#include <stddef.h>

static const struct device_reset resets[] = {
	/* Intel 82574 (e1000e): CTRL.RST (bit 26 of CTRL at 0), the
	 * global software reset: receive and transmit stop and every ring
	 * register returns to its default; the bit clears itself. */
	{ 0x8086, 0x10d3, 0, 0x0000, 1u << 26, 10, "CTRL.RST" },
};

const struct device_reset *device_reset_of(const struct pci_function *f)
{
	for (size_t i = 0; i < sizeof(resets) / sizeof(resets[0]); i++)
		if (resets[i].vendor == f->vendor_id &&
		    resets[i].device == f->device_id &&
		    resets[i].bar < f->bar_count &&
		    f->bars[resets[i].bar].size > resets[i].offset + 3 &&
		    (f->bars[resets[i].bar].type == PCI_BAR_MEMORY32 ||
		     f->bars[resets[i].bar].type == PCI_BAR_MEMORY64))
			return &resets[i];
	return NULL;
}
