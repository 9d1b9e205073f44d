/* SPDX-License-Identifier: MIT */
/* A partition's PCI configuration space; see pci_config.c. */
#ifndef BULKHEAD_CORE_PLATFORM_PCI_CONFIG_H
#define BULKHEAD_CORE_PLATFORM_PCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/partition/partition.h"

/* Boot, after passthrough_partition_build: the view of the functions p
 * owns (their BARs and shown capabilities, from the hardware). */
void pci_config_build(struct partition *p);
/* At every (re)load of p, before its vCPUs run: the view's shadows as at
 * power-on and no MSI routed. */
void pci_config_reset(struct partition *p);
/* An IN or OUT at 0xCF8 or 0xCFC-0xCFF of a partition that owns PCI
 * functions; false for any other port. *value: what an IN reads. */
bool pci_config_port(struct vcpu *vcpu, const struct vcpu_exit *exit,
		     uint32_t *value);

/* The ECAM window of bus 0 (1 MiB). */
#define PCI_ECAM_WINDOW_SIZE 0x100000ull
/* Boot, after pci_config_build: where p's ECAM window lies
 * (guest-physical), 0 when it has none (it owns no function, or the host
 * has no ECAM for bus 0 above p's memory). */
uint64_t pci_config_ecam_base(const struct partition *p);
/* Whether a stage-2 fault at address is in p's ECAM window. */
bool pci_config_ecam_is_window(const struct partition *p, uint64_t address);
/* Emulates the faulting instruction; false (with error) when it cannot. */
bool pci_config_ecam_mmio(struct vcpu *vcpu, const struct vcpu_exit *exit,
			  char *error, size_t error_size);

#endif
