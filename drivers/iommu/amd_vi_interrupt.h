/* SPDX-License-Identifier: MIT */
/*
 * AMD-Vi interrupt remapping formats (AMD I/O Virtualization Technology
 * specification, 2.2.2 device table entry and 2.2.5 interrupt remapping):
 * the 32-bit interrupt remapping table entry (IRTE) of a fixed interrupt
 * in physical destination mode (xAPIC: an 8-bit APIC ID), the interrupt
 * half of a device table entry (its third quad) that remaps fixed and
 * arbitrated interrupts through a table of 256 entries and blocks NMI,
 * INIT, ExtInt and LINT0/1, and the MSI a device sends to use an entry.
 * A table belongs to one requester id, so an entry can only be used by
 * that device: the table is the source-id check. Whether a unit can remap
 * at all is read from its IVRS block. Pure.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_AMD_VI_INTERRUPT_H
#define BULKHEAD_DRIVERS_IOMMU_AMD_VI_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>

#include "ivrs.h"

#define AMD_VI_IRTE_ENTRIES 256u
#define AMD_VI_IRTE_TABLE_SIZE (AMD_VI_IRTE_ENTRIES * 4u)
#define AMD_VI_IRTE_TABLE_ALIGN 128u
#define AMD_VI_IRTE_REMAP_EN 1u

/* The entry delivering vector to the CPU with xAPIC ID apic_id. */
uint32_t amd_vi_irte_fixed(uint8_t apic_id, uint8_t vector);
/* The third quad of a device table entry: IV=1, fixed and arbitrated
 * interrupts remapped through the 256 entries at table (128-byte
 * aligned, below 2^52), every pass bit clear. */
uint64_t amd_vi_dte_interrupts_remapped(uint64_t table);
/* The same with IntCtl 00b: every interrupt of the device aborted; the
 * table stays named (unused). */
uint64_t amd_vi_dte_interrupts_blocked(uint64_t table);
/* The table the third quad names, or 0. */
uint64_t amd_vi_dte_interrupt_table(uint64_t quad);
/* What a device writes to use entry handle (below 256): the address
 * 0xFEE00000 and the handle as data (the entry index is data bits 10:0;
 * bits 10:8, the delivery mode, stay 0: fixed). */
uint32_t amd_vi_msi_address(void);
uint32_t amd_vi_msi_data(uint16_t handle);
/* An IOAPIC redirection entry that uses entry handle (below 256) of the
 * IOAPIC's own table: the IOAPIC's message data is the entry index, so
 * the handle is its vector field (bits 7:0, which the EOI broadcast and
 * the IOAPIC's EOI register name), delivery mode fixed, destination 0,
 * level-triggered, active low, masked; the caller clears the mask. */
uint64_t amd_vi_ioapic_entry(uint16_t handle);
/* Whether the firmware says the unit remaps interrupts: its IVHD block
 * names the IOAPIC behind it (a special entry). The specification has no
 * feature bit for it; firmware lists the IOAPIC when remapping is to be
 * used (Linux refuses to remap without it, and QEMU lists it only with
 * intremap=on). */
bool amd_vi_unit_remaps_interrupts(const struct ivrs_unit *unit);

#endif
