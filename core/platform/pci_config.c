/* SPDX-License-Identifier: MIT */
/*
 * The wiring of a partition's PCI configuration view (pci_config_model.c,
 * pci_function_model.c) to its port exits and its ECAM window, to the
 * host's configuration space (drivers/pci/) and to the routing of its
 * devices' MSIs (device_msi.c). The ECAM window covers bus 0 (1 MiB) at
 * the host's own ECAM address for bus 0, which the firmware keeps free of
 * BARs, when that lies above the partition's RAM and channels; it is not
 * mapped in the stage-2 tables, so each access exits and is emulated. The view's address register is the partition's (under
 * its lock, as one register serves all its vCPUs); a dropped write is
 * logged a few times per partition, a write to a function it does not own
 * once.
 */
#include "pci_config.h"

#include "arch/x86_64/spinlock.h"
#include "core/console/console.h"
#include "core/passthrough/passthrough.h"
#include "core/vcpu/guest_instruction.h"
#include "device_intx.h"
#include "device_msi.h"
#include "drivers/pci/pci.h"
#include "drivers/pci/pci_config.h"

#define DROPPED_LOG_LIMIT 8

static struct pci_address host_address(const struct pci_view_function *f)
{
	return (struct pci_address){ 0, f->bus, f->device, f->function };
}

static uint32_t host_read(void *context, const struct pci_view_function *f,
			  unsigned offset)
{
	(void)context;
	return pci_config_read(host_address(f), (uint16_t)offset, 4);
}

static void host_write(void *context, const struct pci_view_function *f,
		       unsigned offset, uint32_t value)
{
	(void)context;
	pci_config_write(host_address(f), (uint16_t)offset, 4, value);
}

static const struct pci_config_hardware hardware = { host_read, host_write,
						     NULL };

static uint8_t bar_type(const struct pci_function *f, unsigned slot)
{
	if (slot && f->bars[slot - 1].type == PCI_BAR_MEMORY64 &&
	    f->bars[slot - 1].size)
		return PCI_VIEW_BAR_UPPER;
	const struct pci_bar *bar = &f->bars[slot];

	if (!bar->size)
		return PCI_VIEW_BAR_NONE;
	switch (bar->type) {
	case PCI_BAR_IO:
		return PCI_VIEW_BAR_IO;
	case PCI_BAR_MEMORY32:
		return PCI_VIEW_BAR_MEMORY32;
	case PCI_BAR_MEMORY64:
		return PCI_VIEW_BAR_MEMORY64;
	default:
		return PCI_VIEW_BAR_NONE;
	}
}

void pci_config_build(struct partition *p)
{
	const struct pci_function *f;

	p->pci_view.count = 0;
	for (uint32_t k = 0; (f = passthrough_function(p, k)) != NULL; k++) {
		struct pci_view_bar bars[PCI_VIEW_BARS] = { 0 };
		uint32_t config[64];

		if (f->address.segment ||
		    p->pci_view.count == PCI_VIEW_MAX_FUNCTIONS)
			continue; /* mechanism 1 reaches segment 0 only */
		for (unsigned slot = 0; slot < PCI_VIEW_BARS && slot < f->bar_count;
		     slot++) {
			const struct pci_bar *bar = &f->bars[slot];

			bars[slot] = (struct pci_view_bar){
				.type = bar_type(f, slot),
				.flags = (uint8_t)((bar->type == PCI_BAR_MEMORY64
							    ? 0x4
							    : 0) |
						   (bar->prefetchable ? 0x8 : 0)),
				.address = bar->address,
				.size = bar->size,
			};
		}
		for (unsigned i = 0; i < 64; i++)
			config[i] = pci_config_read(f->address,
						    (uint16_t)(i * 4), 4);
		struct pci_view_function *view =
			&p->pci_view.functions[p->pci_view.count++];

		/* MSI and MSI-X share the function's vectors (one of them
		 * is on at a time); MSI-X only where its table is reachable. */
		bool msix = pci_msix_reachable(f);
		unsigned wanted = msix ? f->msix.table_size
				       : f->msi.offset ? 1 : 0;
		unsigned vectors = device_msi_reserve(p, k, wanted);

		if (passthrough_msi_available() && vectors < wanted &&
		    vectors < PCI_VIEW_MSIX_VECTORS)
			log_line("partition %s: PCI device %02x:%02x.%x gets %u "
				 "of its %u interrupt vectors (%u host vectors "
				 "serve all devices)",
				 p->config->name, f->address.bus,
				 f->address.device, f->address.function,
				 vectors, wanted, DEVICE_MSI_VECTORS);
		pci_view_function_init(view, f->address.bus, f->address.device,
				       f->address.function, bars, config,
				       vectors > 0, msix ? vectors : 0);
		view->owner_index = (uint8_t)k;
		if (!device_intx_reserve(p, k))
			log_line("partition %s: PCI device %02x:%02x.%x: its "
				 "INTx is not delivered (%u IOAPIC inputs "
				 "serve all devices)",
				 p->config->name, f->address.bus,
				 f->address.device, f->address.function,
				 DEVICE_INTX_LINES);
	}
}

void pci_config_reset(struct partition *p)
{
	pci_view_reset(&p->pci_view);
	device_msi_reset(p);
	device_intx_reset(p);
}

