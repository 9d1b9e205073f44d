/* SPDX-License-Identifier: MIT */
/* A partition's PCI configuration mechanism 1; see pci_config_model.h. */
#include "pci_config_model.h"

#include <stddef.h>

#define ADDRESS_ENABLE (1u << 31)
#define HEADER_COMMAND 0x04
#define HEADER_ROM 0x30
#define HEADER_CAPABILITIES 0x34
#define HEADER_END 0x40
#define STATUS_CAPABILITY_LIST (1u << 20) /* in the command dword */

static uint32_t size_mask(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* The owned function the address register selects, or NULL. */
static const struct pci_view_function *selected(const struct pci_config_view *v)
{
	uint32_t a = v->address;

	if (!(a & ADDRESS_ENABLE))
		return NULL;
	for (uint32_t i = 0; i < v->count && i < PCI_VIEW_MAX_FUNCTIONS; i++) {
		const struct pci_view_function *f = &v->functions[i];

		if (f->bus == (uint8_t)(a >> 16) &&
		    f->device == ((a >> 11) & 0x1f) &&
		    f->function == ((a >> 8) & 7))
			return f;
	}
	return NULL;
}

/* The dword the partition sees at offset of an owned function. */
static uint32_t filtered(const struct pci_config_hardware *hw,
			 const struct pci_view_function *f, unsigned offset)
{
	if (offset >= HEADER_END || offset == HEADER_ROM ||
	    offset == HEADER_CAPABILITIES)
		return 0;
	uint32_t value = hw->read(hw->context, f, offset);

	if (offset == HEADER_COMMAND)
		value &= ~STATUS_CAPABILITY_LIST;
	return value;
}

uint32_t pci_view_read(struct pci_config_view *view,
		       const struct pci_config_hardware *hardware,
		       uint16_t port, unsigned size)
{
	if (port == PCI_CONFIG_ADDRESS_PORT)
		return size == 4 ? view->address : size_mask(size);
	unsigned byte = (unsigned)(port - PCI_CONFIG_DATA_PORT);
	const struct pci_view_function *f = selected(view);

	if (port < PCI_CONFIG_DATA_PORT || byte + size > 4 || !f)
		return size_mask(size);
	unsigned offset = view->address & 0xfc;

	return filtered(hardware, f, offset) >> (8 * byte) & size_mask(size);
}

enum pci_view_write pci_view_write(struct pci_config_view *view,
				   const struct pci_config_hardware *hardware,
				   uint16_t port, unsigned size,
				   uint32_t value, unsigned *offset)
{
	if (port == PCI_CONFIG_ADDRESS_PORT) {
		if (size != 4)
			return PCI_VIEW_IGNORED;
		view->address = value;
		return PCI_VIEW_WRITTEN;
	}
	unsigned byte = (unsigned)(port - PCI_CONFIG_DATA_PORT);
	const struct pci_view_function *f = selected(view);

	if (port < PCI_CONFIG_DATA_PORT || byte + size > 4 || !f)
		return PCI_VIEW_IGNORED;
	*offset = (view->address & 0xfc) + byte;
	if ((view->address & 0xfc) != HEADER_COMMAND || byte >= 2)
		return PCI_VIEW_DROPPED;
	/* The command register: only the allowed bits change. The status
	 * half is written as 0, which clears nothing (its bits are
	 * write-1-to-clear). */
	uint32_t old = hardware->read(hardware->context, f, HEADER_COMMAND);
	uint32_t mask = size_mask(size) << (8 * byte) & PCI_VIEW_COMMAND_BITS;
	uint32_t wanted = value << (8 * byte);
	uint32_t command = ((old & ~mask) | (wanted & mask)) & 0xffff;

	hardware->write(hardware->context, f, HEADER_COMMAND, command);
	return PCI_VIEW_WRITTEN;
}
