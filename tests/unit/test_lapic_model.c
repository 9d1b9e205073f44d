/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual local APIC (core/platform/lapic_model.c): register
 * semantics, interrupt priority, the timer in its three modes against a
 * fake TSC, ICR decoding, destination matching and hostile offsets.
 */
#include "core/platform/lapic_model.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_lapic_model")

#define LVT_TIMER_PERIODIC (VLAPIC_TIMER_PERIODIC << VLAPIC_TIMER_MODE_SHIFT)
#define LVT_TIMER_DEADLINE                                                     \
	(VLAPIC_TIMER_TSC_DEADLINE << VLAPIC_TIMER_MODE_SHIFT)
#define DIVIDE_BY_1 0xb

static bool write_reg(struct vlapic *apic, uint32_t offset, uint32_t value)
{
	struct vlapic_ipi ipi;

	return vlapic_write(apic, offset, value, 0, &ipi);
}

static uint32_t read_reg(struct vlapic *apic, uint32_t offset)
{
	return vlapic_read(apic, offset, 0);
}

/* Reset, software-enabled with spurious vector 0xff. */
static void enabled_apic(struct vlapic *apic, uint32_t id,
			 uint32_t tsc_per_tick)
{
	vlapic_reset(apic, id, tsc_per_tick);
	write_reg(apic, VLAPIC_REG_SVR, VLAPIC_SVR_ENABLE | 0xff);
}

/* Latches the errors detected so far and reads them. */
static uint32_t latched_esr(struct vlapic *apic)
{
	write_reg(apic, VLAPIC_REG_ESR, 0);
	return read_reg(apic, VLAPIC_REG_ESR);
}

static bool irr_has(struct vlapic *apic, uint8_t vector)
{
	return read_reg(apic, VLAPIC_REG_IRR + (vector / 32) * 0x10) &
	       (1u << (vector % 32));
}

static void test_reset_state(void)
{
	struct vlapic apic;

	vlapic_reset(&apic, 5, 10);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ID), 5u << 24);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_VERSION), 0x00060014);
	CHECK_EQ((read_reg(&apic, VLAPIC_REG_VERSION) >> 16) & 0xff,
		 VLAPIC_LVT_COUNT - 1);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_SVR), 0xff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_DFR), 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TPR), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LDR), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_CMCI), VLAPIC_LVT_MASKED);
	for (uint32_t off = VLAPIC_REG_LVT_TIMER; off <= VLAPIC_REG_LVT_ERROR;
	     off += 0x10)
		CHECK_EQ(read_reg(&apic, off), VLAPIC_LVT_MASKED);
	for (uint32_t off = VLAPIC_REG_ISR; off < VLAPIC_REG_ESR; off += 0x10)
		CHECK_EQ(read_reg(&apic, off), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_INITIAL), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_CURRENT), 0);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(vlapic_pending(&apic), -1);
	CHECK_EQ(apic.tsc_per_tick, 10);

	vlapic_reset(&apic, 0, 0);
	CHECK_EQ(apic.tsc_per_tick, 1);
}

static void test_reserved_bits(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 1, 1);
	write_reg(&apic, VLAPIC_REG_TPR, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TPR), 0xff);
	write_reg(&apic, VLAPIC_REG_LDR, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LDR), 0xff000000);
	write_reg(&apic, VLAPIC_REG_DFR, 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_DFR), 0x0fffffff);
	write_reg(&apic, VLAPIC_REG_SVR, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_SVR), 0x3ff);
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_TIMER), 0x000700ff);
	write_reg(&apic, VLAPIC_REG_LVT_CMCI, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_CMCI), 0x000107ff);
	write_reg(&apic, VLAPIC_REG_LVT_THERMAL, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_THERMAL), 0x000107ff);
	write_reg(&apic, VLAPIC_REG_LVT_PERF, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_PERF), 0x000107ff);
	/* LINT: polarity and trigger kept, delivery status and remote IRR
	 * (bits 12 and 14) read 0. */
	write_reg(&apic, VLAPIC_REG_LVT_LINT0, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_LINT0), 0x0001a7ff);
	write_reg(&apic, VLAPIC_REG_LVT_LINT1, 0x00005700);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_LINT1), 0x00000700);
	write_reg(&apic, VLAPIC_REG_LVT_ERROR, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_ERROR), 0x000100ff);
	write_reg(&apic, VLAPIC_REG_ICR_HIGH, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ICR_HIGH), 0xff000000);
	write_reg(&apic, VLAPIC_REG_ICR_LOW, 0x00005031); /* status bit set */
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ICR_LOW), 0x00004031);
	write_reg(&apic, VLAPIC_REG_TIMER_DIVIDE, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_DIVIDE), 0xb);
}

