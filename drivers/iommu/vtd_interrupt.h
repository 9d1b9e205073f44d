/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d interrupt remapping formats (specification 5.1 and 9.10):
 * the 128-bit interrupt remapping table entry of a fixed, edge-triggered
 * interrupt in physical destination mode (xAPIC: the APIC ID in bits
 * 47:40), with source-id verification (SVT 01b: only the requester id in
 * SID, all 16 bits, may use the entry), and the remappable-format MSI
 * address and data that select an entry by its handle; the same entry
 * level-triggered for an IOAPIC input, with the remappable-format
 * redirection entry that selects it (5.1.5.1). Pure.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_VTD_INTERRUPT_H
#define BULKHEAD_DRIVERS_IOMMU_VTD_INTERRUPT_H

#include <stdint.h>

#define VTD_IRTE_PRESENT 1ull

struct vtd_irte {
	uint64_t low, high;
};

/* The entry delivering vector to the CPU with xAPIC ID apic_id, usable by
 * requester_id only. */
struct vtd_irte vtd_irte_fixed(uint8_t apic_id, uint8_t vector,
			       uint16_t requester_id);
/* The same, level-triggered (TM 1): an IOAPIC input's, whose requester
 * id is the IOAPIC's (the DMAR's IOAPIC device scope). */
struct vtd_irte vtd_irte_level(uint8_t apic_id, uint8_t vector,
			       uint16_t requester_id);
/* An IOAPIC redirection entry in remappable format (bit 48) naming entry
 * handle (bits 63:49 and 11), with vector in bits 7:0 as the
 * specification asks (the entry's own vector: the local APIC's EOI
 * broadcast names it), level-triggered, active low, masked; the caller
 * clears the mask. */
uint64_t vtd_ioapic_entry(uint16_t handle, uint8_t vector);
/* What a device writes to use entry handle (0..65535): the address
 * 0xFEE00000-0xFEEFFFFF with the interrupt format bit and the handle, data 0
 * (no subhandle). */
uint32_t vtd_msi_address(uint16_t handle);
uint32_t vtd_msi_data(void);

#endif
