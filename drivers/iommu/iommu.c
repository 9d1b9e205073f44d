/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU front: which driver the firmware's tables call for, which unit
 * translates a function, and the domains; see iommu.h. Only Intel VT-d
 * (ACPI DMAR) is driven; a machine whose firmware describes none has no
 * IOMMU, and then no device may be given to a partition.
 */
#include "iommu.h"

#include <string.h>

#include "lib/format.h"
#include "vtd.h"

static bool present;
static struct dmar_info dmar_info;
static iommu_bridge_buses bridge_buses;
static void *bridge_context;

bool iommu_init(const void *dmar, size_t length, uint32_t fault_apic_id,
		iommu_bridge_buses bridges, void *context, char *error,
		size_t error_size)
{
	char reason[DMAR_ERROR_MAX];

	present = false;
	if (!dmar)
		return true;
	if (!dmar_parse(dmar, length, &dmar_info, reason)) {
		format(error, error_size, "%s", reason);
		return false;
	}
	bridge_buses = bridges;
	bridge_context = context;
	if (!vtd_init(&dmar_info, fault_apic_id, error, error_size))
		return false;
	present = true;
	return true;
}

bool iommu_present(void)
{
	return present;
}

const char *iommu_name(void)
{
	return present ? "Intel VT-d" : "none";
}

static int unit_of(const struct iommu_device *d)
{
	return dmar_unit_of(&dmar_info, d->segment, d->bus, d->device,
			    d->function, bridge_buses, bridge_context);
}

bool iommu_covers(const struct iommu_device *device, char *why,
		  size_t why_size)
{
	if (!present) {
		format(why, why_size,
		       "the machine has no IOMMU (no ACPI DMAR table), so the "
		       "device's DMA could reach any memory");
		return false;
	}
	if (unit_of(device) < 0) {
		format(why, why_size,
		       "no VT-d unit of the DMAR table covers it, so its DMA "
		       "would not be translated");
		return false;
	}
	return true;
}

bool iommu_domain_init(struct iommu_domain *domain, uint16_t id,
		       uint64_t guest, uint64_t host, uint64_t size,
		       const struct pagetable_allocator *allocator)
{
	memset(domain, 0, sizeof(*domain));
	domain->id = id;
	return present && id &&
	       pagetable_init(&domain->table, vtd_domain_format(), allocator) &&
	       pagetable_map_range(&domain->table, guest, host, size,
				   PT_READ | PT_WRITE);
}

bool iommu_attach(struct iommu_domain *domain,
		  const struct iommu_device *device, char *error,
		  size_t error_size)
{
	int unit = present ? unit_of(device) : -1;

	if (unit < 0) {
		format(error, error_size, "no IOMMU unit covers %02x:%02x.%x",
		       device->bus, device->device, device->function);
		return false;
	}
	return vtd_attach(unit, domain->id, &domain->table, device, error,
			  error_size);
}

void iommu_block(const struct iommu_domain *domain,
		 const struct iommu_device *device)
{
	int unit = present ? unit_of(device) : -1;

	if (unit >= 0)
		vtd_block(unit, domain->id, device);
}

unsigned iommu_poll_faults(void (*report)(void *context,
					  const struct iommu_fault *fault),
			   void *context)
{
	return present ? vtd_poll_faults(report, context) : 0;
}

void iommu_describe(void (*line)(const char *text))
{
	if (present)
		vtd_describe(line);
}