static void test_read_only_registers(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 2, 1);
	vlapic_set_irr(&apic, 0x45);
	vlapic_acknowledge(&apic, 0x45);
	vlapic_accept(&apic, 0x61, true);
	write_reg(&apic, VLAPIC_REG_ID, 0x07000000);
	write_reg(&apic, VLAPIC_REG_VERSION, 0);
	write_reg(&apic, VLAPIC_REG_PPR, 0);
	write_reg(&apic, VLAPIC_REG_APR, 0);
	write_reg(&apic, VLAPIC_REG_TIMER_CURRENT, 1234);
	for (uint32_t off = VLAPIC_REG_ISR; off < VLAPIC_REG_ESR; off += 0x10)
		write_reg(&apic, off, 0xffffffff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ID), 2u << 24);
	CHECK_EQ(vlapic_matches(&apic, 2, false), true);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_VERSION), VLAPIC_VERSION);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0x40);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_CURRENT), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ISR + 0x20), 1u << 5);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ISR), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_IRR + 0x30), 1u << 1);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TMR + 0x30), 1u << 1);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_IRR), 0);
	/* Writes to existing read-only registers are no errors. */
	CHECK_EQ(latched_esr(&apic), 0);
	/* EOI reads as 0. */
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_EOI), 0);
}

static void test_hostile_offsets(void)
{
	struct vlapic apic;
	struct vlapic_ipi ipi;
	uint32_t odd[] = {1,	  4,	  8,	      0x2f4,
			  0x1000, 0x1010, 0xfffffff0, 0xffffffff};

	enabled_apic(&apic, 3, 1);
	for (unsigned i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		CHECK_EQ(vlapic_read(&apic, odd[i], 0), 0);
		CHECK(!vlapic_write(&apic, odd[i], 0xffffffff, 0, &ipi));
	}
	CHECK_EQ(latched_esr(&apic), 0);

	/* Every register of the page, written with ones then read: nothing
	 * out of bounds, the identity registers intact. */
	for (uint32_t off = 0; off < 0x1000; off += 0x10) {
		if (off == VLAPIC_REG_ICR_LOW)
			continue;
		vlapic_write(&apic, off, 0xffffffff, 0, &ipi);
	}
	for (uint32_t off = 0; off < 0x1000; off += 4)
		(void)vlapic_read(&apic, off, 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ID), 3u << 24);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_VERSION), VLAPIC_VERSION);
	for (unsigned i = 0; i < 8; i++)
		CHECK_EQ(apic.irr[i] | apic.isr[i] | apic.tmr[i], 0);
}

static void test_unimplemented_register_error(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 0, 1);
	CHECK_EQ(read_reg(&apic, 0x400), 0);
	CHECK_EQ(latched_esr(&apic), VLAPIC_ESR_ILLEGAL_REGISTER);
	CHECK_EQ(latched_esr(&apic), 0);
	/* An unmasked error LVT raises its vector. */
	write_reg(&apic, VLAPIC_REG_LVT_ERROR, 0xfe);
	write_reg(&apic, 0x3f0, 1);
	CHECK(irr_has(&apic, 0xfe));
	CHECK_EQ(latched_esr(&apic), VLAPIC_ESR_ILLEGAL_REGISTER);
}

