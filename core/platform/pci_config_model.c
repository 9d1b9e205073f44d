/* SPDX-License-Identifier: MIT */
/* A partition's PCI configuration mechanism 1; see pci_config_model.h. */
#include "pci_config_model.h"

#include <stddef.h>

#define ADDRESS_ENABLE (1u << 31)
#define HOST_BRIDGE_CLASS 0x06000000u /* base class 06, subclass 00 */

static uint32_t size_mask(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

struct pci_view_function *pci_view_find(struct pci_config_view *view,
					uint8_t bus, uint8_t device,
					uint8_t function)
{
	for (uint32_t i = 0; i < view->count && i < PCI_VIEW_MAX_FUNCTIONS;
	     i++) {
		struct pci_view_function *f = &view->functions[i];

		if (f->bus == bus && f->device == device &&
		    f->function == function)
			return f;
	}
	return NULL;
}

void pci_view_reset(struct pci_config_view *view)
{
	view->address = 0;
	for (uint32_t i = 0; i < view->count && i < PCI_VIEW_MAX_FUNCTIONS;
	     i++)
		pci_view_function_reset(&view->functions[i]);
}

static bool is_host_bridge(const struct pci_config_view *view, uint8_t bus,
			   uint8_t device, uint8_t function)
{
	return view->count && !bus && !device && !function;
}

/* The host bridge's header: identity and class; everything else 0. */
static uint32_t host_bridge_read(unsigned offset)
{
	switch (offset) {
	case 0x00:
		return PCI_VIEW_HOST_BRIDGE_ID;
	case 0x08:
		return HOST_BRIDGE_CLASS;
	default:
		return 0;
	}
}

uint32_t pci_view_config_read(struct pci_config_view *view,
			      const struct pci_config_hardware *hardware,
			      uint8_t bus, uint8_t device, uint8_t function,
			      unsigned offset, unsigned size)
{
	struct pci_view_function *f = pci_view_find(view, bus, device, function);

	if (f)
		return pci_view_function_read(f, hardware, offset, size);
	if (is_host_bridge(view, bus, device, function))
		return host_bridge_read(offset & ~3u) >> (8 * (offset & 3)) &
		       size_mask(size);
	return size_mask(size);
}

enum pci_view_write
pci_view_config_write(struct pci_config_view *view,
		      const struct pci_config_hardware *hardware, uint8_t bus,
		      uint8_t device, uint8_t function, unsigned offset,
		      unsigned size, uint32_t value,
		      struct pci_view_function **changed)
{
	struct pci_view_function *f = pci_view_find(view, bus, device, function);

	*changed = f;
	if (f)
		return pci_view_function_write(f, hardware, offset, size, value);
	if (is_host_bridge(view, bus, device, function))
		return PCI_VIEW_WRITTEN; /* nothing to set in it */
	return PCI_VIEW_FOREIGN;
}

uint32_t pci_view_read(struct pci_config_view *view,
		       const struct pci_config_hardware *hardware,
		       uint16_t port, unsigned size)
{
	uint32_t a = view->address;

	if (port == PCI_CONFIG_ADDRESS_PORT)
		return size == 4 ? a : size_mask(size);
	unsigned byte = (unsigned)(port - PCI_CONFIG_DATA_PORT);

	if (port < PCI_CONFIG_DATA_PORT || byte + size > 4 ||
	    !(a & ADDRESS_ENABLE))
		return size_mask(size);
	return pci_view_config_read(view, hardware, (uint8_t)(a >> 16),
				    (a >> 11) & 0x1f, (a >> 8) & 7,
				    (a & 0xfc) + byte, size);
}

enum pci_view_write pci_view_write(struct pci_config_view *view,
				   const struct pci_config_hardware *hardware,
				   uint16_t port, unsigned size,
				   uint32_t value, unsigned *offset,
				   struct pci_view_function **changed)
{
	uint32_t a = view->address;

	*changed = NULL;
	if (port == PCI_CONFIG_ADDRESS_PORT) {
		if (size != 4)
			return PCI_VIEW_IGNORED;
		view->address = value;
		return PCI_VIEW_WRITTEN;
	}
	unsigned byte = (unsigned)(port - PCI_CONFIG_DATA_PORT);

	if (port < PCI_CONFIG_DATA_PORT || byte + size > 4 ||
	    !(a & ADDRESS_ENABLE))
		return PCI_VIEW_IGNORED;
	*offset = (a & 0xfc) + byte;
	return pci_view_config_write(view, hardware, (uint8_t)(a >> 16),
				     (a >> 11) & 0x1f, (a >> 8) & 7, *offset,
				     size, value, changed);
}
