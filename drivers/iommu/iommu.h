/* SPDX-License-Identifier: MIT */
/*
 * The host's IOMMU, whichever the firmware describes (ACPI DMAR: Intel
 * VT-d, else ACPI IVRS: AMD-Vi; the choice does not follow the CPU
 * vendor): translation on with every device blocked from boot, one DMA domain per partition whose page
 * table maps exactly the ranges it is given, devices attached to a domain
 * or blocked, and the faults the hardware records. Boot-time set-up uses
 * the boot heap; attach, block and fault polling run at any time.
 */
#ifndef BULKHEAD_DRIVERS_IOMMU_IOMMU_H
#define BULKHEAD_DRIVERS_IOMMU_IOMMU_H

#include <bulkhead/pagetable.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu_types.h"

#define IOMMU_ERROR_MAX 160

/* Finds the secondary and subordinate bus of a bridge, for device scopes
 * that name devices behind bridges; false when there is no bridge. */
typedef bool (*iommu_bridge_buses)(void *context, uint16_t segment,
				   uint8_t bus, uint8_t device,
				   uint8_t function, uint8_t *secondary,
				   uint8_t *subordinate);

/* The firmware's ACPI tables that describe an IOMMU, each NULL when
 * absent, with its length in bytes. */
struct iommu_tables {
	const void *dmar; /* Intel VT-d */
	size_t dmar_length;
	const void *ivrs; /* AMD-Vi */
	size_t ivrs_length;
};

/* Uses the DMAR when there is one, else the IVRS. Without either there
 * is no IOMMU: iommu_present() is false and the call succeeds. False
 * with a reason when the IOMMU cannot be trusted or set up (then nothing
 * may be given to a partition). fault_apic_id: where VT-d sends its
 * fault events as an NMI (AMD-Vi's event log is polled). */
bool iommu_init(const struct iommu_tables *tables, uint32_t fault_apic_id,
		iommu_bridge_buses bridges, void *bridge_context, char *error,
		size_t error_size);
bool iommu_present(void);
/* "Intel VT-d", "AMD-Vi" or "none". */
const char *iommu_name(void);
/* Whether the IOMMU translates the function's DMA (a unit covers it);
 * false with the reason when it cannot be isolated. */
bool iommu_covers(const struct iommu_device *device, char *why,
		  size_t why_size);

struct iommu_domain {
	uint16_t id; /* 1-based; 0 is never used */
	struct pagetable table;
};

/* Boot only: a domain whose table maps [guest, guest + size) to host,
 * readable and writable, and nothing else. */
bool iommu_domain_init(struct iommu_domain *domain, uint16_t id,
		       uint64_t guest, uint64_t host, uint64_t size,
		       const struct pagetable_allocator *allocator);
/* Lets the function's DMA through the domain's table. The first attach
 * of a function happens at boot (it may allocate); later ones not. */
bool iommu_attach(struct iommu_domain *domain,
		  const struct iommu_device *device, char *error,
		  size_t error_size);
/* Blocks all DMA and interrupts of the function; waits until the
 * hardware has dropped every cached translation of it. */
void iommu_block(const struct iommu_domain *domain,
		 const struct iommu_device *device);
/* Whether device interrupts can be routed (interrupt remapping): always
 * with Intel VT-d (a unit without it is refused); with AMD-Vi when the
 * IVRS block of every IOMMU lists the IOAPIC, which is how firmware says
 * remapping is to be used (otherwise every device interrupt stays
 * blocked). */
bool iommu_remaps_interrupts(void);

/* Handles are below this (AMD-Vi: the entry index a device's MSI data
 * carries in bits 7:0, its delivery mode bits 10:8 staying fixed). */
#define IOMMU_INTERRUPT_HANDLES 256

/* The MSI message a device must send to use a routed entry. */
struct iommu_msi {
	uint32_t address;
	uint32_t data;
};

/* Routes entry handle (below IOMMU_INTERRUPT_HANDLES; one per device and
 * vector, unique machine-wide, chosen by the caller) to vector on the CPU
 * with APIC ID apic_id, for the device's requester id only (VT-d: a
 * source-id verified entry of the unit's table; AMD-Vi: an entry of the
 * device's own table), and gives the message that uses it; an entry
 * already routed moves at once. False when it cannot be routed. */
bool iommu_interrupt_route(const struct iommu_device *device,
			   uint16_t handle, uint32_t apic_id, uint8_t vector,
			   struct iommu_msi *message);
/* The entry blocks again; the hardware's cached copy is dropped. */
void iommu_interrupt_unroute(const struct iommu_device *device,
			     uint16_t handle);
/* The host IOAPIC's inputs (owned devices' INTx), level-triggered. Boot:
 * whether the IOMMU remaps the interrupts of the IOAPIC whose ID is
 * ioapic_id, made ready to (VT-d: a DMAR IOAPIC device scope names it;
 * AMD-Vi: an IVRS special entry gives its device id, whose device table
 * entry then remaps interrupts through a table of its own, DMA blocked). */
bool iommu_ioapic_init(uint8_t ioapic_id);
/* Routes entry handle (as above; the caller's, unique machine-wide) to
 * vector on the CPU with APIC ID apic_id, for the IOAPIC's requester id
 * only (VT-d: level-triggered, source-id verified; AMD-Vi: an entry of
 * the IOAPIC's own table, whose index is the message's vector field, so
 * handle must equal vector), and gives the redirection entry, masked,
 * that uses it (the caller clears the mask); an entry already routed
 * moves. False when it cannot be routed. */
bool iommu_ioapic_route(uint8_t ioapic_id, uint16_t handle, uint32_t apic_id,
			uint8_t vector, uint64_t *redirection);
void iommu_ioapic_unroute(uint8_t ioapic_id, uint16_t handle);
/* Reads and clears every recorded fault, calling report for each;
 * returns how many. Safe from any CPU, and cheap when none is pending. */
unsigned iommu_poll_faults(void (*report)(void *context,
					  const struct iommu_fault *fault),
			   void *context);
/* Boot log: one line per unit. */
void iommu_describe(void (*line)(const char *text));

#endif
