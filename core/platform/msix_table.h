/* SPDX-License-Identifier: MIT */
/* The trapped MSI-X pages of owned PCI functions; see msix_table.c. */
#ifndef BULKHEAD_CORE_PLATFORM_MSIX_TABLE_H
#define BULKHEAD_CORE_PLATFORM_MSIX_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/partition/partition.h"

/* Whether a stage-2 fault at address is on one of p's MSI-X pages. */
bool msix_table_is_trapped(const struct partition *p, uint64_t address);
/* Emulates the faulting instruction; false (with error) when it cannot. */
bool msix_table_mmio(struct vcpu *vcpu, const struct vcpu_exit *exit,
		     char *error, size_t error_size);

#endif
