/* SPDX-License-Identifier: MIT */
/* The device and fault records the IOMMU front and its drivers share. */
#ifndef BULKHEAD_DRIVERS_IOMMU_IOMMU_TYPES_H
#define BULKHEAD_DRIVERS_IOMMU_IOMMU_TYPES_H

#include <stdbool.h>
#include <stdint.h>

struct iommu_device {
	uint16_t segment;
	uint8_t bus, device, function;
};

/* The requester id a function's DMA carries (bus, device, function). */
static inline uint16_t iommu_requester_id(const struct iommu_device *d)
{
	return (uint16_t)(d->bus << 8 | d->device << 3 | d->function);
}

struct iommu_fault {
	struct iommu_device device;
	uint64_t address; /* the DMA address, page-aligned as recorded */
	bool write;
	bool interrupt; /* an interrupt request, not a memory access */
	uint8_t reason;   /* the hardware's fault reason code */
	const char *reason_text;
};

#endif
