/* SPDX-License-Identifier: MIT */
/*
 * The virtual IOAPIC: an index register (IOREGSEL) selects one of the ID,
 * version, arbitration and 48 redirection half-registers, read and
 * written through the data window (IOWIN). IOREGSEL is the guest's, so
 * every use of it is bounded against the table. Level-triggered pins are
 * delivered once and then held by their remote IRR until the guest's EOI.
 */
#include "ioapic_model.h"

#include <string.h>

#define SELECT_MASK	    0x000000ffu
#define ID_MASK		    0xff000000u
#define RTE_LOW_WRITABLE    0x0001afffu /* all but delivery status, IRR */
#define RTE_HIGH_WRITABLE   0xff000000u /* destination */
#define REDIRECTION_END	    (VIOAPIC_REG_REDIRECTION + 2 * VIOAPIC_PINS)
#define DELIVERY_RESERVED_3 3u
#define DELIVERY_RESERVED_6 6u

void vioapic_reset(struct vioapic *io, uint32_t id)
{
	memset(io, 0, sizeof(*io));
	io->id = id & 0xff;
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		io->redirection[pin] = VIOAPIC_RTE_MASKED;
}

static bool pin_valid(unsigned pin)
{
	return pin < VIOAPIC_PINS;
}

static uint32_t register_read(const struct vioapic *io, uint32_t index)
{
	uint64_t entry;

	switch (index) {
	case VIOAPIC_REG_ID:
	case VIOAPIC_REG_ARBITRATION:
		return io->id << 24;
	case VIOAPIC_REG_VERSION:
		return VIOAPIC_VERSION;
	default:
		break;
	}
	if (index < VIOAPIC_REG_REDIRECTION || index >= REDIRECTION_END)
		return 0;
	entry = io->redirection[(index - VIOAPIC_REG_REDIRECTION) / 2];
	return index % 2 ? (uint32_t)(entry >> 32) : (uint32_t)entry;
}

static void redirection_write(struct vioapic *io, uint32_t index,
			      uint32_t value)
{
	uint64_t *entry =
	    &io->redirection[(index - VIOAPIC_REG_REDIRECTION) / 2];

	if (index % 2) {
		*entry = (*entry & 0xffffffffull) |
			 (uint64_t)(value & RTE_HIGH_WRITABLE) << 32;
		return;
	}
	uint64_t kept = *entry & (~0xffffffffull | VIOAPIC_RTE_REMOTE_IRR);

	*entry = kept | (value & RTE_LOW_WRITABLE);
	if (!(*entry & VIOAPIC_RTE_LEVEL))
		*entry &= ~VIOAPIC_RTE_REMOTE_IRR; /* edge has no remote IRR */
}

static void register_write(struct vioapic *io, uint32_t index, uint32_t value)
{
	if (index == VIOAPIC_REG_ID)
		io->id = (value & ID_MASK) >> 24;
	else if (index >= VIOAPIC_REG_REDIRECTION && index < REDIRECTION_END)
		redirection_write(io, index, value);
	/* version, arbitration and unknown registers are read-only */
}

uint32_t vioapic_read(const struct vioapic *io, uint32_t offset)
{
	switch (offset) {
	case VIOAPIC_IOREGSEL:
		return io->select;
	case VIOAPIC_IOWIN:
		return register_read(io, io->select);
	default:
		return 0;
	}
}

void vioapic_write(struct vioapic *io, uint32_t offset, uint32_t value)
{
	switch (offset) {
	case VIOAPIC_IOREGSEL:
		io->select = value & SELECT_MASK;
		break;
	case VIOAPIC_IOWIN:
		register_write(io, io->select, value);
		break;
	default:
		break;
	}
}

static uint32_t entry_delivery(uint64_t entry)
{
	return (uint32_t)(entry >> VIOAPIC_RTE_DELIVERY_SHIFT) & 7u;
}

static void fill_route(uint64_t entry, struct vioapic_route *route)
{
	*route = (struct vioapic_route){
	    .vector = (uint8_t)(entry & VIOAPIC_RTE_VECTOR),
	    .delivery_mode = (uint8_t)entry_delivery(entry),
	    .logical = entry & VIOAPIC_RTE_LOGICAL,
	    .destination = (uint32_t)(entry >> VIOAPIC_RTE_DESTINATION_SHIFT),
	    .level = entry & VIOAPIC_RTE_LEVEL,
	};
}

bool vioapic_assert(struct vioapic *io, unsigned pin,
		    struct vioapic_route *route)
{
	uint64_t *entry;
	uint32_t mode;

	if (!pin_valid(pin))
		return false;
	entry = &io->redirection[pin];
	if (*entry & VIOAPIC_RTE_LEVEL)
		io->level_asserted |= 1u << pin;
	mode = entry_delivery(*entry);
	if (*entry & VIOAPIC_RTE_MASKED || mode == DELIVERY_RESERVED_3 ||
	    mode == DELIVERY_RESERVED_6)
		return false;
	if (*entry & VIOAPIC_RTE_LEVEL) {
		if (*entry & VIOAPIC_RTE_REMOTE_IRR)
			return false;
		*entry |= VIOAPIC_RTE_REMOTE_IRR;
	}
	fill_route(*entry, route);
	return true;
}

void vioapic_deassert(struct vioapic *io, unsigned pin)
{
	if (pin_valid(pin))
		io->level_asserted &= ~(1u << pin);
}

uint32_t vioapic_eoi(struct vioapic *io, uint8_t vector)
{
	uint32_t redeliver = 0;

	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t *entry = &io->redirection[pin];

		if (!(*entry & VIOAPIC_RTE_REMOTE_IRR) ||
		    (*entry & VIOAPIC_RTE_VECTOR) != vector)
			continue;
		*entry &= ~VIOAPIC_RTE_REMOTE_IRR;
		if (io->level_asserted & (1u << pin) &&
		    !(*entry & VIOAPIC_RTE_MASKED))
			redeliver |= 1u << pin;
	}
	return redeliver;
}

uint32_t vioapic_in_service(const struct vioapic *io, uint8_t vector)
{
	uint32_t pins = 0;

	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t entry = io->redirection[pin];

		if (entry & VIOAPIC_RTE_REMOTE_IRR &&
		    (entry & VIOAPIC_RTE_VECTOR) == vector)
			pins |= 1u << pin;
	}
	return pins;
}

uint32_t vioapic_pending(const struct vioapic *io)
{
	uint32_t pins = 0;

	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t entry = io->redirection[pin];

		if (io->level_asserted & (1u << pin) &&
		    entry & VIOAPIC_RTE_LEVEL &&
		    !(entry & (VIOAPIC_RTE_MASKED | VIOAPIC_RTE_REMOTE_IRR)))
			pins |= 1u << pin;
	}
	return pins;
}

bool vioapic_route_of(const struct vioapic *io, unsigned pin,
		      struct vioapic_route *route, bool *masked)
{
	if (!pin_valid(pin))
		return false;
	fill_route(io->redirection[pin], route);
	*masked = io->redirection[pin] & VIOAPIC_RTE_MASKED;
	return true;
}
