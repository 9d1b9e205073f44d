/* SPDX-License-Identifier: MIT */
/* Configuration-space access to an owned function by its scan record,
 * for passthrough.c and passthrough_msi.c. */
#ifndef BULKHEAD_CORE_PASSTHROUGH_FUNCTION_CONFIG_H
#define BULKHEAD_CORE_PASSTHROUGH_FUNCTION_CONFIG_H

#include <stdint.h>

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_config.h"

static inline uint32_t config_read(const struct pci_function *f,
				   uint16_t offset, unsigned size)
{
	return pci_config_read(f->address, offset, size);
}

static inline void config_write(const struct pci_function *f,
				uint16_t offset, unsigned size, uint32_t value)
{
	pci_config_write(f->address, offset, size, value);
}

#endif