static void test_esr_latching(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 0, 1);
	vlapic_set_irr(&apic, 15); /* illegal: dropped, logged */
	CHECK(!irr_has(&apic, 15));
	CHECK_EQ(vlapic_pending(&apic), -1);
	/* Read before a write: the old latch (nothing). */
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ESR), 0);
	write_reg(&apic, VLAPIC_REG_ESR, 0xffffffff); /* value is ignored */
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ESR),
		 VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ESR),
		 VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
	CHECK_EQ(latched_esr(&apic), 0);
	/* A masked error LVT raises nothing. */
	vlapic_set_irr(&apic, 0);
	for (unsigned i = 0; i < 8; i++)
		CHECK_EQ(apic.irr[i], 0);
	/* An error LVT with an illegal vector of its own does not loop. */
	write_reg(&apic, VLAPIC_REG_LVT_ERROR, 0x03);
	vlapic_set_irr(&apic, 1);
	CHECK_EQ(latched_esr(&apic), VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
	CHECK_EQ(vlapic_pending(&apic), -1);
}

static void test_software_disable(void)
{
	struct vlapic apic;

	vlapic_reset(&apic, 0, 1);
	/* Disabled at reset: LVT writes stay masked, fixed interrupts are
	 * dropped. */
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, 0x30);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_TIMER),
		 VLAPIC_LVT_MASKED | 0x30);
	vlapic_set_irr(&apic, 0x40);
	CHECK(!irr_has(&apic, 0x40));
	CHECK_EQ(vlapic_pending(&apic), -1);

	write_reg(&apic, VLAPIC_REG_SVR, VLAPIC_SVR_ENABLE | 0xff);
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, 0x30);
	write_reg(&apic, VLAPIC_REG_LVT_LINT0, 0x700);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_TIMER), 0x30);
	vlapic_set_irr(&apic, 0x40);
	CHECK_EQ(vlapic_pending(&apic), 0x40);

	/* Disabling masks every LVT and hides the held request. */
	write_reg(&apic, VLAPIC_REG_SVR, 0xff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_TIMER),
		 VLAPIC_LVT_MASKED | 0x30);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_LINT0),
		 VLAPIC_LVT_MASKED | 0x700);
	CHECK(irr_has(&apic, 0x40));
	CHECK_EQ(vlapic_pending(&apic), -1);

	/* Re-enabling does not unmask, but the held request is back. */
	write_reg(&apic, VLAPIC_REG_SVR, VLAPIC_SVR_ENABLE | 0xff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_TIMER),
		 VLAPIC_LVT_MASKED | 0x30);
	CHECK_EQ(vlapic_pending(&apic), 0x40);

	/* A disabled APIC still sends IPIs. */
	struct vlapic_ipi ipi;

	write_reg(&apic, VLAPIC_REG_SVR, 0xff);
	CHECK(vlapic_write(&apic, VLAPIC_REG_ICR_LOW, 0x4500, 0, &ipi));
	CHECK_EQ(ipi.delivery_mode, VLAPIC_DELIVERY_INIT);
}

