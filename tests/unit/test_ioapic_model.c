/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual IOAPIC (core/platform/ioapic_model.c): the IOREGSEL/IOWIN
 * window, redirection entries with their read-only bits, hostile register
 * indices, routing, masking and the remote-IRR handshake of level pins.
 */
#include "core/platform/ioapic_model.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_ioapic_model")

static uint32_t reg_read(struct vioapic *io, uint32_t index)
{
	vioapic_write(io, VIOAPIC_IOREGSEL, index);
	return vioapic_read(io, VIOAPIC_IOWIN);
}

static void reg_write(struct vioapic *io, uint32_t index, uint32_t value)
{
	vioapic_write(io, VIOAPIC_IOREGSEL, index);
	vioapic_write(io, VIOAPIC_IOWIN, value);
}

static void program_pin(struct vioapic *io, unsigned pin, uint32_t low,
			uint32_t high)
{
	reg_write(io, VIOAPIC_REG_REDIRECTION + 2 * pin + 1, high);
	reg_write(io, VIOAPIC_REG_REDIRECTION + 2 * pin, low);
}

static void test_reset_state(void)
{
	struct vioapic io;

	vioapic_reset(&io, 4);
	CHECK_EQ(reg_read(&io, VIOAPIC_REG_ID), 4u << 24);
	CHECK_EQ(reg_read(&io, VIOAPIC_REG_VERSION), 0x00170011);
	CHECK_EQ(((reg_read(&io, VIOAPIC_REG_VERSION) >> 16) & 0xff) + 1,
		 VIOAPIC_PINS);
	CHECK_EQ(reg_read(&io, VIOAPIC_REG_ARBITRATION), 4u << 24);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		CHECK_EQ(reg_read(&io, 0x10 + 2 * pin), VIOAPIC_RTE_MASKED);
		CHECK_EQ(reg_read(&io, 0x11 + 2 * pin), 0);
	}
	CHECK_EQ(io.level_asserted, 0);
}

static void test_register_window(void)
{
	struct vioapic io;

	vioapic_reset(&io, 1);
	vioapic_write(&io, VIOAPIC_IOREGSEL, 0x12);
	CHECK_EQ(vioapic_read(&io, VIOAPIC_IOREGSEL), 0x12);
	vioapic_write(&io, VIOAPIC_IOREGSEL, 0xffffff13);
	CHECK_EQ(vioapic_read(&io, VIOAPIC_IOREGSEL), 0x13);

	/* Writable bits of a redirection entry; delivery status (12) and
	 * remote IRR (14) are read-only. */
	reg_write(&io, 0x10, 0xffffffff);
	CHECK_EQ(reg_read(&io, 0x10), 0x0001afff);
	reg_write(&io, 0x11, 0xffffffff);
	CHECK_EQ(reg_read(&io, 0x11), 0xff000000);
	CHECK_EQ(io.redirection[0], 0xff0000000001afffull);
	/* The last pin's halves. */
	reg_write(&io, 0x3e, 0x00000a5b);
	reg_write(&io, 0x3f, 0x07000000);
	CHECK_EQ(reg_read(&io, 0x3e), 0x00000a5b);
	CHECK_EQ(reg_read(&io, 0x3f), 0x07000000);
	CHECK_EQ(io.redirection[23], 0x0700000000000a5bull);
	/* Halves are independent. */
	reg_write(&io, 0x10, 0x30);
	CHECK_EQ(reg_read(&io, 0x11), 0xff000000);

	/* ID is writable (bits 31:24), version and arbitration are not. */
	reg_write(&io, VIOAPIC_REG_ID, 0x0affffff);
	CHECK_EQ(reg_read(&io, VIOAPIC_REG_ID), 0x0a000000);
	CHECK_EQ(reg_read(&io, VIOAPIC_REG_ARBITRATION), 0x0a000000);
	reg_write(&io, VIOAPIC_REG_VERSION, 0);
	CHECK_EQ(reg_read(&io, VIOAPIC_REG_VERSION), VIOAPIC_VERSION);
	reg_write(&io, VIOAPIC_REG_ARBITRATION, 0);
	CHECK_EQ(reg_read(&io, VIOAPIC_REG_ARBITRATION), 0x0a000000);
}

