/* SPDX-License-Identifier: MIT */
/*
 * The host's configuration-space access (pci_config.h): the MCFG's ECAM
 * windows, checked against the legacy ports and mapped where the core's
 * identity map does not reach, or the ports 0xcf8/0xcfc alone.
 */
#include "pci_config.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/spinlock.h"
#include "core/console/console.h"

#define LEGACY_ADDRESS_PORT 0xcf8
#define LEGACY_DATA_PORT    0xcfc
#define LEGACY_ENABLE	    0x80000000u
#define ECAM_BUS_SHIFT	    20
#define ECAM_DEVICE_SHIFT   15
#define ECAM_FUNCTION_SHIFT 12

static enum pci_config_mechanism mechanism;
static struct acpi_mcfg_window windows[PCI_CONFIG_MAX_WINDOWS];
static size_t window_count;
static struct spinlock legacy_lock;

static bool valid(struct pci_address address, uint16_t offset, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && !(offset % size) &&
	       offset < PCI_EXTENDED_SIZE && address.device < 32 &&
	       address.function < 8;
}

static uint32_t all_ones(unsigned size)
{
	return size == 4 ? ~0u : (1u << (8 * size)) - 1;
}

/* Legacy mechanism #1: the dword's address in 0xcf8, the bytes in
 * 0xcfc-0xcff. Segment 0 and the first 256 bytes only. */
static bool legacy_reaches(struct pci_address address, uint16_t offset)
{
	return address.segment == 0 && offset < PCI_CONFIG_SIZE;
}

static uint32_t legacy_address(struct pci_address address, uint16_t offset)
{
	return LEGACY_ENABLE | (uint32_t)address.bus << 16 |
	       (uint32_t)address.device << 11 |
	       (uint32_t)address.function << 8 | (offset & 0xfc);
}

static uint32_t legacy_read(struct pci_address address, uint16_t offset,
			    unsigned size)
{
	uint16_t port = LEGACY_DATA_PORT + (offset & 3);
	uint32_t value;

	spin_lock(&legacy_lock);
	outl(LEGACY_ADDRESS_PORT, legacy_address(address, offset));
	value = size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
	spin_unlock(&legacy_lock);
	return value;
}

static void legacy_write(struct pci_address address, uint16_t offset,
			 unsigned size, uint32_t value)
{
	uint16_t port = LEGACY_DATA_PORT + (offset & 3);

	spin_lock(&legacy_lock);
	outl(LEGACY_ADDRESS_PORT, legacy_address(address, offset));
	if (size == 4)
		outl(port, value);
	else if (size == 2)
		outw(port, (uint16_t)value);
	else
		outb(port, (uint8_t)value);
	spin_unlock(&legacy_lock);
}

/* Whether the ports work: 0xcf8 holds what is written to it (Linux's
 * check for mechanism #1). */
static bool legacy_present(void)
{
	uint32_t saved, probe;

	spin_lock(&legacy_lock);
	saved = inl(LEGACY_ADDRESS_PORT);
	outl(LEGACY_ADDRESS_PORT, LEGACY_ENABLE);
	probe = inl(LEGACY_ADDRESS_PORT);
	outl(LEGACY_ADDRESS_PORT, saved);
	spin_unlock(&legacy_lock);
	return probe == LEGACY_ENABLE;
}

/* The ECAM address of the register, or 0 when no window has the bus. */
static uint64_t ecam_address(struct pci_address address, uint16_t offset)
{
	for (size_t i = 0; i < window_count; i++) {
		const struct acpi_mcfg_window *w = &windows[i];

		if (w->segment == address.segment &&
		    address.bus >= w->start_bus && address.bus <= w->end_bus)
			return w->base +
			       ((uint64_t)address.bus << ECAM_BUS_SHIFT |
				(uint64_t)address.device << ECAM_DEVICE_SHIFT |
				(uint64_t)address.function
				    << ECAM_FUNCTION_SHIFT |
				offset);
	}
	return 0;
}

static uint32_t ecam_read(uint64_t at, unsigned size)
{
	if (size == 4)
		return *(volatile uint32_t *)(uintptr_t)at;
	if (size == 2)
		return *(volatile uint16_t *)(uintptr_t)at;
	return *(volatile uint8_t *)(uintptr_t)at;
}

static void ecam_write(uint64_t at, unsigned size, uint32_t value)
{
	if (size == 4)
		*(volatile uint32_t *)(uintptr_t)at = value;
	else if (size == 2)
		*(volatile uint16_t *)(uintptr_t)at = (uint16_t)value;
	else
		*(volatile uint8_t *)(uintptr_t)at = (uint8_t)value;
}

uint32_t pci_config_read(struct pci_address address, uint16_t offset,
			 unsigned size)
{
	if (!valid(address, offset, size))
		return all_ones(size == 1 || size == 2 ? size : 4);
	if (mechanism == PCI_CONFIG_ECAM) {
		uint64_t at = ecam_address(address, offset);

		return at ? ecam_read(at, size) : all_ones(size);
	}
	if (mechanism == PCI_CONFIG_LEGACY && legacy_reaches(address, offset))
		return legacy_read(address, offset, size);
	return all_ones(size);
}