static void test_priority(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 0, 1);
	vlapic_set_irr(&apic, 0x31);
	vlapic_set_irr(&apic, 0x45);
	CHECK_EQ(vlapic_pending(&apic), 0x45);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_IRR + 0x20), 1u << 5);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_IRR + 0x10), 1u << 17);

	/* TPR blocks its own class and those below. */
	write_reg(&apic, VLAPIC_REG_TPR, 0x40);
	CHECK_EQ(vlapic_pending(&apic), -1);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0x40);
	write_reg(&apic, VLAPIC_REG_TPR, 0x3f);
	CHECK_EQ(vlapic_pending(&apic), 0x45);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0x3f);
	write_reg(&apic, VLAPIC_REG_TPR, 0);

	/* In service: PPR is its class; lower and equal classes wait. */
	vlapic_acknowledge(&apic, 0x45);
	CHECK(!irr_has(&apic, 0x45));
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ISR + 0x20), 1u << 5);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0x40);
	CHECK_EQ(vlapic_pending(&apic), -1);
	vlapic_set_irr(&apic, 0x4f);
	CHECK_EQ(vlapic_pending(&apic), -1);

	/* A higher class nests. */
	vlapic_set_irr(&apic, 0x50);
	CHECK_EQ(vlapic_pending(&apic), 0x50);
	vlapic_acknowledge(&apic, 0x50);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0x50);
	CHECK_EQ(vlapic_pending(&apic), -1);

	/* A TPR above the in-service class wins PPR. */
	write_reg(&apic, VLAPIC_REG_TPR, 0x62);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0x62);
	write_reg(&apic, VLAPIC_REG_TPR, 0);

	/* EOI ends the highest in-service vector first. */
	write_reg(&apic, VLAPIC_REG_EOI, 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ISR + 0x20), 1u << 5);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0x40);
	CHECK_EQ(vlapic_pending(&apic), -1);
	write_reg(&apic, VLAPIC_REG_EOI, 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ISR + 0x20), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_PPR), 0);
	CHECK_EQ(vlapic_pending(&apic), 0x4f);
	vlapic_acknowledge(&apic, 0x4f);
	CHECK_EQ(vlapic_pending(&apic), -1); /* 0x31: class 3 under 4 */
	write_reg(&apic, VLAPIC_REG_EOI, 0);
	CHECK_EQ(vlapic_pending(&apic), 0x31);

	/* EOI with nothing in service, acknowledging what is not requested:
	 * no effect. */
	vlapic_acknowledge(&apic, 0x31);
	write_reg(&apic, VLAPIC_REG_EOI, 0);
	write_reg(&apic, VLAPIC_REG_EOI, 0);
	vlapic_acknowledge(&apic, 0x99);
	CHECK_EQ(apic.isr[0x99 / 32], 0);
	CHECK_EQ(vlapic_pending(&apic), -1);
	for (unsigned i = 0; i < 8; i++)
		CHECK_EQ(apic.irr[i] | apic.isr[i], 0);

	/* The extreme vectors. */
	vlapic_set_irr(&apic, 0xff);
	vlapic_set_irr(&apic, 16);
	CHECK_EQ(vlapic_pending(&apic), 0xff);
	vlapic_acknowledge(&apic, 0xff);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ISR + 0x70), 1u << 31);
	CHECK_EQ(vlapic_pending(&apic), -1);
	write_reg(&apic, VLAPIC_REG_EOI, 0);
	CHECK_EQ(vlapic_pending(&apic), 16);
}

static void test_arbitration_priority(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 0, 1);
	write_reg(&apic, VLAPIC_REG_TPR, 0x25);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_APR), 0x25);
	vlapic_set_irr(&apic, 0x45);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_APR), 0x40);
	write_reg(&apic, VLAPIC_REG_TPR, 0x55);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_APR), 0x55);
	vlapic_set_irr(&apic, 0x70);
	vlapic_acknowledge(&apic, 0x70);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_APR), 0x70);
}

static void test_level_triggered_eoi(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 0, 1);
	CHECK_EQ(vlapic_take_level_eoi(&apic), -1);
	vlapic_accept(&apic, 0x50, true);
	vlapic_set_irr(&apic, 0x60);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TMR + 0x20), 1u << 16);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TMR + 0x30), 0);
	vlapic_acknowledge(&apic, 0x60);
	write_reg(&apic, VLAPIC_REG_EOI, 0); /* edge: nothing to forward */
	CHECK_EQ(vlapic_take_level_eoi(&apic), -1);
	vlapic_acknowledge(&apic, 0x50);
	write_reg(&apic, VLAPIC_REG_EOI, 0);
	CHECK_EQ(vlapic_take_level_eoi(&apic), 0x50);
	CHECK_EQ(vlapic_take_level_eoi(&apic), -1);
	/* The same vector accepted as edge clears its TMR bit. */
	vlapic_accept(&apic, 0x50, true);
	vlapic_set_irr(&apic, 0x50);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TMR + 0x20), 0);
}

/* LVT timer vector 0x30, unmasked, in mode; divide by 1. */
static void timer_setup(struct vlapic *apic, uint32_t tsc_per_tick,
			uint32_t lvt)
{
	enabled_apic(apic, 0, tsc_per_tick);
	write_reg(apic, VLAPIC_REG_TIMER_DIVIDE, DIVIDE_BY_1);
	write_reg(apic, VLAPIC_REG_LVT_TIMER, lvt);
}

