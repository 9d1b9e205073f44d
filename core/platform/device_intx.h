/* SPDX-License-Identifier: MIT */
/* The INTx of the PCI functions partitions own; see device_intx.c. */
#ifndef BULKHEAD_CORE_PLATFORM_DEVICE_INTX_H
#define BULKHEAD_CORE_PLATFORM_DEVICE_INTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/partition/partition.h"

/* The host vectors of INTx inputs, one per input an owned device drives
 * (above the MSI vectors, below the host timer's 0xef); the IOMMU entry
 * of each has the vector's number as its handle. */
#define DEVICE_INTX_VECTOR_BASE 0xe0u
#define DEVICE_INTX_LINES	8u

/* Boot, as p's view is built: an input (line) for each GSI its devices'
 * INTx drives (passthrough_intx_gsi), the partition's virtual IOAPIC pin
 * of the same number; false when no line is left (then that device's
 * INTx is not delivered). */
bool device_intx_reserve(struct partition *p, uint32_t index);
/* At p's (re)load: none of its lines is routed or in service. */
void device_intx_reset(struct partition *p);
/* The partition wrote its IOAPIC: each of its lines follows its pin's
 * redirection entry (the vCPU it names and whether it is masked). */
void device_intx_changed(struct partition *p);
/* The guest ended (EOI) the level interrupts of these pins: the lines
 * among them are released and their host inputs unmasked. */
void device_intx_eoi(struct partition *p, uint32_t pins);
/* Whether vector is an INTx line's host vector. */
bool device_intx_vector(uint8_t vector);
/* A line's host vector arrived on this CPU (the arch's device handler):
 * the host input is masked until the guest's EOI, and the partition's
 * pin is asserted. */
void device_intx_interrupt(uint8_t vector);

#endif
