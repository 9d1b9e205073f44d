/* SPDX-License-Identifier: MIT */
/* The MSIs and MSI-Xs of the PCI functions partitions own; see
 * device_msi.c. */
#ifndef BULKHEAD_CORE_PLATFORM_DEVICE_MSI_H
#define BULKHEAD_CORE_PLATFORM_DEVICE_MSI_H

#include <stdint.h>

#include "core/partition/partition.h"

#define DEVICE_MSI_REASON_MAX 160
/* The host vectors of device interrupts: one per vector a function may
 * use (its MSI, or each MSI-X entry its partition sees), handed out at
 * boot in the order of the configuration, below the host timer's 0xef. */
#define DEVICE_MSI_VECTOR_BASE 0x40u
#define DEVICE_MSI_VECTORS 160u

/* Boot, before p's function index gets its view: reserves host vectors
 * for up to wanted of its vectors (1 for MSI, the table size for MSI-X);
 * returns how many it got (0 when MSIs cannot be routed or none is left:
 * then the function shows neither MSI nor MSI-X). */
unsigned device_msi_reserve(struct partition *p, uint32_t index,
			    unsigned wanted);
/* At p's (re)load: none of its devices' interrupts goes anywhere. */
void device_msi_reset(struct partition *p);
/* The partition changed f's MSI or MSI-X registers or an MSI-X table
 * entry (under its lock): every vector of f is routed to the vCPU its
 * message names with the vector it names, or turned off (MSI and MSI-X
 * disabled, the entry or the function masked, or a zero address: parked).
 * A message the partition may not send (an address outside 0xFEE00000-0xFEEFFFFF,
 * an APIC ID none of its vCPUs has, a delivery mode other than fixed or
 * lowest priority, a level-triggered one, a vector below 16) is refused:
 * nothing is delivered, and reason says why (a few times per partition;
 * empty otherwise). */
void device_msi_changed(struct partition *p, struct pci_view_function *f,
			char reason[DEVICE_MSI_REASON_MAX]);
/* A device vector arrived on this CPU (the arch's device handler): the
 * vector its route names is raised in the target vCPU. */
void device_msi_interrupt(uint8_t vector);

#endif