static void arm(struct vlapic *apic, uint32_t count, uint64_t now)
{
	struct vlapic_ipi ipi;

	vlapic_write(apic, VLAPIC_REG_TIMER_INITIAL, count, now, &ipi);
}

static void test_timer_one_shot(void)
{
	struct vlapic apic;

	timer_setup(&apic, 10, 0x30);
	arm(&apic, 100, 1000);
	CHECK_EQ(vlapic_timer_next(&apic), 2000);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_INITIAL), 100);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 1000), 100);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 1500), 50);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 1999), 0);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 5000), 0);
	CHECK(!vlapic_timer_fire(&apic, 1999));
	CHECK(!irr_has(&apic, 0x30));
	CHECK(vlapic_timer_fire(&apic, 2000));
	CHECK(irr_has(&apic, 0x30));
	CHECK_EQ(vlapic_pending(&apic), 0x30);
	/* No re-arm. */
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK(!vlapic_timer_fire(&apic, 100000));
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 2500), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_INITIAL), 100);

	/* Re-arming restarts from now; a zero count stops. */
	arm(&apic, 10, 3000);
	CHECK_EQ(vlapic_timer_next(&apic), 3100);
	arm(&apic, 20, 3050);
	CHECK_EQ(vlapic_timer_next(&apic), 3250);
	arm(&apic, 0, 3060);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 3060), 0);
	CHECK(!vlapic_timer_fire(&apic, 4000));
}

static void test_timer_divide(void)
{
	static const struct {
		uint32_t code, divisor;
	} table[] = {{0x0, 2},	{0x1, 4},  {0x2, 8},	   {0x3, 16},
		     {0x8, 32}, {0x9, 64}, {0xa, 128},	   {0xb, 1},
		     {0x4, 2},	{0xf, 1},  {0xfffffff0, 2}};
	struct vlapic apic;

	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		timer_setup(&apic, 3, 0x30);
		write_reg(&apic, VLAPIC_REG_TIMER_DIVIDE, table[i].code);
		arm(&apic, 5, 100);
		CHECK_EQ(vlapic_timer_next(&apic),
			 100 + 5ull * 3 * table[i].divisor);
		CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 100), 5);
	}
}

static void test_timer_periodic(void)
{
	struct vlapic apic;

	timer_setup(&apic, 10, LVT_TIMER_PERIODIC | 0x31);
	arm(&apic, 10, 0); /* period 100 */
	CHECK_EQ(vlapic_timer_next(&apic), 100);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 0), 10);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 50), 5);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 99), 0);
	CHECK(vlapic_timer_fire(&apic, 100));
	CHECK_EQ(vlapic_timer_next(&apic), 200);
	CHECK(irr_has(&apic, 0x31));
	vlapic_acknowledge(&apic, 0x31);
	write_reg(&apic, VLAPIC_REG_EOI, 0);

	/* Late by two and a half periods: one interrupt, next on the grid. */
	CHECK(vlapic_timer_fire(&apic, 450));
	CHECK_EQ(vlapic_timer_next(&apic), 500);
	CHECK_EQ(vlapic_pending(&apic), 0x31);
	vlapic_acknowledge(&apic, 0x31);
	CHECK_EQ(vlapic_pending(&apic), -1);

	/* The count reloads even before the caller fires the timer. */
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 520), 8);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 500), 10);
	CHECK(!vlapic_timer_fire(&apic, 499));
	CHECK(vlapic_timer_fire(&apic, 500));
	CHECK_EQ(vlapic_timer_next(&apic), 600);

	/* Switching to one-shot disarms. */
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, 0x31);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_INITIAL), 0);
}