static void log_write(struct partition *p, enum pci_view_write result,
		      uint32_t address, unsigned offset)
{
	unsigned bus = address >> 16 & 0xff, device = address >> 11 & 0x1f,
		 function = address >> 8 & 7;

	if (result == PCI_VIEW_FOREIGN)
		log_line("partition %s: PCI configuration write to %02x:%02x.%x "
			 "ignored: it owns no such function (logged once)",
			 p->config->name, bus, device, function);
	else
		log_line("partition %s: PCI configuration write to "
			 "%02x:%02x.%x offset 0x%x dropped (a register it may "
			 "not write)",
			 p->config->name, bus, device, function, offset);
}

/* After a write (under p's lock): the MSI routing follows, and what must
 * be logged is counted; logs after the lock. */
struct write_outcome {
	bool log;
	char refused[DEVICE_MSI_REASON_MAX];
};

static void after_write(struct partition *p, enum pci_view_write result,
			struct pci_view_function *changed,
			struct write_outcome *outcome)
{
	outcome->log = false;
	outcome->refused[0] = 0;
	if (result == PCI_VIEW_MSI_CHANGED)
		device_msi_changed(p, changed, outcome->refused);
	if (result == PCI_VIEW_DROPPED &&
	    p->pci_dropped_logs < DROPPED_LOG_LIMIT) {
		p->pci_dropped_logs++;
		outcome->log = true;
	}
	if (result == PCI_VIEW_FOREIGN && !p->pci_foreign_logged) {
		p->pci_foreign_logged = true;
		outcome->log = true;
	}
}

static void log_outcome(struct partition *p, enum pci_view_write result,
			uint32_t address, unsigned offset,
			const struct write_outcome *outcome)
{
	if (outcome->log)
		log_write(p, result, address, offset);
	if (outcome->refused[0])
		log_line("partition %s: %s", p->config->name,
			 outcome->refused);
}

bool pci_config_port(struct vcpu *vcpu, const struct vcpu_exit *exit,
		     uint32_t *value)
{
	struct partition *p = vcpu->partition;
	uint16_t port = exit->io.port;
	unsigned offset = 0;
	struct pci_view_function *changed = NULL;
	struct write_outcome outcome;

	if (port != PCI_CONFIG_ADDRESS_PORT &&
	    (port < PCI_CONFIG_DATA_PORT || port > PCI_CONFIG_DATA_PORT + 3))
		return false;
	spin_lock(&p->lock);
	if (exit->io.in) {
		*value = pci_view_read(&p->pci_view, &hardware, port,
				       exit->io.size);
		spin_unlock(&p->lock);
		return true;
	}
	uint32_t address = p->pci_view.address;
	enum pci_view_write result =
		pci_view_write(&p->pci_view, &hardware, port, exit->io.size,
			       (uint32_t)vcpu->registers.rax, &offset, &changed);

	after_write(p, result, changed, &outcome);
	spin_unlock(&p->lock);
	log_outcome(p, result, address, offset, &outcome);
	return true;
}

uint64_t pci_config_ecam_base(const struct partition *p)
{
	const struct acpi_mcfg_window *windows;
	size_t count = pci_config_windows(&windows);

	if (!p->pci_view.count)
		return 0;
	for (size_t i = 0; i < count; i++)
		if (windows[i].segment == 0 && windows[i].start_bus == 0 &&
		    windows[i].base >= p->mapped_size)
			return windows[i].base;
	return 0;
}

bool pci_config_ecam_is_window(const struct partition *p, uint64_t address)
{
	uint64_t base = p->ecam_base;

	return base && address - base < PCI_ECAM_WINDOW_SIZE;
}

/* One access to the window: bus 0's functions, a register each; an
 * access that is not 1, 2 or 4 bytes within one dword reads all ones and
 * is dropped. */
static void ecam_access(struct vcpu *vcpu, uint64_t address, bool write,
			unsigned size, uint64_t *value)
{
	struct partition *p = vcpu->partition;
	uint64_t at = address - p->ecam_base;
	uint8_t device = (uint8_t)(at >> 15 & 0x1f),
		function = (uint8_t)(at >> 12 & 7);
	unsigned offset = (unsigned)(at & 0xfff);
	struct pci_view_function *changed = NULL;
	struct write_outcome outcome;

	if (size > 4 || (size != 1 && size != 2 && size != 4) ||
	    (offset & 3) + size > 4) {
		if (!write)
			*value = ~0ull >> (64 - 8 * (size > 8 ? 8 : size));
		return;
	}
	spin_lock(&p->lock);
	if (!write) {
		*value = pci_view_config_read(&p->pci_view, &hardware, 0,
					      device, function, offset, size);
		spin_unlock(&p->lock);
		return;
	}
	enum pci_view_write result = pci_view_config_write(
		&p->pci_view, &hardware, 0, device, function, offset, size,
		(uint32_t)*value, &changed);

	after_write(p, result, changed, &outcome);
	spin_unlock(&p->lock);
	log_outcome(p, result,
		    0x80000000u | (uint32_t)device << 11 |
			    (uint32_t)function << 8,
		    offset, &outcome);
}

bool pci_config_ecam_mmio(struct vcpu *vcpu, const struct vcpu_exit *exit,
			  char *error, size_t error_size)
{
	return guest_emulate_mmio(vcpu, exit->fault.address, ecam_access,
				  error, error_size);
}
