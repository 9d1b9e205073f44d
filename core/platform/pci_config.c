/* SPDX-License-Identifier: MIT */
/*
 * The wiring of a partition's PCI configuration view
 * (pci_config_model.c) to its port exits and to the host's configuration
 * space (drivers/pci/). The view's address register is the partition's
 * (under its lock, as one register serves all its vCPUs); a dropped
 * write is logged a few times per partition.
 */
#include "pci_config.h"

#include "arch/x86_64/spinlock.h"
#include "core/console/console.h"
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

bool pci_config_port(struct vcpu *vcpu, const struct vcpu_exit *exit,
		     uint32_t *value)
{
	struct partition *p = vcpu->partition;
	uint16_t port = exit->io.port;
	unsigned offset = 0;

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
			       (uint32_t)vcpu->registers.rax, &offset);
	bool log = result == PCI_VIEW_DROPPED &&
		   p->pci_dropped_logs < DROPPED_LOG_LIMIT;

	if (log)
		p->pci_dropped_logs++;
	spin_unlock(&p->lock);
	if (log)
		log_line("partition %s: PCI configuration write to "
			 "%02x:%02x.%x offset 0x%x dropped (only the command "
			 "register may be written)",
			 p->config->name, address >> 16 & 0xff,
			 address >> 11 & 0x1f, address >> 8 & 7, offset);
	return true;
}
