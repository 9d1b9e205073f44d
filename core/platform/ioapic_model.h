/* SPDX-License-Identifier: MIT */
/*
 * A virtual IOAPIC (82093AA-style, version 0x11, 24 pins), one per
 * partition with the PC platform: the IOREGSEL/IOWIN register window, the
 * redirection table and the remote-IRR handshake of level-triggered pins.
 * Pure: the caller locks and delivers the routes it hands back to the
 * local APICs.
 */
#ifndef BULKHEAD_CORE_PLATFORM_IOAPIC_MODEL_H
#define BULKHEAD_CORE_PLATFORM_IOAPIC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define VIOAPIC_PINS 24

/* MMIO offsets in the IOAPIC page. */
#define VIOAPIC_IOREGSEL 0x00
#define VIOAPIC_IOWIN	 0x10

/* Indirect registers (IOREGSEL values). */
#define VIOAPIC_REG_ID		0x00
#define VIOAPIC_REG_VERSION	0x01
#define VIOAPIC_REG_ARBITRATION 0x02
#define VIOAPIC_REG_REDIRECTION 0x10	    /* 0x10 + 2n low, 0x11 + 2n high */
#define VIOAPIC_VERSION		0x00170011u /* max entry 23, version 0x11 */

/* Redirection entry bits. */
#define VIOAPIC_RTE_VECTOR	      0xffull
#define VIOAPIC_RTE_DELIVERY_SHIFT    8
#define VIOAPIC_RTE_LOGICAL	      (1ull << 11)
#define VIOAPIC_RTE_ACTIVE_LOW	      (1ull << 13)
#define VIOAPIC_RTE_REMOTE_IRR	      (1ull << 14)
#define VIOAPIC_RTE_LEVEL	      (1ull << 15)
#define VIOAPIC_RTE_MASKED	      (1ull << 16)
#define VIOAPIC_RTE_DESTINATION_SHIFT 56

/* Delivery modes of a redirection entry. */
#define VIOAPIC_DELIVERY_FIXED		 0
#define VIOAPIC_DELIVERY_LOWEST_PRIORITY 1
#define VIOAPIC_DELIVERY_SMI		 2
#define VIOAPIC_DELIVERY_NMI		 4
#define VIOAPIC_DELIVERY_INIT		 5
#define VIOAPIC_DELIVERY_EXTINT		 7

struct vioapic {
	uint32_t id;	 /* IOAPIC ID, register 0 bits 31:24 */
	uint32_t select; /* IOREGSEL */
	uint64_t redirection[VIOAPIC_PINS];
	uint32_t level_asserted; /* pins whose level input is asserted */
};

/* Where an asserted pin's interrupt goes. */
struct vioapic_route {
	uint8_t vector;
	uint8_t delivery_mode; /* VIOAPIC_DELIVERY_* */
	bool logical;	       /* destination is a logical (LDR) mask */
	uint32_t destination;  /* APIC ID or logical mask, 8 bits */
	bool level;	       /* level-triggered: the guest's EOI matters */
};

/* Power-on state: every pin masked, edge-triggered, vector 0. */
void vioapic_reset(struct vioapic *io, uint32_t id);

/* 32-bit accesses to the register window: IOREGSEL (offset 0x00) and IOWIN
 * (0x10). Other offsets, and IOWIN with IOREGSEL naming no register, read 0
 * and ignore writes. */
uint32_t vioapic_read(const struct vioapic *io, uint32_t offset);
void vioapic_write(struct vioapic *io, uint32_t offset, uint32_t value);

/* The pin's input became active (an edge, or a level now held; polarity is
 * the caller's: "assert" means active). Returns true and fills *route when
 * an interrupt is to be delivered: the pin exists, is unmasked, has a
 * usable delivery mode and, when level-triggered, no remote IRR (which
 * this then sets until the guest's EOI). */
bool vioapic_assert(struct vioapic *io, unsigned pin,
		    struct vioapic_route *route);
/* A level input is released (no effect on edge pins; out of range ignored). */
void vioapic_deassert(struct vioapic *io, unsigned pin);

/* The guest ended vector (a level-triggered EOI from a local APIC): clears
 * the remote IRR of level pins with that vector. Returns the bitmap of
 * those pins still asserted and unmasked: the caller calls vioapic_assert
 * on each to deliver it again. */
uint32_t vioapic_eoi(struct vioapic *io, uint8_t vector);
/* The level pins an EOI of vector would end (remote IRR set, that
 * vector): the caller learns which inputs the guest is done with. */
uint32_t vioapic_in_service(const struct vioapic *io, uint8_t vector);
/* Level pins asserted and unmasked with no remote IRR: each waits to be
 * delivered (after the guest unmasked it, as a real IOAPIC does); the
 * caller calls vioapic_assert on each. */
uint32_t vioapic_pending(const struct vioapic *io);
/* Where pin's interrupt would go now (masked or not: *masked says);
 * false for a pin out of range. */
bool vioapic_route_of(const struct vioapic *io, unsigned pin,
		      struct vioapic_route *route, bool *masked);

#endif