static void test_hostile_indices(void)
{
	static const uint32_t indices[] = {0x03, 0x0f, 0x40, 0x41, 0x7f, 0xff};
	static const uint32_t offsets[] = {0x04, 0x08, 0x0c,  0x14,
					   0x20, 0x40, 0xff0, 0xffffffff};
	struct vioapic io, before;

	vioapic_reset(&io, 2);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		program_pin(&io, pin, 0x20 + pin, pin << 24);
	vioapic_write(&io, VIOAPIC_IOREGSEL, 0x10);
	before = io;

	/* IOREGSEL beyond the table: reads 0, writes change nothing. */
	for (unsigned i = 0; i < sizeof(indices) / sizeof(indices[0]); i++) {
		CHECK_EQ(reg_read(&io, indices[i]), 0);
		reg_write(&io, indices[i], 0xffffffff);
		CHECK_EQ(reg_read(&io, indices[i]), 0);
	}
	/* A select written wider than 8 bits is truncated, never used as a
	 * large index. */
	vioapic_write(&io, VIOAPIC_IOREGSEL, 0x12345640);
	CHECK_EQ(vioapic_read(&io, VIOAPIC_IOWIN), 0);
	vioapic_write(&io, VIOAPIC_IOWIN, 0xffffffff);
	vioapic_write(&io, VIOAPIC_IOREGSEL, 0x10);
	CHECK(memcmp(io.redirection, before.redirection,
		     sizeof(io.redirection)) == 0);
	CHECK_EQ(io.id, before.id);

	/* Offsets other than IOREGSEL and IOWIN. */
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		CHECK_EQ(vioapic_read(&io, offsets[i]), 0);
		vioapic_write(&io, offsets[i], 0xffffffff);
	}
	CHECK(memcmp(io.redirection, before.redirection,
		     sizeof(io.redirection)) == 0);
	CHECK_EQ(io.id, before.id);
	CHECK_EQ(io.select, before.select);
	CHECK_EQ(io.level_asserted, before.level_asserted);

	/* Every index: nothing out of bounds (ASan watches). */
	for (uint32_t index = 0; index < 0x100; index++)
		(void)reg_read(&io, index);
}

static void test_routing(void)
{
	struct vioapic io;
	struct vioapic_route route;

	vioapic_reset(&io, 2);
	/* Masked at reset. */
	CHECK(!vioapic_assert(&io, 4, &route));
	/* Fixed, logical, edge, to logical mask 0x03. */
	program_pin(&io, 4, 0x00000824, 0x03000000);
	memset(&route, 0xa5, sizeof(route));
	CHECK(vioapic_assert(&io, 4, &route));
	CHECK_EQ(route.vector, 0x24);
	CHECK_EQ(route.delivery_mode, VIOAPIC_DELIVERY_FIXED);
	CHECK(route.logical);
	CHECK_EQ(route.destination, 0x03);
	CHECK(!route.level);
	/* Edges deliver every time and leave no remote IRR. */
	CHECK(vioapic_assert(&io, 4, &route));
	CHECK_EQ(reg_read(&io, 0x18) & VIOAPIC_RTE_REMOTE_IRR, 0);
	CHECK_EQ(io.level_asserted, 0);

	/* Lowest priority, physical destination 1. */
	program_pin(&io, 0, 0x00000130, 0x01000000);
	CHECK(vioapic_assert(&io, 0, &route));
	CHECK_EQ(route.delivery_mode, VIOAPIC_DELIVERY_LOWEST_PRIORITY);
	CHECK(!route.logical);
	CHECK_EQ(route.destination, 1);
	CHECK_EQ(route.vector, 0x30);

	/* NMI passes through with its mode. */
	program_pin(&io, 1, 0x00000400, 0);
	CHECK(vioapic_assert(&io, 1, &route));
	CHECK_EQ(route.delivery_mode, VIOAPIC_DELIVERY_NMI);

	/* Masking stops delivery; edges while masked are lost. */
	program_pin(&io, 4, 0x00010824, 0x03000000);
	CHECK(!vioapic_assert(&io, 4, &route));
	program_pin(&io, 4, 0x00000824, 0x03000000);
	CHECK(vioapic_assert(&io, 4, &route));

	/* Reserved delivery modes deliver nothing. */
	program_pin(&io, 5, 0x00000340, 0);
	CHECK(!vioapic_assert(&io, 5, &route));
	program_pin(&io, 5, 0x00000640, 0);
	CHECK(!vioapic_assert(&io, 5, &route));

	/* Pins beyond the table are refused and ignored. */
	CHECK(!vioapic_assert(&io, VIOAPIC_PINS, &route));
	CHECK(!vioapic_assert(&io, 31, &route));
	CHECK(!vioapic_assert(&io, 32, &route));
	CHECK(!vioapic_assert(&io, UINT_MAX, &route));
	vioapic_deassert(&io, VIOAPIC_PINS);
	vioapic_deassert(&io, UINT_MAX);
	CHECK_EQ(io.level_asserted, 0);
}

