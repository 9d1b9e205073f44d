/* SPDX-License-Identifier: MIT */
/*
 * The hardware side of owned devices' message interrupts (docs/devices.md,
 * "Interrupts"): the device's own MSI registers and MSI-X table get the
 * hypervisor's messages, each through an interrupt remapping entry of the
 * IOMMU (source-id verified) that names a host vector and CPU. Which
 * vector and CPU is core/platform/device_msi.c's choice; this file only
 * programs the device and the IOMMU, and remembers every entry it routed
 * so that a stop removes them all.
 */
#include "passthrough.h"

#include "drivers/iommu/iommu.h"
#include "function_config.h"

#define MSI_CONTROL_ENABLE (1u << 0)
#define MSI_CONTROL_MULTIPLE (7u << 4)
#define MSIX_CONTROL_ENABLE (1u << 15)
#define MSIX_CONTROL_MASK_ALL (1u << 14)
#define MSIX_ENTRY_SIZE 16
#define MSIX_ENTRY_DATA 8
#define MSIX_ENTRY_CONTROL 12
#define MSIX_ENTRY_MASKED 1u
#define NO_HANDLE 0xffffu

/* The IOMMU entries routed per device and vector (NO_HANDLE: none). */
static uint16_t routed[CONFIG_MAX_PARTITIONS][CONFIG_MAX_PCI_DEVICES]
		      [PASSTHROUGH_MAX_VECTORS];

static struct iommu_device iommu_device_of(const struct pci_function *f)
{
	return (struct iommu_device){ f->address.segment, f->address.bus,
				      f->address.device,
				      f->address.function };
}

bool passthrough_msi_available(void)
{
	return iommu_remaps_interrupts();
}

void passthrough_msi_init(void)
{
	for (unsigned p = 0; p < CONFIG_MAX_PARTITIONS; p++)
		for (unsigned d = 0; d < CONFIG_MAX_PCI_DEVICES; d++)
			for (unsigned k = 0; k < PASSTHROUGH_MAX_VECTORS; k++)
				routed[p][d][k] = NO_HANDLE;
}

/* The device's MSI-X table entry k, through the hypervisor's identity map
 * (the table's pages are mapped uncached at boot: passthrough.c). */
static volatile uint32_t *msix_entry(const struct pci_function *f, unsigned k)
{
	uint64_t table = f->bars[f->msix.table_bar].address +
			 f->msix.table_offset;

	return (volatile uint32_t *)(uintptr_t)(table + (uint64_t)k *
							MSIX_ENTRY_SIZE);
}

static void msix_mask(const struct pci_function *f, unsigned k)
{
	volatile uint32_t *entry = msix_entry(f, k);

	entry[MSIX_ENTRY_CONTROL / 4] |= MSIX_ENTRY_MASKED;
	(void)entry[MSIX_ENTRY_CONTROL / 4]; /* flushes the posted write */
}

/* The device's own MSI registers: the message, then the enable bit. */
static void msi_program(const struct pci_function *f,
			const struct iommu_msi *message)
{
	uint16_t base = f->msi.offset;
	uint16_t data = (uint16_t)(base + (f->msi.address_64bit ? 12 : 8));

	config_write(f, (uint16_t)(base + 4), 4, message->address);
	if (f->msi.address_64bit)
		config_write(f, (uint16_t)(base + 8), 4, 0);
	config_write(f, data, 2, message->data);
	if (f->msi.per_vector_mask)
		config_write(f, (uint16_t)(data + 4), 4, 0);
	/* One vector (multiple message enable 0), enabled. */
	config_write(f, (uint16_t)(base + 2), 2,
		     (config_read(f, (uint16_t)(base + 2), 2) &
		      ~MSI_CONTROL_MULTIPLE) |
			     MSI_CONTROL_ENABLE);
}

/* MSI-X entry k: masked while its message changes, then unmasked. */
static void msix_program(const struct pci_function *f, unsigned k,
			 const struct iommu_msi *message)
{
	volatile uint32_t *entry = msix_entry(f, k);

	msix_mask(f, k);
	entry[0] = message->address;
	entry[1] = 0;
	entry[MSIX_ENTRY_DATA / 4] = message->data;
	entry[MSIX_ENTRY_CONTROL / 4] &= ~MSIX_ENTRY_MASKED;
	(void)entry[MSIX_ENTRY_CONTROL / 4];
}

static bool vector_fits(const struct pci_function *f, bool msix, unsigned k)
{
	if (k >= PASSTHROUGH_MAX_VECTORS)
		return false;
	return msix ? pci_msix_reachable(f) && k < f->msix.table_size
		    : f->msi.offset && k == 0;
}