static void test_timer_masked(void)
{
	struct vlapic apic;

	timer_setup(&apic, 1, VLAPIC_LVT_MASKED | LVT_TIMER_PERIODIC | 0x32);
	arm(&apic, 50, 0);
	CHECK_EQ(vlapic_timer_next(&apic), 50);
	CHECK(!vlapic_timer_fire(&apic, 60));
	CHECK_EQ(vlapic_timer_next(&apic), 100);
	CHECK_EQ(vlapic_pending(&apic), -1);
	for (unsigned i = 0; i < 8; i++)
		CHECK_EQ(apic.irr[i], 0);
	/* Unmasking (same mode) keeps it running and it raises again. */
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, LVT_TIMER_PERIODIC | 0x32);
	CHECK_EQ(vlapic_timer_next(&apic), 100);
	CHECK(vlapic_timer_fire(&apic, 100));
	CHECK_EQ(vlapic_pending(&apic), 0x32);

	/* A masked one-shot expires silently and is gone. */
	timer_setup(&apic, 1, VLAPIC_LVT_MASKED | 0x32);
	arm(&apic, 5, 0);
	CHECK(!vlapic_timer_fire(&apic, 5));
	CHECK_EQ(vlapic_timer_next(&apic), 0);

	/* An illegal timer vector is an error, not a request. */
	timer_setup(&apic, 1, 0x02);
	arm(&apic, 5, 0);
	CHECK(!vlapic_timer_fire(&apic, 5));
	CHECK_EQ(vlapic_pending(&apic), -1);
	CHECK_EQ(latched_esr(&apic), VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
}

static void test_timer_tsc_deadline(void)
{
	struct vlapic apic;

	timer_setup(&apic, 10, LVT_TIMER_DEADLINE | 0x33);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_LVT_TIMER),
		 LVT_TIMER_DEADLINE | 0x33);
	/* The initial count is ignored in this mode. */
	arm(&apic, 100, 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_INITIAL), 0);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(vlapic_tsc_deadline_read(&apic), 0);

	vlapic_tsc_deadline_write(&apic, 5000, 100);
	CHECK_EQ(vlapic_tsc_deadline_read(&apic), 5000);
	CHECK_EQ(vlapic_timer_next(&apic), 5000);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 200), 0);
	CHECK(!vlapic_timer_fire(&apic, 4999));
	CHECK(vlapic_timer_fire(&apic, 5000));
	CHECK_EQ(vlapic_pending(&apic), 0x33);
	CHECK_EQ(vlapic_tsc_deadline_read(&apic), 0);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK(!vlapic_timer_fire(&apic, 10000));

	/* A deadline in the past fires at the next check; 0 disarms. */
	vlapic_tsc_deadline_write(&apic, 10, 6000);
	CHECK_EQ(vlapic_timer_next(&apic), 10);
	vlapic_tsc_deadline_write(&apic, 0, 6000);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK(!vlapic_timer_fire(&apic, 7000));

	/* Leaving the mode disarms; the MSR then reads 0 and ignores
	 * writes. */
	vlapic_tsc_deadline_write(&apic, 9000, 6000);
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, 0x33);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(vlapic_tsc_deadline_read(&apic), 0);
	vlapic_tsc_deadline_write(&apic, 9000, 6000);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(vlapic_tsc_deadline_read(&apic), 0);

	/* Entering it disarms a counting timer. */
	arm(&apic, 100, 0);
	CHECK(vlapic_timer_next(&apic) != 0);
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, LVT_TIMER_DEADLINE | 0x33);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_TIMER_INITIAL), 0);

	/* Mode 3 is reserved: it never counts. */
	write_reg(&apic, VLAPIC_REG_LVT_TIMER, (3u << 17) | 0x33);
	arm(&apic, 100, 0);
	CHECK_EQ(vlapic_timer_next(&apic), 0);
	CHECK_EQ(vlapic_tsc_deadline_read(&apic), 0);
}

