/* SPDX-License-Identifier: MIT */
/* One owned PCI function as its partition sees it; see
 * pci_function_model.h. */
#include "pci_function_model.h"

#include <stddef.h>
#include <string.h>

#define HEADER_ID 0x00
#define HEADER_COMMAND 0x04
#define HEADER_CLASS 0x08
#define HEADER_CACHE_LINE 0x0c
#define HEADER_BAR0 0x10
#define HEADER_BAR_END 0x28
#define HEADER_SUBSYSTEM 0x2c
#define HEADER_ROM 0x30
#define HEADER_CAPABILITIES 0x34
#define HEADER_INTERRUPT 0x3c
#define HEADER_END 0x40
#define CONFIG_SPACE 0x100
#define STATUS_CAPABILITY_LIST (1u << 20) /* in the command dword */
#define CAPABILITY_WALK_LIMIT 48

#define MSI_CONTROL_ENABLE 0x0001u
#define MSI_CONTROL_64BIT 0x0080u
#define MSI_CONTROL_MASKABLE 0x0100u
#define EXPRESS_DEVICE_CONTROL 0x08
#define EXPRESS_VERSION_MASK 0x000f0000u /* in the header dword */

static uint32_t size_mask(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static uint8_t msi_length(uint16_t control)
{
	uint8_t length = (control & MSI_CONTROL_64BIT) ? 14 : 10;

	return (uint8_t)(length + ((control & MSI_CONTROL_MASKABLE) ? 10 : 0));
}

void pci_view_function_reset(struct pci_view_function *f)
{
	f->sizing = 0;
	f->command_decode = 0;
	f->interrupt_line = 0;
	f->msi.enabled = false;
	f->msi.address = 0;
	f->msi.address_high = 0;
	f->msi.data = 0;
	msix_view_reset(&f->msix);
}

static void add_capability(struct pci_view_function *f, uint8_t offset,
			   uint8_t id, uint8_t length)
{
	if (f->capability_count == PCI_VIEW_MAX_CAPABILITIES)
		return;
	if (offset + length > CONFIG_SPACE)
		length = (uint8_t)(CONFIG_SPACE - offset);
	f->capabilities[f->capability_count++] =
		(struct pci_view_capability){ offset, id, length };
}

void pci_view_function_init(struct pci_view_function *f, uint8_t bus,
			    uint8_t device, uint8_t function,
			    const struct pci_view_bar bars[PCI_VIEW_BARS],
			    const uint32_t config[64], bool show_msi,
			    unsigned msix_vectors)
{
	memset(f, 0, sizeof(*f));
	f->bus = bus;
	f->device = device;
	f->function = function;
	memcpy(f->bars, bars, sizeof(f->bars));
	unsigned offset = (config[HEADER_COMMAND / 4] & STATUS_CAPABILITY_LIST)
				  ? config[HEADER_CAPABILITIES / 4] & 0xfc
				  : 0;
	uint64_t seen[4] = { 0 }; /* one bit per dword of the space */

	for (unsigned walked = 0; offset >= HEADER_END &&
				  walked < CAPABILITY_WALK_LIMIT;
	     walked++) {
		unsigned dword = offset / 4;

		if (seen[dword / 64] >> (dword % 64) & 1)
			break;
		seen[dword / 64] |= 1ull << (dword % 64);
		uint32_t header = config[dword];
		uint8_t id = (uint8_t)header;

		if (id == PCI_CAPABILITY_EXPRESS)
			add_capability(f, (uint8_t)offset, id,
				       (header & EXPRESS_VERSION_MASK) >=
						       (2u << 16)
					       ? 0x3c
					       : 0x24);
		if (id == PCI_CAPABILITY_MSIX && msix_vectors && !f->msix.offset &&
		    offset + PCI_VIEW_MSIX_LENGTH <= CONFIG_SPACE) {
			add_capability(f, (uint8_t)offset, id,
				       PCI_VIEW_MSIX_LENGTH);
			msix_view_init(&f->msix, (uint8_t)offset,
				       &config[dword], msix_vectors);
		}
		if (id == PCI_CAPABILITY_MSI && show_msi && !f->msi.offset) {
			uint16_t control = (uint16_t)(header >> 16);

			add_capability(f, (uint8_t)offset, id,
				       msi_length(control));
			f->msi.offset = (uint8_t)offset;
			f->msi.wide = control & MSI_CONTROL_64BIT;
		}
		offset = (header >> 8) & 0xfc;
	}
	pci_view_function_reset(f);
}

/* The shown capability holding the dword at offset, or NULL. Where two
 * would overlap (a broken device), the one starting nearest wins. */
static const struct pci_view_capability *
capability_at(const struct pci_view_function *f, unsigned offset)
{
	const struct pci_view_capability *best = NULL;

	for (unsigned i = 0; i < f->capability_count; i++) {
		const struct pci_view_capability *c = &f->capabilities[i];

		if (offset >= c->offset && offset < c->offset + c->length &&
		    (!best || c->offset > best->offset))
			best = c;
	}
	return best;
}

static uint8_t next_capability(const struct pci_view_function *f,
			       const struct pci_view_capability *c)
{
	size_t i = (size_t)(c - f->capabilities) + 1;

	return i < f->capability_count ? f->capabilities[i].offset : 0;
}

/* The BAR dword as the partition reads it: its host address and flags,
 * or, after all ones were written, the size mask. */
static uint32_t bar_read(const struct pci_view_function *f, unsigned slot)
{
	const struct pci_view_bar *bar = &f->bars[slot];
	bool sizing = f->sizing >> slot & 1;

	switch (bar->type) {
	case PCI_VIEW_BAR_IO:
		return ((sizing ? (uint32_t)~(bar->size - 1)
				: (uint32_t)bar->address) &
			~3u) |
		       1u;
	case PCI_VIEW_BAR_MEMORY32:
	case PCI_VIEW_BAR_MEMORY64:
		return ((sizing ? (uint32_t)~(bar->size - 1)
				: (uint32_t)bar->address) &
			~0xfu) |
		       (bar->flags & 0xfu);
	case PCI_VIEW_BAR_UPPER:
		if (!slot)
			return 0;
		bar = &f->bars[slot - 1];
		return sizing ? (uint32_t)(~(bar->size - 1) >> 32)
			      : (uint32_t)(bar->address >> 32);
	default:
		return 0;
	}
}

static uint32_t bar_address_bits(const struct pci_view_bar *bar)
{
	switch (bar->type) {
	case PCI_VIEW_BAR_IO:
		return ~3u;
	case PCI_VIEW_BAR_MEMORY32:
	case PCI_VIEW_BAR_MEMORY64:
		return ~0xfu;
	default:
		return ~0u;
	}
}

static uint32_t msi_read(const struct pci_view_function *f,
			 const struct pci_view_capability *c, unsigned offset)
{
	const struct pci_view_msi *msi = &f->msi;
	unsigned at = offset - c->offset;

	if (at == 0)
		return PCI_CAPABILITY_MSI |
		       (uint32_t)next_capability(f, c) << 8 |
		       (uint32_t)((msi->enabled ? MSI_CONTROL_ENABLE : 0) |
				  (msi->wide ? MSI_CONTROL_64BIT : 0))
			       << 16;
	if (at == 4)
		return msi->address;
	if (msi->wide && at == 8)
		return msi->address_high;
	if (at == (msi->wide ? 12u : 8u))
		return msi->data;
	return 0; /* the mask and pending bits: not offered */
}

static uint32_t dword_read(const struct pci_view_function *f,
			   const struct pci_config_hardware *hw,
			   unsigned offset)
{
	if (offset >= CONFIG_SPACE)
		return 0;
	if (offset >= HEADER_BAR0 && offset < HEADER_BAR_END)
		return bar_read(f, (offset - HEADER_BAR0) / 4);
	switch (offset) {
	case HEADER_ID:
	case HEADER_CLASS:
	case HEADER_CACHE_LINE:
	case HEADER_SUBSYSTEM:
		return hw->read(hw->context, f, offset);
	case HEADER_COMMAND: {
		uint32_t value = hw->read(hw->context, f, offset) &
				 ~(STATUS_CAPABILITY_LIST | PCI_VIEW_COMMAND_DECODE);

		return value | f->command_decode |
		       (f->capability_count ? STATUS_CAPABILITY_LIST : 0);
	}
	case HEADER_CAPABILITIES:
		return f->capability_count ? f->capabilities[0].offset : 0;
	case HEADER_INTERRUPT:
		return (hw->read(hw->context, f, offset) & ~0xffu) |
		       f->interrupt_line;
	default:
		break;
	}
	if (offset < HEADER_END)
		return 0; /* CardBus CIS, ROM, reserved */
	const struct pci_view_capability *c = capability_at(f, offset);

	if (!c)
		return 0;
	if (c->id == PCI_CAPABILITY_MSI)
		return msi_read(f, c, offset);
	if (c->id == PCI_CAPABILITY_MSIX)
		return msix_capability_read(&f->msix, offset - c->offset,
					    next_capability(f, c));
	uint32_t value = hw->read(hw->context, f, offset);

	if (offset == c->offset)
		value = (value & ~0xff00u) |
			(uint32_t)next_capability(f, c) << 8;
	return value;
}

uint32_t pci_view_function_read(const struct pci_view_function *f,
				const struct pci_config_hardware *hardware,
				unsigned offset, unsigned size)
{
	return dword_read(f, hardware, offset & ~3u) >> (8 * (offset & 3)) &
	       size_mask(size);
}

static enum pci_view_write bar_write(struct pci_view_function *f,
				     unsigned slot, uint32_t mask,
				     uint32_t value)
{
	const struct pci_view_bar *bar = &f->bars[slot];

	if (bar->type == PCI_VIEW_BAR_NONE)
		return PCI_VIEW_WRITTEN; /* an empty slot reads 0 */
	uint32_t wanted = (bar_read(f, slot) & ~mask) | (value & mask);

	f->sizing &= (uint8_t)~(1u << slot);
	if (wanted == 0xffffffffu) {
		f->sizing |= (uint8_t)(1u << slot);
		return PCI_VIEW_WRITTEN;
	}
	/* Writing back its address (after sizing) is fine; moving it is
	 * not: the stage-2 tables map it where it is. */
	return ((wanted ^ bar_read(f, slot)) & bar_address_bits(bar))
		       ? PCI_VIEW_DROPPED
		       : PCI_VIEW_WRITTEN;
}

static enum pci_view_write msi_write(struct pci_view_function *f,
				     const struct pci_view_capability *c,
				     unsigned offset, uint32_t mask,
				     uint32_t value)
{
	struct pci_view_msi *msi = &f->msi;
	struct pci_view_msi before = *msi;
	unsigned at = offset - c->offset;
	uint32_t wanted = (msi_read(f, c, offset) & ~mask) | (value & mask);

	if (at == 0)
		msi->enabled = wanted >> 16 & MSI_CONTROL_ENABLE;
	else if (at == 4)
		msi->address = wanted & ~3u;
	else if (msi->wide && at == 8)
		msi->address_high = wanted;
	else if (at == (msi->wide ? 12u : 8u))
		msi->data = (uint16_t)wanted;
	else
		return PCI_VIEW_DROPPED;
	return memcmp(&before, msi, sizeof(before)) ? PCI_VIEW_MSI_CHANGED
						    : PCI_VIEW_WRITTEN;
}

/* The dword of which the bits in allowed take value, the rest the
 * hardware's. */
static void hardware_merge(const struct pci_view_function *f,
			   const struct pci_config_hardware *hw,
			   unsigned offset, uint32_t keep, uint32_t allowed,
			   uint32_t value)
{
	uint32_t old = hw->read(hw->context, f, offset) & keep;

	hw->write(hw->context, f, offset,
		  (old & ~allowed) | (value & allowed));
}

static enum pci_view_write express_write(struct pci_view_function *f,
					 const struct pci_config_hardware *hw,
					 const struct pci_view_capability *c,
					 unsigned offset, uint32_t mask,
					 uint32_t value)
{
	if (offset != c->offset + (unsigned)EXPRESS_DEVICE_CONTROL)
		return PCI_VIEW_DROPPED;
	uint32_t old = hw->read(hw->context, f, offset) & 0xffff;
	/* Device status (the upper half) is write-1-to-clear: the partition
	 * may clear its own device's error bits. */
	uint32_t allowed = mask & (PCI_VIEW_EXPRESS_CONTROL_BITS | 0xffff0000u);

	hw->write(hw->context, f, offset,
		  (old & ~allowed) | (value & allowed));
	return ((old ^ value) & mask & 0xffff & ~allowed) ? PCI_VIEW_DROPPED
							 : PCI_VIEW_WRITTEN;
}

enum pci_view_write
pci_view_function_write(struct pci_view_function *f,
			const struct pci_config_hardware *hardware,
			unsigned offset, unsigned size, uint32_t value)
{
	unsigned dword = offset & ~3u, shift = 8 * (offset & 3);
	uint32_t mask = size_mask(size) << shift;

	value <<= shift;
	if (dword >= CONFIG_SPACE)
		return PCI_VIEW_DROPPED;
	if (dword >= HEADER_BAR0 && dword < HEADER_BAR_END)
		return bar_write(f, (dword - HEADER_BAR0) / 4, mask, value);
	switch (dword) {
	case HEADER_COMMAND:
		/* Only the allowed bits change; the status half is written
		 * as 0, which clears nothing (write-1-to-clear). */
		if (mask & PCI_VIEW_COMMAND_DECODE)
			f->command_decode =
				(uint8_t)((f->command_decode &
					   ~(mask & PCI_VIEW_COMMAND_DECODE)) |
					  (value & mask & PCI_VIEW_COMMAND_DECODE));
		if (mask & (PCI_VIEW_COMMAND_BITS & ~PCI_VIEW_COMMAND_DECODE))
			hardware_merge(f, hardware, dword, 0xffff,
				       mask & PCI_VIEW_COMMAND_BITS &
					       ~PCI_VIEW_COMMAND_DECODE,
				       value);
		return PCI_VIEW_WRITTEN;
	case HEADER_CACHE_LINE:
		/* Cache line size and latency timer; never BIST. */
		hardware_merge(f, hardware, dword, 0xffff, mask & 0xffff,
			       value);
		return (mask & 0xffff0000u) ? PCI_VIEW_DROPPED
					    : PCI_VIEW_WRITTEN;
	case HEADER_ROM:
		return PCI_VIEW_WRITTEN; /* no ROM: sizing reads 0 */
	case HEADER_INTERRUPT:
		if (mask & 0xff)
			f->interrupt_line = (uint8_t)value;
		return PCI_VIEW_WRITTEN;
	default:
		break;
	}
	if (dword < HEADER_END)
		return PCI_VIEW_DROPPED; /* identity, class, pointers */
	const struct pci_view_capability *c = capability_at(f, dword);

	if (!c)
		return PCI_VIEW_DROPPED;
	if (c->id == PCI_CAPABILITY_MSI)
		return msi_write(f, c, dword, mask, value);
	if (c->id == PCI_CAPABILITY_MSIX) {
		if (dword != c->offset)
			return PCI_VIEW_DROPPED;
		return msix_capability_write(&f->msix, 0, mask, value)
			       ? PCI_VIEW_MSI_CHANGED
			       : PCI_VIEW_WRITTEN;
	}
	return express_write(f, hardware, c, dword, mask, value);
}
