/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU front: which driver the firmware's tables call for, which unit
 * translates a function, and the domains; see iommu.h. Intel VT-d (ACPI
 * DMAR) is preferred when the firmware describes it, else AMD-Vi (ACPI
 * IVRS); a machine whose firmware describes neither has no IOMMU, and
 * then no device may be given to a partition.
 */
#include "iommu.h"

#include <string.h>

#include "amd_vi.h"
#include "amd_vi_interrupt.h"
#include "lib/format.h"
#include "vtd.h"
#include "vtd_interrupt.h"

enum driver { NONE, VTD, AMD_VI };

static enum driver driver;
static struct dmar_info dmar_info;
static struct ivrs_info ivrs_info;
static iommu_bridge_buses bridge_buses;
static void *bridge_context;

static bool init_vtd(const struct iommu_tables *tables,
		     uint32_t fault_apic_id, char *error, size_t error_size)
{
	char reason[DMAR_ERROR_MAX];

	if (!dmar_parse(tables->dmar, tables->dmar_length, &dmar_info,
			reason)) {
		format(error, error_size, "%s", reason);
		return false;
	}
	return vtd_init(&dmar_info, fault_apic_id, error, error_size);
}

static bool init_amd_vi(const struct iommu_tables *tables, char *error,
			size_t error_size)
{
	char reason[IVRS_ERROR_MAX];

	if (!ivrs_parse(tables->ivrs, tables->ivrs_length, &ivrs_info,
			reason)) {
		format(error, error_size, "%s", reason);
		return false;
	}
	return amd_vi_init(&ivrs_info, error, error_size);
}

bool iommu_init(const struct iommu_tables *tables, uint32_t fault_apic_id,
		iommu_bridge_buses bridges, void *context, char *error,
		size_t error_size)
{
	driver = NONE;
	bridge_buses = bridges;
	bridge_context = context;
	if (tables->dmar) {
		if (!init_vtd(tables, fault_apic_id, error, error_size))
			return false;
		driver = VTD;
	} else if (tables->ivrs) {
		if (!init_amd_vi(tables, error, error_size))
			return false;
		driver = AMD_VI;
	}
	return true;
}

bool iommu_present(void)
{
	return driver != NONE;
}

const char *iommu_name(void)
{
	switch (driver) {
	case VTD:
		return "Intel VT-d";
	case AMD_VI:
		return "AMD-Vi";
	default:
		return "none";
	}
}

static int unit_of(const struct iommu_device *d)
{
	if (driver == VTD)
		return dmar_unit_of(&dmar_info, d->segment, d->bus, d->device,
				    d->function, bridge_buses, bridge_context);
	if (driver == AMD_VI)
		return ivrs_unit_of(&ivrs_info, d->segment,
				    iommu_requester_id(d));
	return -1;
}

/* AMD-Vi: why the IVRS keeps the function from being isolated, or NULL. */
static const char *amd_vi_unfit(const struct iommu_device *d, char *why,
				size_t why_size)
{
	uint16_t id = iommu_requester_id(d);

	for (uint32_t i = 0; i < ivrs_info.unit_count; i++) {
		const struct ivrs_unit *u = &ivrs_info.units[i];

		if (u->segment != d->segment)
			continue;
		if (u->device_id == id)
			return "it is the IOMMU";
		for (uint32_t r = 0; r < u->range_count; r++) {
			const struct ivrs_range *range = &u->ranges[r];

			if (range->alias && id >= range->first &&
			    id <= range->last) {
				format(why, why_size,
				       "the IVRS table says its DMA carries the "
				       "requester id 0x%04x of another "
				       "function",
				       range->alias_id);
				return why;
			}
		}
	}
	return NULL;
}

bool iommu_covers(const struct iommu_device *device, char *why,
		  size_t why_size)
{
	if (driver == NONE) {
		format(why, why_size,
		       "the machine has no IOMMU (no ACPI DMAR or IVRS table), "
		       "so the device's DMA could reach any memory");
		return false;
	}
	if (unit_of(device) < 0) {
		format(why, why_size,
		       driver == VTD
			       ? "no VT-d unit of the DMAR table covers it, so "
				 "its DMA would not be translated"
			       : "no AMD-Vi IOMMU of the IVRS table covers it, "
				 "so its DMA would not be translated");
		return false;
	}
	if (driver == AMD_VI) {
		const char *reason = amd_vi_unfit(device, why, why_size);

		if (reason) {
			if (reason != why)
				format(why, why_size, "%s", reason);
			return false;
		}
	}
	return true;
}

static const struct pagetable_format *domain_format(void)
{
	return driver == VTD ? vtd_domain_format() : amd_vi_domain_format();
}

bool iommu_domain_init(struct iommu_domain *domain, uint16_t id,
		       uint64_t guest, uint64_t host, uint64_t size,
		       const struct pagetable_allocator *allocator)
{
	memset(domain, 0, sizeof(*domain));
	domain->id = id;
	return driver != NONE && id &&
	       pagetable_init(&domain->table, domain_format(), allocator) &&
	       pagetable_map_range(&domain->table, guest, host, size,
				   PT_READ | PT_WRITE);
}