static void test_timer_saturation(void)
{
	struct vlapic apic;
	uint64_t near_end = UINT64_MAX - 5;

	timer_setup(&apic, 0xffffffff, LVT_TIMER_PERIODIC | 0x34);
	write_reg(&apic, VLAPIC_REG_TIMER_DIVIDE, 0xa); /* 128 */
	arm(&apic, 0xffffffff, near_end);
	CHECK_EQ(vlapic_timer_next(&apic), UINT64_MAX);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, near_end), 0);
	CHECK(!vlapic_timer_fire(&apic, near_end));

	/* The largest product that still fits: (2^32 - 1)^2 ticks. */
	timer_setup(&apic, 0xffffffff, 0x34);
	arm(&apic, 0xffffffff, 0);
	CHECK_EQ(vlapic_timer_next(&apic), 0xffffffffull * 0xffffffffull);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 0), 0xffffffff);
	CHECK_EQ(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 0xffffffff),
		 0xfffffffe);
	CHECK(!vlapic_timer_fire(&apic, 0xffffffffull * 0xfffffffeull));
	CHECK(vlapic_timer_fire(&apic, 0xffffffffull * 0xffffffffull));

	/* Saturated from 0: the count never reads above the initial one. */
	timer_setup(&apic, 0xffffffff, 0x34);
	write_reg(&apic, VLAPIC_REG_TIMER_DIVIDE, 0xa);
	arm(&apic, 0xffffffff, 0);
	CHECK_EQ(vlapic_timer_next(&apic), UINT64_MAX);
	CHECK(vlapic_read(&apic, VLAPIC_REG_TIMER_CURRENT, 0) <= 0xffffffff);
	CHECK(vlapic_timer_fire(&apic, UINT64_MAX));
}

static struct vlapic_ipi send(struct vlapic *apic, uint32_t high, uint32_t low,
			      bool *sent)
{
	struct vlapic_ipi ipi;

	memset(&ipi, 0xa5, sizeof(ipi));
	CHECK(!vlapic_write(apic, VLAPIC_REG_ICR_HIGH, high, 0, &ipi));
	*sent = vlapic_write(apic, VLAPIC_REG_ICR_LOW, low, 0, &ipi);
	return ipi;
}

static void test_icr(void)
{
	struct vlapic apic;
	struct vlapic_ipi ipi;
	bool sent;

	enabled_apic(&apic, 0, 1);
	ipi = send(&apic, 0x03000000, 0x00004031, &sent);
	CHECK(sent);
	CHECK_EQ(ipi.vector, 0x31);
	CHECK_EQ(ipi.delivery_mode, VLAPIC_DELIVERY_FIXED);
	CHECK(ipi.level_assert);
	CHECK(!ipi.logical);
	CHECK_EQ(ipi.shorthand, VLAPIC_SHORTHAND_NONE);
	CHECK_EQ(ipi.destination, 3);
	CHECK_EQ(read_reg(&apic, VLAPIC_REG_ICR_LOW) & (1u << 12), 0);

	ipi = send(&apic, 0x0c000000, 0x00004832, &sent);
	CHECK(sent && ipi.logical && ipi.destination == 0x0c);

	static const struct {
		uint32_t low;
		uint8_t shorthand;
	} shorthands[] = {
	    {0x00044040, VLAPIC_SHORTHAND_SELF},
	    {0x00084040, VLAPIC_SHORTHAND_ALL},
	    {0x000c4040, VLAPIC_SHORTHAND_OTHERS},
	};
	for (unsigned i = 0; i < 3; i++) {
		ipi = send(&apic, 0, shorthands[i].low, &sent);
		CHECK(sent);
		CHECK_EQ(ipi.shorthand, shorthands[i].shorthand);
		CHECK_EQ(ipi.vector, 0x40);
	}

	ipi = send(&apic, 0xff000000, 0x00004131, &sent);
	CHECK(sent && ipi.delivery_mode == VLAPIC_DELIVERY_LOWEST_PRIORITY);
	CHECK_EQ(ipi.destination, 0xff);
	ipi = send(&apic, 0x01000000, 0x00004400, &sent);
	CHECK(sent && ipi.delivery_mode == VLAPIC_DELIVERY_NMI);
	ipi = send(&apic, 0x01000000, 0x0000c500, &sent);
	CHECK(sent && ipi.delivery_mode == VLAPIC_DELIVERY_INIT);
	CHECK(ipi.level_assert);
	ipi = send(&apic, 0, 0x000c8500, &sent); /* INIT level de-assert */
	CHECK(sent && ipi.delivery_mode == VLAPIC_DELIVERY_INIT);
	CHECK(!ipi.level_assert);
	CHECK_EQ(ipi.shorthand, VLAPIC_SHORTHAND_OTHERS);
	ipi = send(&apic, 0x02000000, 0x00004698, &sent);
	CHECK(sent && ipi.delivery_mode == VLAPIC_DELIVERY_STARTUP);
	CHECK_EQ(ipi.vector, 0x98);
	CHECK_EQ(ipi.destination, 2);
	/* STARTUP vectors below 16 are legal (a page number). */
	ipi = send(&apic, 0x02000000, 0x00004608, &sent);
	CHECK(sent && ipi.vector == 8);
	ipi = send(&apic, 0x02000000, 0x00004200, &sent);
	CHECK(sent && ipi.delivery_mode == VLAPIC_DELIVERY_SMI);
	CHECK_EQ(latched_esr(&apic), 0);

	/* Reserved delivery modes and illegal fixed vectors send nothing. */
	send(&apic, 0, 0x00004340, &sent);
	CHECK(!sent);
	send(&apic, 0, 0x00004740, &sent);
	CHECK(!sent);
	send(&apic, 0, 0x0000400f, &sent);
	CHECK(!sent);
	send(&apic, 0, 0x00044100, &sent);
	CHECK(!sent);
	CHECK_EQ(latched_esr(&apic), VLAPIC_ESR_SEND_ILLEGAL_VECTOR);
}

