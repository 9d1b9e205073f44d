/* SPDX-License-Identifier: MIT */
/*
 * Host PCI functions owned by partitions; see passthrough.h and
 * docs/devices.md. What a function must be to be given away: present, a
 * type-0 endpoint (no bridge, no host bridge), not the hypervisor's own
 * console, with a requester id of its own (not behind a conventional PCI
 * bridge, whose devices all DMA with the bridge's id), covered by an IOMMU
 * unit, with every memory BAR assigned and alone on its pages, and none of
 * them over the partition's RAM, its channel windows or the APIC pages.
 */
#include "passthrough.h"

#include <bulkhead/acpi_read.h>
#include <string.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "core/base/boot_alloc.h"
#include "core/console/console.h"
#include "drivers/iommu/iommu.h"
#include "device_reset.h"
#include "function_config.h"
#include "lib/format.h"

#define APIC_PAGES_BASE 0xfec00000ull /* IOAPIC .. local APIC, 20 MiB */
#define APIC_PAGES_END 0xfee01000ull
#define CLASS_BRIDGE 0x06
#define CLASS_SYSTEM_PERIPHERAL 0x08
#define SUBCLASS_IOMMU 0x06
#define EXPRESS_TO_PCI_BRIDGE 7
#define EXPRESS_DEVICE_CONTROL 0x08
#define EXPRESS_INITIATE_FLR (1u << 15)
#define MSI_CONTROL_ENABLE (1u << 0)
#define MSIX_ENTRY_BYTES 16
#define MSIX_CONTROL_ENABLE (1u << 15)
#define MSIX_CONTROL_MASK_ALL (1u << 14)
#define COMMAND_INTX_DISABLE (1u << 10)
#define FLR_WAIT_MS 100
#define FAULT_LOG_LIMIT 8

struct owned_device {
	const struct pci_function *function;
	struct iommu_device address;
	bool attached; /* joined the domain, not blocked since */
};

struct owned {
	uint32_t count;
	struct owned_device devices[CONFIG_MAX_PCI_DEVICES];
	struct iommu_domain domain;
	uint32_t fault_logs;
};

static struct owned owned[CONFIG_MAX_PARTITIONS];
static bool active;
static uint32_t unowned_fault_logs;
static uint64_t tsc_hz;

static void address_text(const struct pci_function *f, char *text)
{
	pci_address_text(f->address, text);
}