bool passthrough_msi_route(struct partition *p, uint32_t index, bool msix,
			   unsigned k, uint16_t handle, uint32_t apic_id,
			   uint8_t vector)
{
	const struct pci_function *f = passthrough_function(p, index);
	struct iommu_msi message;

	if (!f || !vector_fits(f, msix, k) || handle == NO_HANDLE)
		return false;
	struct iommu_device device = iommu_device_of(f);
	uint16_t *slot = &routed[p->id][index][k];

	if (*slot != NO_HANDLE && *slot != handle)
		iommu_interrupt_unroute(&device, *slot);
	*slot = NO_HANDLE;
	if (!iommu_interrupt_route(&device, handle, apic_id, vector, &message))
		return false;
	*slot = handle;
	if (msix)
		msix_program(f, k, &message);
	else
		msi_program(f, &message);
	return true;
}

void passthrough_msi_off(struct partition *p, uint32_t index, bool msix,
			 unsigned k)
{
	const struct pci_function *f = passthrough_function(p, index);

	if (!f || !vector_fits(f, msix, k))
		return;
	if (msix) {
		msix_mask(f, k);
	} else {
		uint16_t control = (uint16_t)(f->msi.offset + 2);

		config_write(f, control, 2,
			     config_read(f, control, 2) & ~MSI_CONTROL_ENABLE);
	}
	uint16_t *slot = &routed[p->id][index][k];

	if (*slot != NO_HANDLE) {
		struct iommu_device device = iommu_device_of(f);

		iommu_interrupt_unroute(&device, *slot);
		*slot = NO_HANDLE;
	}
}

void passthrough_msix_enable(struct partition *p, uint32_t index, bool on)
{
	const struct pci_function *f = passthrough_function(p, index);

	if (!f || !pci_msix_reachable(f))
		return;
	uint16_t control = (uint16_t)(f->msix.offset + 2);
	uint32_t value = config_read(f, control, 2);

	if (!on) {
		config_write(f, control, 2,
			     (value & ~MSIX_CONTROL_ENABLE) |
				     MSIX_CONTROL_MASK_ALL);
		return;
	}
	/* Enabled with the function masked while every entry is masked;
	 * then only entries routed later (unmasked one by one) fire. */
	config_write(f, control, 2, value | MSIX_CONTROL_ENABLE |
					    MSIX_CONTROL_MASK_ALL);
	for (unsigned k = 0; k < f->msix.table_size; k++)
		if (k >= PASSTHROUGH_MAX_VECTORS ||
		    routed[p->id][index][k] == NO_HANDLE)
			msix_mask(f, k);
	config_write(f, control, 2,
		     (value | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_MASK_ALL);
}

void passthrough_msi_release(struct partition *p, uint32_t index)
{
	const struct pci_function *f = passthrough_function(p, index);

	if (!f)
		return;
	struct iommu_device device = iommu_device_of(f);

	for (unsigned k = 0; k < PASSTHROUGH_MAX_VECTORS; k++)
		if (routed[p->id][index][k] != NO_HANDLE) {
			iommu_interrupt_unroute(&device,
						routed[p->id][index][k]);
			routed[p->id][index][k] = NO_HANDLE;
		}
}

uint32_t passthrough_msi_routes(void)
{
	uint32_t count = 0;

	for (uint32_t i = 0; i < CONFIG_MAX_PARTITIONS; i++)
		for (uint32_t d = 0; d < CONFIG_MAX_PCI_DEVICES; d++)
			for (unsigned k = 0; k < PASSTHROUGH_MAX_VECTORS; k++)
				count += routed[i][d][k] != NO_HANDLE;
	return count;
}

uint64_t passthrough_mmio_read(uint64_t address, unsigned size)
{
	volatile void *at = (volatile void *)(uintptr_t)address;

	switch (size) {
	case 1:
		return *(volatile uint8_t *)at;
	case 2:
		return *(volatile uint16_t *)at;
	case 4:
		return *(volatile uint32_t *)at;
	default:
		return *(volatile uint64_t *)at;
	}
}

void passthrough_mmio_write(uint64_t address, unsigned size, uint64_t value)
{
	volatile void *at = (volatile void *)(uintptr_t)address;

	switch (size) {
	case 1:
		*(volatile uint8_t *)at = (uint8_t)value;
		break;
	case 2:
		*(volatile uint16_t *)at = (uint16_t)value;
		break;
	case 4:
		*(volatile uint32_t *)at = (uint32_t)value;
		break;
	default:
		*(volatile uint64_t *)at = value;
		break;
	}
}