static void test_matches(void)
{
	struct vlapic apic;

	enabled_apic(&apic, 3, 1);
	CHECK(vlapic_matches(&apic, 3, false));
	CHECK(!vlapic_matches(&apic, 4, false));
	CHECK(!vlapic_matches(&apic, 0, false));
	CHECK(vlapic_matches(&apic, 0xff, false));

	/* Flat model (DFR all ones): any common bit. */
	write_reg(&apic, VLAPIC_REG_LDR, 0x04000000);
	CHECK(vlapic_matches(&apic, 0x04, true));
	CHECK(vlapic_matches(&apic, 0x0c, true));
	CHECK(!vlapic_matches(&apic, 0x03, true));
	CHECK(!vlapic_matches(&apic, 0x00, true));
	CHECK(vlapic_matches(&apic, 0xff, true));
	/* The logical ID is not the physical one. */
	CHECK(vlapic_matches(&apic, 0x03, false));

	/* Cluster model: cluster 2, member bit 0. */
	write_reg(&apic, VLAPIC_REG_DFR, 0x0fffffff);
	write_reg(&apic, VLAPIC_REG_LDR, 0x21000000);
	CHECK(vlapic_matches(&apic, 0x21, true));
	CHECK(vlapic_matches(&apic, 0x23, true));
	CHECK(vlapic_matches(&apic, 0x2f, true));
	CHECK(!vlapic_matches(&apic, 0x22, true));
	CHECK(!vlapic_matches(&apic, 0x11, true));
	CHECK(!vlapic_matches(&apic, 0x20, true));
	CHECK(vlapic_matches(&apic, 0xff, true));
	/* Back to flat: the same LDR is a bitmap again. */
	write_reg(&apic, VLAPIC_REG_DFR, 0xffffffff);
	CHECK(vlapic_matches(&apic, 0x01, true));
	CHECK(vlapic_matches(&apic, 0x20, true));
	CHECK(!vlapic_matches(&apic, 0x12, true));

	/* An APIC ID beyond 8 bits matches no physical destination but the
	 * broadcast. */
	enabled_apic(&apic, 0x103, 1);
	CHECK(!vlapic_matches(&apic, 0x03, false));
	CHECK(vlapic_matches(&apic, 0xff, false));
}

static void run_tests(void)
{
	test_reset_state();
	test_reserved_bits();
	test_read_only_registers();
	test_hostile_offsets();
	test_unimplemented_register_error();
	test_esr_latching();
	test_software_disable();
	test_priority();
	test_arbitration_priority();
	test_level_triggered_eoi();
	test_timer_one_shot();
	test_timer_divide();
	test_timer_periodic();
	test_timer_masked();
	test_timer_tsc_deadline();
	test_timer_saturation();
	test_icr();
	test_matches();
}
