/* SPDX-License-Identifier: MIT */
/* Device-specific resets of owned functions; see device_reset.c. */
#ifndef BULKHEAD_CORE_PASSTHROUGH_DEVICE_RESET_H
#define BULKHEAD_CORE_PASSTHROUGH_DEVICE_RESET_H

#include <stdint.h>

#include "drivers/pci/pci.h"

struct device_reset {
	uint16_t vendor, device;
	uint8_t bar;	     /* the memory BAR holding the register */
	uint32_t offset;     /* of the 32-bit register in that BAR */
	uint32_t bits;	     /* set to start the reset */
	unsigned wait_ms;    /* before the device is touched again */
	const char *what;    /* for the boot log */
};

/* The reset the function has when it has no function level reset, or
 * NULL (then only bus mastering off quiesces it: docs/devices.md). */
const struct device_reset *device_reset_of(const struct pci_function *f);

#endif
