/* SPDX-License-Identifier: MIT */
/* A partition's PCI configuration ports; see pci_config.c. */
#ifndef BULKHEAD_CORE_PLATFORM_PCI_CONFIG_H
#define BULKHEAD_CORE_PLATFORM_PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/partition/partition.h"

/* An IN or OUT at 0xCF8 or 0xCFC-0xCFF of a partition that owns PCI
 * functions; false for any other port. *value: what an IN reads. */
bool pci_config_port(struct vcpu *vcpu, const struct vcpu_exit *exit,
		     uint32_t *value);

#endif
