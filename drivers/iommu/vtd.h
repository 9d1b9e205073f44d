/* SPDX-License-Identifier: MIT */
/*
 * The Intel VT-d driver (VT-d specification, legacy translation mode):
 * the remapping units of the DMAR table with their root and context
 * tables, second-level page tables per domain, the invalidation queue,
 * an interrupt-remapping table whose entries are present only for the
 * interrupts routed to a partition, and
 * the fault recording registers. Used through iommu.h only.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_VTD_H
#define BULKHEAD_DRIVERS_IOMMU_VTD_H

#include <stdbool.h>
#include <stddef.h>

#include <bulkhead/pagetable.h>

#include "dmar.h"
#include "iommu_types.h"

/* Brings every unit of the DMAR up with all DMA and every device
 * interrupt blocked; fault events go as an NMI to fault_apic_id. */
bool vtd_init(const struct dmar_info *dmar, uint32_t fault_apic_id,
	      char *error, size_t error_size);
/* The format and the address width every unit can walk. */
const struct pagetable_format *vtd_domain_format(void);
bool vtd_attach(int unit, uint16_t domain_id, const struct pagetable *table,
		const struct iommu_device *device, char *error,
		size_t error_size);
void vtd_block(int unit, uint16_t domain_id, const struct iommu_device *device);
/* Entry handle (below 256) of the unit's interrupt remapping table: the
 * device's messages that name it reach vector on the CPU with xAPIC ID
 * apic_id; another requester's are refused. Waits for the unit to drop
 * its cached copy. */
bool vtd_interrupt_route(int unit, const struct iommu_device *device,
			 uint16_t handle, uint8_t apic_id, uint8_t vector);
/* The same, level-triggered, for the requester id of an IOAPIC. */
bool vtd_interrupt_route_level(int unit, uint16_t requester_id,
			       uint16_t handle, uint8_t apic_id,
			       uint8_t vector);
void vtd_interrupt_unroute(int unit, uint16_t handle);
unsigned vtd_poll_faults(void (*report)(void *context,
					const struct iommu_fault *fault),
			 void *context);
/* One line per unit for the boot log: base, version, CAP, ECAP. */
void vtd_describe(void (*line)(const char *text));

#endif
