/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d interrupt remapping formats (specification 5.1 and 9.10):
 * the 128-bit interrupt remapping table entry of a fixed, edge-triggered
 * interrupt in physical destination mode (xAPIC: the APIC ID in bits
 * 47:40), with source-id verification (SVT 01b: only the requester id in
 * SID, all 16 bits, may use the entry), and the remappable-format MSI
 * address and data that select an entry by its handle. Pure.
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
/* What a device writes to use entry handle (0..65535): the address
 * 0xFEEx_xxxx with the interrupt format bit and the handle, data 0
 * (no subhandle). */
uint32_t vtd_msi_address(uint16_t handle);
uint32_t vtd_msi_data(void);

#endif