static void test_level_remote_irr(void)
{
	struct vioapic io;
	struct vioapic_route route;
	const unsigned pin = 9;
	const uint32_t low = VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_ACTIVE_LOW | 0x29;

	vioapic_reset(&io, 2);
	program_pin(&io, pin, low, 0x00000000);
	CHECK(vioapic_assert(&io, pin, &route));
	CHECK(route.level);
	CHECK_EQ(route.vector, 0x29);
	CHECK_EQ(reg_read(&io, 0x10 + 2 * pin), low | VIOAPIC_RTE_REMOTE_IRR);
	/* Held: no second delivery until EOI. */
	CHECK(!vioapic_assert(&io, pin, &route));

	/* The guest cannot clear (or set) remote IRR by writing it. */
	reg_write(&io, 0x10 + 2 * pin, low);
	CHECK(reg_read(&io, 0x10 + 2 * pin) & VIOAPIC_RTE_REMOTE_IRR);

	/* An EOI of another vector changes nothing. */
	CHECK_EQ(vioapic_eoi(&io, 0x28), 0);
	CHECK(reg_read(&io, 0x10 + 2 * pin) & VIOAPIC_RTE_REMOTE_IRR);

	/* EOI while still asserted: the pin asks to be delivered again. */
	CHECK_EQ(vioapic_eoi(&io, 0x29), 1u << pin);
	CHECK_EQ(reg_read(&io, 0x10 + 2 * pin) & VIOAPIC_RTE_REMOTE_IRR, 0);
	CHECK(vioapic_assert(&io, pin, &route));
	CHECK(reg_read(&io, 0x10 + 2 * pin) & VIOAPIC_RTE_REMOTE_IRR);

	/* Released before EOI: the EOI clears remote IRR, nothing again. */
	vioapic_deassert(&io, pin);
	CHECK_EQ(io.level_asserted, 0);
	CHECK_EQ(vioapic_eoi(&io, 0x29), 0);
	CHECK_EQ(reg_read(&io, 0x10 + 2 * pin) & VIOAPIC_RTE_REMOTE_IRR, 0);
	CHECK_EQ(vioapic_eoi(&io, 0x29), 0);

	/* Two level pins sharing a vector, both asserted: one EOI frees
	 * both. */
	program_pin(&io, 10, low, 0);
	CHECK(vioapic_assert(&io, pin, &route));
	CHECK(vioapic_assert(&io, 10, &route));
	CHECK_EQ(vioapic_in_service(&io, 0x29), (1u << pin) | (1u << 10));
	CHECK_EQ(vioapic_in_service(&io, 0x28), 0);
	CHECK_EQ(vioapic_pending(&io), 0); /* both held by remote IRR */
	CHECK_EQ(vioapic_eoi(&io, 0x29), (1u << pin) | (1u << 10));

	/* Masked while asserted: no remote IRR, delivered once unmasked and
	 * asserted again; masked at EOI time: not redelivered. */
	vioapic_reset(&io, 2);
	program_pin(&io, 3, low | VIOAPIC_RTE_MASKED, 0);
	CHECK(!vioapic_assert(&io, 3, &route));
	CHECK_EQ(reg_read(&io, 0x16) & VIOAPIC_RTE_REMOTE_IRR, 0);
	CHECK_EQ(io.level_asserted, 1u << 3);
	CHECK_EQ(vioapic_pending(&io), 0); /* masked */
	bool masked = false;

	CHECK(vioapic_route_of(&io, 3, &route, &masked));
	CHECK(masked);
	CHECK(route.level);
	CHECK_EQ(route.vector, 0x29);
	CHECK(!vioapic_route_of(&io, VIOAPIC_PINS, &route, &masked));
	program_pin(&io, 3, low, 0);
	CHECK_EQ(vioapic_pending(&io), 1u << 3); /* unmasked, still held */
	CHECK(vioapic_route_of(&io, 3, &route, &masked));
	CHECK(!masked);
	CHECK(vioapic_assert(&io, 3, &route));
	CHECK_EQ(vioapic_pending(&io), 0);
	CHECK_EQ(vioapic_in_service(&io, 0x29), 1u << 3);
	program_pin(&io, 3, low | VIOAPIC_RTE_MASKED, 0);
	CHECK_EQ(vioapic_eoi(&io, 0x29), 0);
	CHECK_EQ(reg_read(&io, 0x16) & VIOAPIC_RTE_REMOTE_IRR, 0);

	/* Switching a held pin to edge drops its remote IRR. */
	program_pin(&io, 3, low, 0);
	CHECK(vioapic_assert(&io, 3, &route));
	program_pin(&io, 3, 0x29, 0);
	CHECK_EQ(reg_read(&io, 0x16) & VIOAPIC_RTE_REMOTE_IRR, 0);
	CHECK(vioapic_assert(&io, 3, &route));
	CHECK(!route.level);
	CHECK(vioapic_assert(&io, 3, &route));

	/* Edge pins ignore EOIs and deasserts. */
	vioapic_deassert(&io, 3);
	CHECK_EQ(vioapic_eoi(&io, 0x29), 0);
	CHECK(vioapic_assert(&io, 3, &route));
}

static void run_tests(void)
{
	test_reset_state();
	test_register_window();
	test_hostile_indices();
	test_routing();
	test_level_remote_irr();
}
