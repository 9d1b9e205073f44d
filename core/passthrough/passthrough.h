/* SPDX-License-Identifier: MIT */
/*
 * Host PCI functions owned by partitions (docs/devices.md): checking the
 * configuration against the machine at boot, the partition's DMA domain
 * (its RAM and nothing else) and device memory in its stage-2 tables,
 * the life of its devices (attached while it runs; quiesced and blocked
 * before its memory is reused or reloaded), and DMA faults (the owner is
 * stopped, the others run on).
 */
#ifndef BULKHEAD_CORE_PASSTHROUGH_PASSTHROUGH_H
#define BULKHEAD_CORE_PASSTHROUGH_PASSTHROUGH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/partition/partition.h"

#define PASSTHROUGH_ERROR_MAX 200

struct pci_function;

/* Boot, after PCI discovery: brings the IOMMU up with every device
 * blocked and checks every partition's pci-devices against the machine.
 * False with one line naming the partition and the device when the
 * configuration cannot be honoured. fault_apic_id: the CPU that fault
 * events interrupt. */
bool passthrough_init(const struct bootinfo *info, uint32_t fault_apic_id,
		      char error[PASSTHROUGH_ERROR_MAX]);
/* Boot, while p is built (its stage-2 tables and channel windows exist):
 * maps its devices' memory BARs one to one, uncached (recorded in
 * p->device_mmio), except the pages of MSI-X tables and pending-bit
 * arrays where MSI can be routed (recorded in p->msix_traps), adds their I/O BARs to p->granted_ports, and builds
 * its DMA domain. */
bool passthrough_partition_build(struct partition *p,
				 char error[PASSTHROUGH_ERROR_MAX]);
/* Boot, after every partition is built: every leaf of every DMA domain
 * is its owner's RAM, mapped onto where that RAM lies, and the domain
 * covers all of it; false (with the leaf logged) otherwise. */
bool passthrough_audit(void);
/* Before p's vCPUs run a (re)loaded image: its devices join its domain.
 * False (with the reason) when the IOMMU does not take them. */
bool passthrough_start(struct partition *p, char error[PASSTHROUGH_ERROR_MAX]);
/* When p leaves running: bus mastering, MSI and MSI-X off, a function
 * level reset where the device has one, its interrupt routes removed and
 * every device blocked; when
 * this returns no DMA of p's devices reaches memory. */
void passthrough_stop(struct partition *p);
/* What owned devices hold at this moment, for the end of run's summary:
 * once every partition has ended, nothing is attached and nothing routed,
 * however often they were restarted. */
struct passthrough_usage {
	uint32_t functions;   /* owned by some partition */
	uint32_t domains;     /* DMA domains: partitions owning functions */
	uint32_t attached;    /* functions whose DMA goes through a domain */
	uint32_t msi_routes;  /* IOMMU entries of MSI and MSI-X vectors */
	uint32_t intx_routes; /* IOMMU entries of host IOAPIC inputs */
};
void passthrough_usage(struct passthrough_usage *usage);
/* The index-th function p owns (in its config's order), or NULL. */
const struct pci_function *passthrough_function(const struct partition *p,
						uint32_t index);
/* The same by the partition's index in the configuration (at boot,
 * before the partitions are built). */
const struct pci_function *passthrough_function_of(uint32_t partition,
						   uint32_t index);
/* Whether owned devices' MSIs can be routed to their partitions (the
 * IOMMU remaps interrupts); without it they stay blocked. */
bool passthrough_msi_available(void);

/* The message interrupts of owned devices (passthrough_msi.c). A device's
 * vector k is its MSI (k = 0) or its MSI-X table entry k. */
#define PASSTHROUGH_MAX_VECTORS 8
/* Boot: no vector of any device is routed. */
void passthrough_msi_init(void);
/* Routes vector k of p's index-th device through the IOMMU's entry
 * handle (the caller's, unique on the machine) to vector on the CPU with
 * APIC ID apic_id, for that device's requester id only, and programs the
 * device with the message that uses it (MSI: enabled; MSI-X: the entry
 * unmasked); a route that exists moves. False when it cannot be routed. */
bool passthrough_msi_route(struct partition *p, uint32_t index, bool msix,
			   unsigned k, uint16_t handle, uint32_t apic_id,
			   uint8_t vector);
/* Vector k off: MSI disabled, or MSI-X entry k masked; its route
 * removed. */
void passthrough_msi_off(struct partition *p, uint32_t index, bool msix,
			 unsigned k);
/* The device's MSI-X on (every entry not routed masked) or off. */
void passthrough_msix_enable(struct partition *p, uint32_t index, bool on);
/* Every route of the device removed (its stop). */
void passthrough_msi_release(struct partition *p, uint32_t index);
/* How many message vectors are routed now, on every device. */
uint32_t passthrough_msi_routes(void);
/* An access to an owned device's registers on a trapped page
 * (partition.msix_traps), forwarded as it came: size 1, 2, 4 or 8. */
uint64_t passthrough_mmio_read(uint64_t address, unsigned size);
void passthrough_mmio_write(uint64_t address, unsigned size, uint64_t value);
/* The INTx of owned devices (passthrough_intx.c): the host IOAPIC's
 * inputs they drive, level-triggered, active low, each through an IOMMU
 * entry whose source id is the IOAPIC's. */
/* Boot, after the devices are checked: finds the IOAPIC and each owned
 * function's input. False with one line naming both partitions and
 * devices when two partitions' devices share an input. */
bool passthrough_intx_init(const struct bootinfo *info,
			   char error[PASSTHROUGH_ERROR_MAX]);
/* Whether INTx can be delivered (an IOAPIC whose interrupts the IOMMU
 * remaps, and a chipset whose wiring is known per function). */
bool passthrough_intx_available(void);
/* The input p's index-th device's INTx drives, or -1 (no pin, wiring
 * unknown, or INTx not available). */
int passthrough_intx_gsi(const struct partition *p, uint32_t index);
/* Routes input gsi through the IOMMU's entry handle to vector on the CPU
 * with APIC ID apic_id and programs its redirection entry, masked or
 * not; a route that exists moves. False when it cannot be routed. */
bool passthrough_intx_route(unsigned gsi, uint16_t handle, uint32_t apic_id,
			    uint8_t vector, bool masked);
/* Masks or unmasks a routed input (nothing for one not routed). */
void passthrough_intx_mask(unsigned gsi, bool masked);
/* An input's interrupt arrived: the input is masked and its remote IRR
 * cleared (nothing for one not routed). */
void passthrough_intx_received(unsigned gsi);
/* Every input of p's devices masked and its route removed (its stop). */
void passthrough_intx_release(struct partition *p);
/* How many host IOAPIC inputs are routed now. */
uint32_t passthrough_intx_routes(void);
/* Reads the IOMMU's fault records: each is logged (a few per partition)
 * and the partition that owns the device is stopped through stop (the
 * caller's partition_fault). Cheap when none is recorded. */
void passthrough_poll_faults(void (*stop)(struct partition *p,
					  const char *reason));
/* Whether any partition owns a device behind an IOMMU: then a CPU must
 * poll for faults (passthrough_poll_faults) whenever it is woken. */
bool passthrough_active(void);

#endif
