/* SPDX-License-Identifier: MIT */
/* The MSI-X shadows of an owned function; see msix_table_model.h. */
#include "msix_table_model.h"

#include <string.h>

#define CONTROL_TABLE_SIZE 0x07ffu
#define CONTROL_FUNCTION_MASK 0x4000u
#define CONTROL_ENABLE 0x8000u
#define BIR_MASK 7u

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

void msix_view_reset(struct pci_view_msix *m)
{
	m->enabled = false;
	m->function_masked = false;
	memset(m->entries, 0, sizeof(m->entries));
	for (unsigned k = 0; k < PCI_VIEW_MSIX_VECTORS; k++)
		m->entries[k].control = MSIX_ENTRY_MASKED;
}

void msix_view_init(struct pci_view_msix *m, uint8_t offset,
		    const uint32_t capability[3], unsigned vectors)
{
	uint16_t control = (uint16_t)(capability[0] >> 16);

	memset(m, 0, sizeof(*m));
	m->offset = offset;
	m->hardware_size = (uint16_t)((control & CONTROL_TABLE_SIZE) + 1);
	m->table_bar = (uint8_t)(capability[1] & BIR_MASK);
	m->table_offset = capability[1] & ~BIR_MASK;
	m->pba_bar = (uint8_t)(capability[2] & BIR_MASK);
	m->pba_offset = capability[2] & ~BIR_MASK;
	if (vectors > PCI_VIEW_MSIX_VECTORS)
		vectors = PCI_VIEW_MSIX_VECTORS;
	if (vectors > m->hardware_size)
		vectors = m->hardware_size;
	m->size = (uint16_t)(vectors ? vectors : 1);
	msix_view_reset(m);
}

uint32_t msix_capability_read(const struct pci_view_msix *m, unsigned at,
			      uint8_t next)
{
	switch (at) {
	case 0:
		return PCI_CAPABILITY_MSIX | (uint32_t)next << 8 |
		       (uint32_t)((m->size - 1) |
				  (m->function_masked ? CONTROL_FUNCTION_MASK
						      : 0) |
				  (m->enabled ? CONTROL_ENABLE : 0))
			       << 16;
	case 4:
		return m->table_offset | m->table_bar;
	case 8:
		return m->pba_offset | m->pba_bar;
	default:
		return 0;
	}
}

bool msix_capability_write(struct pci_view_msix *m, unsigned at,
			   uint32_t mask, uint32_t value)
{
	if (at != 0 || !(mask & 0xffff0000u))
		return false;
	uint32_t control = (msix_capability_read(m, 0, 0) & ~mask) |
			   (value & mask);
	bool enabled = control >> 16 & CONTROL_ENABLE;
	bool masked = control >> 16 & CONTROL_FUNCTION_MASK;
	bool changed = enabled != m->enabled || masked != m->function_masked;

	m->enabled = enabled;
	m->function_masked = masked;
	return changed;
}

bool msix_entry_live(const struct pci_view_msix *m, unsigned entry)
{
	return entry < m->size && m->enabled && !m->function_masked &&
	       !(m->entries[entry].control & MSIX_ENTRY_MASKED);
}

/* The entry's dword at index word (0-3). */
static uint32_t entry_word(const struct msix_entry *e, unsigned word)
{
	const uint32_t words[4] = { e->address, e->address_high, e->data,
				    e->control };

	return words[word & 3];
}

uint64_t msix_table_read(const struct pci_view_msix *m, uint64_t offset,
			 unsigned size)
{
	uint64_t entry = offset / MSIX_ENTRY_SIZE;
	unsigned within = (unsigned)(offset % MSIX_ENTRY_SIZE);

	if (size > 8 || entry >= m->size ||
	    within + size > MSIX_ENTRY_SIZE)
		return 0;
	const struct msix_entry *e = &m->entries[entry];
	uint64_t low = (uint64_t)entry_word(e, within / 4 + 1) << 32 |
		       entry_word(e, within / 4);

	return low >> (8 * (within % 4)) & size_mask(size);
}

bool msix_table_write(struct pci_view_msix *m, uint64_t offset, unsigned size,
		      uint64_t value, unsigned *entry)
{
	uint64_t index = offset / MSIX_ENTRY_SIZE;
	unsigned within = (unsigned)(offset % MSIX_ENTRY_SIZE);

	if (size > 8 || index >= m->size || within + size > MSIX_ENTRY_SIZE)
		return false;
	struct msix_entry *e = &m->entries[index];
	struct msix_entry before = *e;
	uint32_t *words[4] = { &e->address, &e->address_high, &e->data,
			       &e->control };

	for (unsigned byte = 0; byte < size; byte++) {
		unsigned at = within + byte;
		uint32_t *word = words[at / 4];
		unsigned shift = 8 * (at % 4);

		*word = (*word & ~(0xffu << shift)) |
			(uint32_t)(value >> (8 * byte) & 0xff) << shift;
	}
	e->address &= ~3u;	       /* the low two bits are reserved */
	e->control &= MSIX_ENTRY_MASKED; /* the other bits are reserved */
	*entry = (unsigned)index;
	return memcmp(&before, e, sizeof(before)) != 0;
}
