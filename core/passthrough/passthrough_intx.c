/* SPDX-License-Identifier: MIT */
/*
 * The hardware side of owned devices' INTx (docs/devices.md, "INTx"):
 * which host IOAPIC input each owned function drives (the chipset's
 * wiring: drivers/pci/pci_intx.c), the boot-time rule that an input
 * belongs to one partition, and the input's redirection entry, always in
 * remappable format through a level-triggered interrupt remapping entry
 * of the IOMMU whose source id is the IOAPIC's. Without an IOAPIC the
 * IOMMU remaps, no input is programmed and no INTx is delivered (as MSI:
 * nothing is routed without remapping). Which vector and CPU is
 * core/platform/device_intx.c's choice; this file programs the IOAPIC
 * and the IOMMU, and remembers what it routed so a stop removes it.
 */
#include "passthrough.h"

#include "core/console/console.h"
#include "drivers/ioapic.h"
#include "drivers/iommu/iommu.h"
#include "drivers/pci/pci.h"
#include "lib/format.h"

#define NO_HANDLE  0xffffu
#define MAX_INPUTS 24 /* what the DSDT's _PRT and the virtual IOAPIC hold */

static bool available;
/* Per owned function: its input, or -1. */
static int16_t inputs[CONFIG_MAX_PARTITIONS][CONFIG_MAX_PCI_DEVICES];
/* Per input: the IOMMU entry routed for it (NO_HANDLE: none). */
static uint16_t routed[MAX_INPUTS];

bool passthrough_intx_available(void)
{
	return available;
}

int passthrough_intx_gsi(const struct partition *p, uint32_t index)
{
	if (!available || index >= CONFIG_MAX_PCI_DEVICES ||
	    !passthrough_function(p, index))
		return -1;
	return inputs[p->id][index];
}

/* Where f's INTx arrives, or -1. */
static int input_of(const struct pci_function *f)
{
	int gsi = pci_intx_gsi_of(f);

	return gsi >= 0 && gsi < MAX_INPUTS && (unsigned)gsi < ioapic_inputs()
		   ? gsi
		   : -1;
}

bool passthrough_intx_init(const struct bootinfo *info,
			   char error[PASSTHROUGH_ERROR_MAX])
{
	uint32_t owner[MAX_INPUTS];
	const struct pci_function *first[MAX_INPUTS] = {0};

	for (unsigned g = 0; g < MAX_INPUTS; g++)
		routed[g] = NO_HANDLE;
	ioapic_init(info->ioapic_base);
	available = ioapic_present() && iommu_remaps_interrupts() &&
		    iommu_ioapic_init(ioapic_id());
	if (!ioapic_present())
		log_line("INTx: no IOAPIC known (no MADT): no device INTx is "
			 "delivered");
	else
		log_line("INTx: IOAPIC ID %u at 0x%llx, %u inputs, %s",
			 ioapic_id(), (unsigned long long)info->ioapic_base,
			 ioapic_inputs(),
			 available ? "remapped by the IOMMU: owned devices' "
				     "INTx delivered"
				   : "not remapped by the IOMMU: no device "
				     "INTx is delivered");
	for (uint32_t i = 0; i < info->config.partition_count; i++) {
		const struct config_partition *config =
		    &info->config.partitions[i];
		const struct pci_function *f;

		for (uint32_t k = 0; k < CONFIG_MAX_PCI_DEVICES; k++)
			inputs[i][k] = -1;
		for (uint32_t k = 0;
		     (f = passthrough_function_of(i, k)) != NULL; k++) {
			int gsi = available ? input_of(f) : -1;

			inputs[i][k] = (int16_t)gsi;
			if (gsi < 0)
				continue;
			if (first[gsi] && owner[gsi] != i) {
				char mine[PCI_ADDRESS_TEXT],
				    theirs[PCI_ADDRESS_TEXT];

				pci_address_text(f->address, mine);
				pci_address_text(first[gsi]->address, theirs);
				format(error, PASSTHROUGH_ERROR_MAX,
				       "partitions %s and %s: PCI devices %s "
				       "and %s share IOAPIC input %d (INTx); "
				       "an input belongs to one partition",
				       info->config.partitions[owner[gsi]].name,
				       config->name, theirs, mine, gsi);
				return false;
			}
			if (!first[gsi]) {
				first[gsi] = f;
				owner[gsi] = i;
			}
		}
	}
	return true;
}

bool passthrough_intx_route(unsigned gsi, uint16_t handle, uint32_t apic_id,
			    uint8_t vector, bool masked)
{
	uint64_t entry;

	if (!available || gsi >= MAX_INPUTS || handle == NO_HANDLE)
		return false;
	ioapic_set_masked(gsi, true);
	if (routed[gsi] != NO_HANDLE && routed[gsi] != handle)
		iommu_ioapic_unroute(ioapic_id(), routed[gsi]);
	routed[gsi] = NO_HANDLE;
	if (!iommu_ioapic_route(ioapic_id(), handle, apic_id, vector, &entry))
		return false;
	routed[gsi] = handle;
	ioapic_write_entry(gsi, masked ? entry : entry & ~IOAPIC_ENTRY_MASKED);
	return true;
}

void passthrough_intx_mask(unsigned gsi, bool masked)
{
	if (available && gsi < MAX_INPUTS && routed[gsi] != NO_HANDLE)
		ioapic_set_masked(gsi, masked);
}

void passthrough_intx_received(unsigned gsi)
{
	if (available && gsi < MAX_INPUTS && routed[gsi] != NO_HANDLE)
		ioapic_mask_and_end(gsi);
}

void passthrough_intx_release(struct partition *p)
{
	for (uint32_t k = 0; k < CONFIG_MAX_PCI_DEVICES; k++) {
		int gsi = passthrough_intx_gsi(p, k);

		if (gsi < 0 || routed[gsi] == NO_HANDLE)
			continue;
		ioapic_set_masked((unsigned)gsi, true);
		iommu_ioapic_unroute(ioapic_id(), routed[gsi]);
		routed[gsi] = NO_HANDLE;
	}
}

uint32_t passthrough_intx_routes(void)
{
	uint32_t count = 0;

	for (unsigned gsi = 0; gsi < MAX_INPUTS; gsi++)
		count += routed[gsi] != NO_HANDLE;
	return count;
}
