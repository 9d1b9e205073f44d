/* SPDX-License-Identifier: MIT */
/*
 * The AMD-Vi driver (AMD I/O Virtualization Technology specification,
 * host translation): the IOMMUs of the IVRS table with their device
 * tables, host (v1) page tables per domain, the command buffer, interrupt
 * remapping (a table per attached device, where the IVRS says the unit
 * remaps; every other device interrupt blocked), and the event log. Used
 * through iommu.h only.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_AMD_VI_H
#define BULKHEAD_DRIVERS_IOMMU_AMD_VI_H

#include <stdbool.h>
#include <stddef.h>

#include <bulkhead/pagetable.h>

#include "iommu_types.h"
#include "ivrs.h"

/* Brings every IOMMU of the IVRS up with all DMA and every device
 * interrupt blocked. Events are polled (no interrupt). */
bool amd_vi_init(const struct ivrs_info *ivrs, char *error,
		 size_t error_size);
/* The format of every domain's table. */
const struct pagetable_format *amd_vi_domain_format(void);
bool amd_vi_attach(int unit, uint16_t domain_id,
		   const struct pagetable *table,
		   const struct iommu_device *device, char *error,
		   size_t error_size);
void amd_vi_block(int unit, uint16_t domain_id,
		  const struct iommu_device *device);
/* Whether every IOMMU remaps interrupts (its IVRS block lists the
 * IOAPIC). */
bool amd_vi_remaps_interrupts(void);
/* Boot: the device id's interrupts remapped through a table of its own
 * (every entry aborting until routed), its DMA still blocked: the IOAPIC,
 * which is never attached. False without remapping or boot memory. */
bool amd_vi_interrupts_only(int unit, uint16_t device_id);
/* Entry handle (below 256) of the device's own table delivers vector to
 * apic_id; false while the device is not attached or without remapping.
 * Waits for the invalidation. */
bool amd_vi_interrupt_route(int unit, const struct iommu_device *device,
			    uint16_t handle, uint8_t apic_id, uint8_t vector);
/* The entry aborts again; waits for the invalidation. */
void amd_vi_interrupt_unroute(int unit, const struct iommu_device *device,
			      uint16_t handle);
unsigned amd_vi_poll_faults(void (*report)(void *context,
					   const struct iommu_fault *fault),
			    void *context);
/* One line per IOMMU for the boot log: base, device id, features. */
void amd_vi_describe(void (*line)(const char *text));

#endif