/* The page-rounded range of a memory BAR. */
static void bar_pages(const struct pci_bar *bar, uint64_t *base, uint64_t *end)
{
	*base = bar->address & ~(PAGE_SIZE - 1);
	*end = (bar->address + bar->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static bool is_memory_bar(const struct pci_bar *bar)
{
	return (bar->type == PCI_BAR_MEMORY32 || bar->type == PCI_BAR_MEMORY64) &&
	       bar->size;
}

/* Another function's memory BAR on the pages of [base, end), or NULL. */
static const struct pci_function *page_neighbour(const struct pci_function *f,
						 uint64_t base, uint64_t end)
{
	size_t count;
	const struct pci_function *all = pci_functions(&count);

	for (size_t i = 0; i < count; i++) {
		const struct pci_function *other = &all[i];

		if (other == f)
			continue;
		for (unsigned b = 0; b < other->bar_count; b++) {
			uint64_t other_base, other_end;

			if (!is_memory_bar(&other->bars[b]))
				continue;
			bar_pages(&other->bars[b], &other_base, &other_end);
			if (other_base < end && base < other_end)
				return other;
		}
	}
	return NULL;
}

/* The bridge whose secondary bus is bus, or NULL (bus 0: the root). */
static const struct pci_function *upstream_bridge(uint16_t segment,
						  uint8_t bus)
{
	size_t count;
	const struct pci_function *all = pci_functions(&count);

	for (size_t i = 0; i < count; i++)
		if (all[i].header_type == 1 &&
		    all[i].address.segment == segment &&
		    all[i].secondary_bus == bus)
			return &all[i];
	return NULL;
}

static bool bridge_buses(void *context, uint16_t segment, uint8_t bus,
			 uint8_t device, uint8_t function, uint8_t *secondary,
			 uint8_t *subordinate)
{
	const struct pci_function *f = pci_find((struct pci_address){
		segment, bus, device, function });

	(void)context;
	if (!f || f->header_type != 1)
		return false;
	*secondary = f->secondary_bus;
	*subordinate = f->subordinate_bus;
	return true;
}

/* Why f cannot be given to a partition, or NULL. */
static const char *unfit(const struct pci_function *f, uint16_t console_port,
			 char *why, size_t size)
{
	char other[PCI_ADDRESS_TEXT];

	if (f->header_type != 0)
		return "it is a bridge; only endpoints can be given";
	if (!f->address.bus && !f->address.device && !f->address.function)
		return "00:00.0 is where a partition sees its host bridge";
	if (f->class_code == CLASS_BRIDGE)
		return "it is a host or ISA bridge";
	if (f->class_code == CLASS_SYSTEM_PERIPHERAL &&
	    f->subclass == SUBCLASS_IOMMU)
		return "it is the IOMMU";
	for (unsigned b = 0; b < f->bar_count; b++) {
		const struct pci_bar *bar = &f->bars[b];
		uint64_t base, end;

		if (bar->type == PCI_BAR_IO && bar->size &&
		    console_port >= bar->address &&
		    console_port < bar->address + bar->size) {
			format(why, size,
			       "it holds the hypervisor's console UART (I/O port "
			       "0x%x)",
			       console_port);
			return why;
		}
		if (!is_memory_bar(bar))
			continue;
		if (!bar->address) {
			format(why, size,
			       "its BAR%u has no address (the firmware left it "
			       "unassigned)",
			       b);
			return why;
		}
		bar_pages(bar, &base, &end);
		const struct pci_function *n = page_neighbour(f, base, end);

		if (n) {
			pci_address_text(n->address, other);
			format(why, size,
			       "its BAR%u shares a page with a BAR of %s, so it "
			       "cannot be mapped alone",
			       b, other);
			return why;
		}
		if (base < APIC_PAGES_END && APIC_PAGES_BASE < end) {
			format(why, size,
			       "its BAR%u lies in the APIC range 0xfec00000-"
			       "0xfee00fff",
			       b);
			return why;
		}
	}
	const struct pci_function *bridge =
		upstream_bridge(f->address.segment, f->address.bus);

	if (bridge && (!bridge->express.offset ||
		       bridge->express.port_type == EXPRESS_TO_PCI_BRIDGE)) {
		pci_address_text(bridge->address, other);
		format(why, size,
		       "it sits behind the PCI bridge %s, whose devices all DMA "
		       "with one requester id",
		       other);
		return why;
	}
	struct iommu_device d = { f->address.segment, f->address.bus,
				  f->address.device, f->address.function };

	if (!iommu_covers(&d, why, size))
		return why;
	return NULL;
}

static void log_iommu_line(const char *text)
{
	log_line("IOMMU: %s", text);
}

bool passthrough_init(const struct bootinfo *info, uint32_t fault_apic_id,
		      char error[PASSTHROUGH_ERROR_MAX])
{
	const struct acpi_memory memory = { acpi_identity_map, NULL };

	passthrough_msi_init();
	struct acpi_table dmar = { 0 }, ivrs = { 0 };
	char why[IOMMU_ERROR_MAX];
	uint32_t wanted = 0;

	tsc_hz = info->tsc_hz;
	for (uint32_t i = 0; i < info->config.partition_count; i++)
		wanted += info->config.partitions[i].pci_device_count;
	struct iommu_tables tables = { 0 };

	if (info->acpi_rsdp &&
	    acpi_find_table(&memory, info->acpi_rsdp, "DMAR", 0, &dmar)) {
		tables.dmar = dmar.data;
		tables.dmar_length = dmar.length;
	}
	if (info->acpi_rsdp &&
	    acpi_find_table(&memory, info->acpi_rsdp, "IVRS", 0, &ivrs)) {
		tables.ivrs = ivrs.data;
		tables.ivrs_length = ivrs.length;
	}
	if (!iommu_init(&tables, fault_apic_id, bridge_buses, NULL, why,
			sizeof(why))) {
		if (wanted) {
			format(error, PASSTHROUGH_ERROR_MAX,
			       "devices are given to partitions, but the IOMMU "
			       "cannot be used: %s",
			       why);
			return false;
		}
		log_line("IOMMU: not used: %s", why);
	} else if (iommu_present()) {
		iommu_describe(log_iommu_line);
	} else {
		log_line("IOMMU: none (no ACPI DMAR or IVRS table): no device "
			 "can be given to a partition");
	}
	for (uint32_t i = 0; wanted && !iommu_present() &&
			     i < info->config.partition_count;
	     i++) {
		const struct config_partition *config =
			&info->config.partitions[i];

		if (config->pci_device_count) {
			format(error, PASSTHROUGH_ERROR_MAX,
			       "partition %s is given PCI devices, but the "
			       "machine has no IOMMU (no ACPI DMAR or IVRS "
			       "table), so their DMA could reach any memory",
			       config->name);
			return false;
		}
	}
	for (uint32_t i = 0; i < info->config.partition_count; i++) {
		const struct config_partition *config =
			&info->config.partitions[i];
		struct owned *o = &owned[i];

		for (uint32_t k = 0; k < config->pci_device_count; k++) {
			const struct config_pci_address *a =
				&config->pci_devices[k];
			struct pci_address address = { a->segment, a->bus,
						       a->device, a->function };
			const struct pci_function *f = pci_find(address);
			char text[PCI_ADDRESS_TEXT];
			const char *reason;

			pci_address_text(address, text);
			if (!f) {
				format(error, PASSTHROUGH_ERROR_MAX,
				       "partition %s: PCI device %s is not on "
				       "this machine",
				       config->name, text);
				return false;
			}
			reason = unfit(f, info->config.console_uart, why,
				       sizeof(why));
			if (reason) {
				format(error, PASSTHROUGH_ERROR_MAX,
				       "partition %s: PCI device %s cannot be given: %s",
				       config->name, text, reason);
				return false;
			}
			o->devices[o->count++] = (struct owned_device){
				f,
				{ a->segment, a->bus, a->device, a->function },
				false
			};
		}
	}
	active = iommu_present() && wanted;
	return passthrough_intx_init(info, error);
}

/* The pages of f's BAR b that hold its MSI-X table or pending-bit array,
 * in order and merged: how many (0-2). None where MSI cannot be routed
 * (then the partition sees no MSI-X). */
static unsigned msix_pages(const struct pci_function *f, unsigned b,
			   uint64_t ranges[2][2])
{
	uint64_t bar = f->bars[b].address;
	unsigned n = 0;

	if (!pci_msix_reachable(f) || !passthrough_msi_available())
		return 0;
	if (f->msix.table_bar == b) {
		ranges[n][0] = bar + f->msix.table_offset;
		ranges[n][1] = ranges[n][0] +
			       (uint64_t)f->msix.table_size * MSIX_ENTRY_BYTES;
		n++;
	}
	if (f->msix.pba_bar == b) {
		ranges[n][0] = bar + f->msix.pba_offset;
		ranges[n][1] = ranges[n][0] +
			       ((uint64_t)f->msix.table_size + 63) / 64 * 8;
		n++;
	}
	for (unsigned i = 0; i < n; i++) {
		ranges[i][0] &= ~(PAGE_SIZE - 1);
		ranges[i][1] = (ranges[i][1] + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	}
	if (n == 2 && ranges[1][0] < ranges[0][0]) {
		uint64_t first[2] = { ranges[1][0], ranges[1][1] };

		ranges[1][0] = ranges[0][0];
		ranges[1][1] = ranges[0][1];
		ranges[0][0] = first[0];
		ranges[0][1] = first[1];
	}
	if (n == 2 && ranges[1][0] <= ranges[0][1]) {
		if (ranges[1][1] > ranges[0][1])
			ranges[0][1] = ranges[1][1];
		n = 1;
	}
	return n;
}

/* Maps [base, end) of p's device k's BAR b one to one, uncached, except
 * the MSI-X pages, which become traps the hypervisor can reach itself. */
static bool map_bar(struct partition *p, const struct pci_function *f,
		    uint32_t k, unsigned b, uint64_t base, uint64_t end)
{
	uint64_t traps[2][2];
	unsigned count = msix_pages(f, b, traps);
	uint64_t at = base;

	for (unsigned i = 0; i <= count; i++) {
		uint64_t stop = i < count ? traps[i][0] : end;

		if (stop < at)
			stop = at;
		if (stop > end)
			stop = end;
		if (stop > at &&
		    !pagetable_map_range(&p->stage2, at, at, stop - at,
					 PT_READ | PT_WRITE | PT_UNCACHED))
			return false;
		if (i == count)
			break;
		uint64_t trap_end = traps[i][1] < end ? traps[i][1] : end;

		if (trap_end <= stop)
			continue;
		if (p->msix_trap_count == PARTITION_MAX_MSIX_TRAPS ||
		    !paging_map_uncached(stop, trap_end - stop))
			return false;
		p->msix_traps[p->msix_trap_count++] =
			(struct partition_msix_trap){ stop, trap_end - stop, k };
		at = trap_end;
	}
	return true;
}

bool passthrough_partition_build(struct partition *p,
				 char error[PASSTHROUGH_ERROR_MAX])
{
	struct owned *o = &owned[p->id];
	char text[PCI_ADDRESS_TEXT];

	if (!o->count)
		return true;
	if (!iommu_domain_init(&o->domain, (uint16_t)(p->id + 1), 0,
			       p->memory_base, p->memory_size,
			       &boot_page_allocator)) {
		format(error, PASSTHROUGH_ERROR_MAX,
		       "partition %s: cannot build its DMA domain",
		       p->config->name);
		return false;
	}
	for (uint32_t k = 0; k < o->count; k++) {
		const struct pci_function *f = o->devices[k].function;

		address_text(f, text);
		for (unsigned b = 0; b < f->bar_count; b++) {
			const struct pci_bar *bar = &f->bars[b];
			uint64_t base, end;

			if (bar->type == PCI_BAR_IO && bar->size) {
				const struct config_ioport_range ports = {
					(uint16_t)bar->address,
					(uint16_t)bar->size
				};

				if (p->granted_port_count ==
					    PARTITION_MAX_PORT_RANGES ||
				    p->device_port_count ==
					    PARTITION_MAX_DEVICE_PORTS) {
					format(error, PASSTHROUGH_ERROR_MAX,
					       "partition %s: too many I/O "
					       "port ranges",
					       p->config->name);
					return false;
				}
				p->granted_ports[p->granted_port_count++] =
					ports;
				p->device_ports[p->device_port_count++] = ports;
				continue;
			}
			if (!is_memory_bar(bar))
				continue;
			bar_pages(bar, &base, &end);
			if (base < p->mapped_size) {
				format(error, PASSTHROUGH_ERROR_MAX,
				       "partition %s: PCI device %s BAR%u at "
				       "0x%llx lies inside the partition's "
				       "memory and channels (up to 0x%llx)",
				       p->config->name, text, b,
				       (unsigned long long)bar->address,
				       (unsigned long long)p->mapped_size);
				return false;
			}
			if (!map_bar(p, f, k, b, base, end)) {
				format(error, PASSTHROUGH_ERROR_MAX,
				       "partition %s: cannot map BAR%u of %s",
				       p->config->name, b, text);
				return false;
			}
			if (p->device_mmio_count == PARTITION_MAX_DEVICE_MMIO) {
				format(error, PASSTHROUGH_ERROR_MAX,
				       "partition %s: too many device BARs",
				       p->config->name);
				return false;
			}
			p->device_mmio[p->device_mmio_count++] =
				(struct bootinfo_range){ base, end - base };
		}
		const struct device_reset *reset = device_reset_of(f);

		if (reset) {
			const struct pci_bar *bar = &f->bars[reset->bar];

			if (!paging_map_uncached((bar->address + reset->offset) &
							 ~(PAGE_SIZE - 1),
						 PAGE_SIZE)) {
				format(error, PASSTHROUGH_ERROR_MAX,
				       "partition %s: cannot map BAR%u of %s "
				       "for its reset",
				       p->config->name, reset->bar, text);
				return false;
			}
		}
		log_line("partition %s owns PCI device %s (%04x:%04x)%s%s%s",
			 p->config->name, text, f->vendor_id, f->device_id,
			 f->express.flr ? ", reset: function level reset" : "",
			 reset && !f->express.flr ? ", reset: " : "",
			 reset && !f->express.flr ? reset->what : "");
	}
	return true;
}

struct domain_audit {
	const struct partition *owner;
	uint64_t pages;
};

/* A leaf of a DMA domain must be the owner's RAM, one to one onto where
 * it lies, and nothing else. */
static bool audit_leaf(void *context, uint64_t guest, uint64_t host,
		       uint64_t size, uint64_t entry)
{
	struct domain_audit *audit = context;
	const struct partition *p = audit->owner;

	(void)entry;
	audit->pages += size / PAGE_SIZE;
	if (guest + size <= p->memory_size && host == p->memory_base + guest)
		return true;
	log_line("DMA domain audit: partition %s maps DMA address 0x%llx to "
		 "host 0x%llx (%llu KiB), outside its memory",
		 p->config->name, (unsigned long long)guest,
		 (unsigned long long)host, (unsigned long long)size >> 10);
	return false;
}

bool passthrough_audit(void)
{
	for (uint32_t i = 0; i < partition_count; i++) {
		const struct partition *p = partitions[i];
		struct owned *o = &owned[p->id];
		struct domain_audit audit = { p, 0 };

		if (!o->count)
			continue;
		if (!pagetable_for_each_leaf(&o->domain.table, audit_leaf,
					     &audit) ||
		    audit.pages * PAGE_SIZE != p->memory_size)
			return false;
		log_line("DMA domain of %s: its %llu MiB of memory, nothing "
			 "else mapped",
			 p->config->name,
			 (unsigned long long)p->memory_size >> 20);
	}
	return true;
}

/* The command register's decode bits for the BARs f has: the device
 * decodes them all along (the partition's own decode bits are a shadow in
 * its view: core/platform/pci_function_model.c). */
static uint32_t decode_bits(const struct pci_function *f)
{
	uint32_t bits = 0;

	for (unsigned b = 0; b < f->bar_count; b++) {
		if (f->bars[b].type == PCI_BAR_IO && f->bars[b].size)
			bits |= PCI_COMMAND_IO;
		if (is_memory_bar(&f->bars[b]))
			bits |= PCI_COMMAND_MEMORY;
	}
	return bits;
}

bool passthrough_start(struct partition *p, char error[PASSTHROUGH_ERROR_MAX])
{
	struct owned *o = &owned[p->id];

	for (uint32_t k = 0; k < o->count; k++) {
		const struct pci_function *f = o->devices[k].function;
		uint32_t command = config_read(f, PCI_COMMAND, 2);

		if ((command & decode_bits(f)) != decode_bits(f))
			config_write(f, PCI_COMMAND, 2,
				     command | decode_bits(f));
		if (!iommu_attach(&o->domain, &o->devices[k].address, error,
				  PASSTHROUGH_ERROR_MAX))
			return false;
		o->devices[k].attached = true;
	}
	return true;
}

static void wait_ms(unsigned ms)
{
	uint64_t end = rdtsc() + tsc_hz / 1000 * ms;

	while (rdtsc() < end)
		cpu_relax();
}

/* Function level reset, keeping the header the firmware programmed (the
 * BARs above all: the partition's stage-2 maps them where they are). */
static void reset_function(const struct pci_function *f)
{
	uint32_t saved[16];

	for (unsigned i = 0; i < 16; i++)
		saved[i] = config_read(f, (uint16_t)(i * 4), 4);
	config_write(f, (uint16_t)(f->express.offset + EXPRESS_DEVICE_CONTROL),
		     2,
		     config_read(f,
				 (uint16_t)(f->express.offset +
					    EXPRESS_DEVICE_CONTROL),
				 2) |
			     EXPRESS_INITIATE_FLR);
	wait_ms(FLR_WAIT_MS);
	for (unsigned i = 4; i < 16; i++)
		config_write(f, (uint16_t)(i * 4), 4, saved[i]);
	config_write(f, PCI_COMMAND, 2,
		     (saved[1] & 0xffff) & ~(uint32_t)PCI_COMMAND_MASTER);
}

/* A device without function level reset: its own software reset where
 * device_reset.c knows one (its BAR mapped for the hypervisor at boot). */
static void reset_by_register(const struct pci_function *f)
{
	const struct device_reset *r = device_reset_of(f);

	if (!r)
		return;
	uint64_t at = f->bars[r->bar].address + r->offset;

	passthrough_mmio_write(at, 4, passthrough_mmio_read(at, 4) | r->bits);
	wait_ms(r->wait_ms);
}

const struct pci_function *passthrough_function(const struct partition *p,
						uint32_t index)
{
	return passthrough_function_of(p->id, index);
}

const struct pci_function *passthrough_function_of(uint32_t partition,
						   uint32_t index)
{
	if (partition >= CONFIG_MAX_PARTITIONS ||
	    index >= owned[partition].count)
		return NULL;
	return owned[partition].devices[index].function;
}

void passthrough_stop(struct partition *p)
{
	struct owned *o = &owned[p->id];

	for (uint32_t k = 0; k < o->count; k++) {
		const struct pci_function *f = o->devices[k].function;
		uint32_t command = config_read(f, PCI_COMMAND, 2);

		config_write(f, PCI_COMMAND, 2,
			     (command & ~(uint32_t)PCI_COMMAND_MASTER) |
				     COMMAND_INTX_DISABLE);
		if (f->msi.offset) {
			uint16_t control = (uint16_t)(f->msi.offset + 2);

			config_write(f, control, 2,
				     config_read(f, control, 2) &
					     ~MSI_CONTROL_ENABLE);
		}
		if (f->msix.offset) {
			uint16_t control = (uint16_t)(f->msix.offset + 2);

			config_write(f, control, 2,
				     (config_read(f, control, 2) &
				      ~MSIX_CONTROL_ENABLE) |
					     MSIX_CONTROL_MASK_ALL);
		}
		if (f->express.offset && f->express.flr)
			reset_function(f);
		else
			reset_by_register(f);
		passthrough_msi_release(p, k);
		iommu_block(&o->domain, &o->devices[k].address);
		o->devices[k].attached = false;
	}
	passthrough_intx_release(p);
}

void passthrough_usage(struct passthrough_usage *usage)
{
	*usage = (struct passthrough_usage){
		.msi_routes = passthrough_msi_routes(),
		.intx_routes = passthrough_intx_routes(),
	};
	for (uint32_t i = 0; i < CONFIG_MAX_PARTITIONS; i++) {
		usage->functions += owned[i].count;
		usage->domains += owned[i].count > 0;
		for (uint32_t k = 0; k < owned[i].count; k++)
			usage->attached += owned[i].devices[k].attached;
	}
}

/* The partition that owns the device, or NULL. */
static struct partition *owner_of(const struct iommu_device *d)
{
	for (uint32_t i = 0; i < partition_count; i++)
		for (uint32_t k = 0; k < owned[i].count; k++) {
			const struct iommu_device *a = &owned[i].devices[k].address;

			if (a->segment == d->segment && a->bus == d->bus &&
			    a->device == d->device && a->function == d->function)
				return partitions[i];
		}
	return NULL;
}

static void report_fault(void *context, const struct iommu_fault *fault)
{
	void (*stop)(struct partition *, const char *) =
		*(void (**)(struct partition *, const char *))context;
	struct partition *p = owner_of(&fault->device);
	char text[PCI_ADDRESS_TEXT], reason[160];
	uint32_t *logs = p ? &owned[p->id].fault_logs : &unowned_fault_logs;

	pci_address_text((struct pci_address){ fault->device.segment,
					       fault->device.bus,
					       fault->device.device,
					       fault->device.function },
			 text);
	format(reason, sizeof(reason),
	       "DMA fault: device %s %s 0x%llx: %s (reason 0x%x)", text,
	       fault->interrupt ? "interrupt request to"
	       : fault->write	? "write to"
				: "read from",
	       (unsigned long long)fault->address, fault->reason_text,
	       fault->reason);
	if (*logs < FAULT_LOG_LIMIT) {
		(*logs)++;
		log_line("%s (%s%s)", reason, p ? "partition " : "no partition",
			 p ? p->config->name : "");
	}
	if (p)
		stop(p, reason);
}

void passthrough_poll_faults(void (*stop)(struct partition *p,
					  const char *reason))
{
	iommu_poll_faults(report_fault, &stop);
}

bool passthrough_active(void)
{
	return active;
}