bool iommu_attach(struct iommu_domain *domain,
		  const struct iommu_device *device, char *error,
		  size_t error_size)
{
	int unit = unit_of(device);

	if (unit < 0) {
		format(error, error_size, "no IOMMU unit covers %02x:%02x.%x",
		       device->bus, device->device, device->function);
		return false;
	}
	if (driver == AMD_VI)
		return amd_vi_attach(unit, domain->id, &domain->table, device,
				     error, error_size);
	return vtd_attach(unit, domain->id, &domain->table, device, error,
			  error_size);
}

void iommu_block(const struct iommu_domain *domain,
		 const struct iommu_device *device)
{
	int unit = unit_of(device);

	if (unit < 0)
		return;
	if (driver == AMD_VI)
		amd_vi_block(unit, domain->id, device);
	else
		vtd_block(unit, domain->id, device);
}

bool iommu_remaps_interrupts(void)
{
	return driver == VTD || (driver == AMD_VI && amd_vi_remaps_interrupts());
}

bool iommu_interrupt_route(const struct iommu_device *device,
			   uint16_t handle, uint32_t apic_id, uint8_t vector,
			   struct iommu_msi *message)
{
	int unit = unit_of(device);

	if (unit < 0 || apic_id > 0xff || handle >= IOMMU_INTERRUPT_HANDLES)
		return false;
	if (driver == VTD) {
		if (!vtd_interrupt_route(unit, device, handle,
					 (uint8_t)apic_id, vector))
			return false;
		message->address = vtd_msi_address(handle);
		message->data = vtd_msi_data();
		return true;
	}
	if (driver == AMD_VI) {
		if (!amd_vi_interrupt_route(unit, device, handle,
					    (uint8_t)apic_id, vector))
			return false;
		message->address = amd_vi_msi_address();
		message->data = amd_vi_msi_data(handle);
		return true;
	}
	return false;
}

void iommu_interrupt_unroute(const struct iommu_device *device,
			     uint16_t handle)
{
	int unit = unit_of(device);

	if (unit < 0)
		return;
	if (driver == VTD)
		vtd_interrupt_unroute(unit, handle);
	else if (driver == AMD_VI)
		amd_vi_interrupt_unroute(unit, device, handle);
}

/* The unit remapping the IOAPIC's interrupts and its requester id, or -1
 * (VT-d: its DMAR device scope; AMD-Vi: its IVRS special entry). */
static int ioapic_unit(uint8_t ioapic_id, uint16_t *requester_id)
{
	if (driver == VTD)
		return dmar_ioapic_of(&dmar_info, ioapic_id, requester_id);
	if (driver != AMD_VI || !amd_vi_remaps_interrupts())
		return -1;
	for (uint32_t i = 0; i < ivrs_info.unit_count; i++) {
		const struct ivrs_unit *u = &ivrs_info.units[i];

		for (uint32_t k = 0; k < u->special_count; k++)
			if (u->specials[k].variety == IVRS_SPECIAL_IOAPIC &&
			    u->specials[k].handle == ioapic_id) {
				*requester_id = u->specials[k].device_id;
				return (int)i;
			}
	}
	return -1;
}

static struct iommu_device device_of(uint16_t requester_id)
{
	return (struct iommu_device){ 0, (uint8_t)(requester_id >> 8),
				      (uint8_t)(requester_id >> 3 & 0x1f),
				      (uint8_t)(requester_id & 7) };
}

bool iommu_ioapic_init(uint8_t ioapic_id)
{
	uint16_t requester_id;
	int unit = ioapic_unit(ioapic_id, &requester_id);

	if (unit < 0)
		return false;
	return driver == VTD || amd_vi_interrupts_only(unit, requester_id);
}

bool iommu_ioapic_route(uint8_t ioapic_id, uint16_t handle, uint32_t apic_id,
			uint8_t vector, uint64_t *redirection)
{
	uint16_t requester_id;
	int unit = ioapic_unit(ioapic_id, &requester_id);

	if (unit < 0 || apic_id > 0xff || handle >= IOMMU_INTERRUPT_HANDLES)
		return false;
	if (driver == VTD) {
		if (!vtd_interrupt_route_level(unit, requester_id, handle,
					       (uint8_t)apic_id, vector))
			return false;
		*redirection = vtd_ioapic_entry(handle, vector);
		return true;
	}
	struct iommu_device device = device_of(requester_id);

	/* The message's vector field is the entry index: the IOAPIC's
	 * handle must be its vector, for the EOI to name it. */
	if (handle != vector ||
	    !amd_vi_interrupt_route(unit, &device, handle, (uint8_t)apic_id,
				    vector))
		return false;
	*redirection = amd_vi_ioapic_entry(handle);
	return true;
}

void iommu_ioapic_unroute(uint8_t ioapic_id, uint16_t handle)
{
	uint16_t requester_id;
	int unit = ioapic_unit(ioapic_id, &requester_id);

	if (unit < 0)
		return;
	if (driver == VTD) {
		vtd_interrupt_unroute(unit, handle);
		return;
	}
	struct iommu_device device = device_of(requester_id);

	amd_vi_interrupt_unroute(unit, &device, handle);
}

unsigned iommu_poll_faults(void (*report)(void *context,
					  const struct iommu_fault *fault),
			   void *context)
{
	if (driver == VTD)
		return vtd_poll_faults(report, context);
	if (driver == AMD_VI)
		return amd_vi_poll_faults(report, context);
	return 0;
}

void iommu_describe(void (*line)(const char *text))
{
	if (driver == VTD)
		vtd_describe(line);
	else if (driver == AMD_VI)
		amd_vi_describe(line);
}
