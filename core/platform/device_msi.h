/* SPDX-License-Identifier: MIT */
/* The MSIs of the PCI functions partitions own; see device_msi.c. */
#ifndef BULKHEAD_CORE_PLATFORM_DEVICE_MSI_H
#define BULKHEAD_CORE_PLATFORM_DEVICE_MSI_H

#include <stdint.h>

#include "core/partition/partition.h"

#define DEVICE_MSI_REASON_MAX 160
/* The host vectors of device MSIs: one per owned function, numbered by
 * partition and device (below the host timer's 0xef). */
#define DEVICE_MSI_VECTOR_BASE 0x40u
#define DEVICE_MSI_VECTORS (CONFIG_MAX_PARTITIONS * CONFIG_MAX_PCI_DEVICES)

/* Boot: p's functions get their host vectors. */
void device_msi_build(struct partition *p);
/* At p's (re)load: none of its devices' MSIs goes anywhere. */
void device_msi_reset(struct partition *p);
/* The partition changed f's MSI registers (under its lock): the device is
 * routed to the vCPU the message names with the vector it names, or its
 * MSI is turned off (MSI disabled, or a zero address: parked). A message the partition may not send (an address
 * outside 0xFEEx_xxxx, an APIC ID none of its vCPUs has, a delivery mode
 * other than fixed or lowest priority, a vector below 16) is refused:
 * nothing is delivered, and reason says why (a few times per partition;
 * empty otherwise). */
void device_msi_changed(struct partition *p, struct pci_view_function *f,
			char reason[DEVICE_MSI_REASON_MAX]);
/* A device vector arrived on this CPU (the arch's device handler): the
 * vector its route names is raised in the target vCPU. */
void device_msi_interrupt(uint8_t vector);

#endif