void pci_config_write(struct pci_address address, uint16_t offset,
		      unsigned size, uint32_t value)
{
	if (!valid(address, offset, size))
		return;
	if (mechanism == PCI_CONFIG_ECAM) {
		uint64_t at = ecam_address(address, offset);

		if (at)
			ecam_write(at, size, value);
	} else if (mechanism == PCI_CONFIG_LEGACY &&
		   legacy_reaches(address, offset)) {
		legacy_write(address, offset, size, value);
	}
}

static uint32_t host_read(void *context, struct pci_address address,
			  uint16_t offset, unsigned size)
{
	(void)context;
	return pci_config_read(address, offset, size);
}

static void host_write(void *context, struct pci_address address,
		       uint16_t offset, unsigned size, uint32_t value)
{
	(void)context;
	pci_config_write(address, offset, size, value);
}

const struct pci_config_access pci_host_access = {host_read, host_write, NULL};

/* The MCFG's windows, each made reachable; false when there are none. */
static bool find_windows(uint64_t acpi_rsdp)
{
	uint64_t limit = paging_identity_limit();
	struct acpi_memory memory = {acpi_identity_map, &limit};
	struct acpi_mcfg_window found[PCI_CONFIG_MAX_WINDOWS];
	struct acpi_table mcfg;
	size_t total;

	if (!acpi_rsdp ||
	    !acpi_find_table(&memory, acpi_rsdp, "MCFG", 0, &mcfg))
		return false;
	total = acpi_parse_mcfg(&mcfg, found, PCI_CONFIG_MAX_WINDOWS);
	if (total > PCI_CONFIG_MAX_WINDOWS)
		log_line("pci: the MCFG lists %llu ECAM windows; using the "
			 "first %u",
			 (unsigned long long)total, PCI_CONFIG_MAX_WINDOWS);
	window_count = 0;
	for (size_t i = 0; i < total && i < PCI_CONFIG_MAX_WINDOWS; i++) {
		const struct acpi_mcfg_window *w = &found[i];
		uint64_t start =
		    w->base + ((uint64_t)w->start_bus << ECAM_BUS_SHIFT);
		uint64_t size = (uint64_t)(w->end_bus - w->start_bus + 1)
				<< ECAM_BUS_SHIFT;
		const char *where = "inside the identity map";

		if (start + size > limit) {
			if (!paging_map_uncached(start, size)) {
				log_line("pci: ECAM 0x%llx segment %04x cannot "
					 "be mapped; left out",
					 (unsigned long long)start, w->segment);
				continue;
			}
			where = "mapped uncached above the identity map";
		}
		windows[window_count++] = *w;
		log_line("pci: config access: ECAM at 0x%llx, segment %04x "
			 "buses %02x-%02x (%s)",
			 (unsigned long long)start, w->segment, w->start_bus,
			 w->end_bus, where);
	}
	return window_count > 0;
}

enum pci_config_mechanism pci_config_init(uint64_t acpi_rsdp)
{
	bool ports = legacy_present();

	if (find_windows(acpi_rsdp)) {
		/* A bad MCFG is not unheard of: where the ports reach the
		 * same function, both must read the same IDs. */
		struct pci_address first = {windows[0].segment,
					    windows[0].start_bus, 0, 0};

		mechanism = PCI_CONFIG_ECAM;
		if (!ports || !legacy_reaches(first, 0) ||
		    pci_config_read32(first, PCI_VENDOR_ID) ==
			legacy_read(first, PCI_VENDOR_ID, 4))
			return mechanism;
		log_line(
		    "pci: ECAM and the legacy ports disagree on %02x:00.0; "
		    "using the ports",
		    first.bus);
		window_count = 0;
	}
	if (ports) {
		mechanism = PCI_CONFIG_LEGACY;
		log_line("pci: config access: legacy ports 0xcf8/0xcfc, "
			 "segment 0000, 256 bytes per function (%s)",
			 acpi_rsdp ? "no MCFG" : "no ACPI");
	} else {
		mechanism = PCI_CONFIG_NONE;
		log_line("pci: no config access: no MCFG and no legacy ports");
	}
	return mechanism;
}

enum pci_config_mechanism pci_config_mechanism(void)
{
	return mechanism;
}

size_t pci_config_windows(const struct acpi_mcfg_window **list)
{
	*list = windows;
	return mechanism == PCI_CONFIG_ECAM ? window_count : 0;
}

size_t pci_config_roots(struct pci_root *roots, size_t capacity)
{
	size_t count = 0;

	if (mechanism == PCI_CONFIG_LEGACY && capacity) {
		roots[0] = (struct pci_root){0, 0, 0xff};
		return 1;
	}
	for (size_t i = 0; mechanism == PCI_CONFIG_ECAM && i < window_count &&
			   count < capacity;
	     i++)
		roots[count++] =
		    (struct pci_root){windows[i].segment, windows[i].start_bus,
				      windows[i].end_bus};
	return count;
}
