/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the rules of an owned device's INTx line
 * (core/platform/intx_line_model.c): routed and unmasked only while the
 * partition's pin is deliverable and nothing is in service, masked from
 * arrival to the guest's EOI, moved with the pin's destination, masked
 * when the guest masks or breaks its pin, released when a held pin turns
 * edge-triggered.
 */
#include "check.h"
#include "core/platform/intx_line_model.h"
#include "core/platform/ioapic_model.h"

CHECK_MAIN("test_intx_line_model")

static struct intx_pin good_pin(uint32_t cpu)
{
	return (struct intx_pin){ .level = true,
				  .vector = 0x23,
				  .delivery_mode = VIOAPIC_DELIVERY_FIXED,
				  .has_target = true,
				  .target_apic_id = cpu };
}

static void test_routing(void)
{
	struct intx_line line;
	struct intx_pin pin = good_pin(2);
	struct intx_step step;

	intx_line_reset(&line);
	/* Masked at power-on: nothing to do. */
	pin.masked = true;
	step = intx_line_follow(&line, &pin);
	CHECK(!step.route && !step.set_mask && !step.release_pin);
	CHECK(!line.routed);
	/* Unmasked: routed to the vCPU's CPU, unmasked. */
	pin.masked = false;
	step = intx_line_follow(&line, &pin);
	CHECK(step.route);
	CHECK(!step.masked);
	CHECK_EQ(line.apic_id, 2);
	CHECK(line.unmasked);
	/* The same again: nothing. */
	step = intx_line_follow(&line, &pin);
	CHECK(!step.route && !step.set_mask);
	/* Moved to another vCPU: routed there. */
	pin.target_apic_id = 3;
	step = intx_line_follow(&line, &pin);
	CHECK(step.route && !step.masked);
	CHECK_EQ(line.apic_id, 3);
	/* Masked by the guest: the input is masked, the route kept. */
	pin.masked = true;
	step = intx_line_follow(&line, &pin);
	CHECK(step.set_mask && step.masked && !step.route);
	CHECK(!line.unmasked);
	CHECK(line.routed);
	/* Unmasked again on the same CPU: unmasked, no new route. */
	pin.masked = false;
	step = intx_line_follow(&line, &pin);
	CHECK(step.set_mask && !step.masked && !step.route);
	/* A failed route leaves the line unrouted, so the next follow
	 * tries again. */
	intx_line_route_failed(&line);
	CHECK(!line.routed && !line.unmasked);
	step = intx_line_follow(&line, &pin);
	CHECK(step.route);
}

static void test_not_deliverable(void)
{
	struct intx_line line;
	struct intx_pin pin;
	struct intx_step step;

	/* Each of these keeps the input masked: edge-triggered, a vector
	 * below 16, NMI delivery, no vCPU of the partition. */
	for (int k = 0; k < 4; k++) {
		intx_line_reset(&line);
		pin = good_pin(1);
		CHECK(intx_line_follow(&line, &pin).route);
		if (k == 0)
			pin.level = false;
		if (k == 1)
			pin.vector = 15;
		if (k == 2)
			pin.delivery_mode = VIOAPIC_DELIVERY_NMI;
		if (k == 3)
			pin.has_target = false;
		step = intx_line_follow(&line, &pin);
		CHECK(step.set_mask && step.masked);
		CHECK(!line.unmasked);
	}
	/* Lowest priority delivery is fine. */
	intx_line_reset(&line);
	pin = good_pin(1);
	pin.delivery_mode = VIOAPIC_DELIVERY_LOWEST_PRIORITY;
	step = intx_line_follow(&line, &pin);
	CHECK(step.route && !step.masked);
}

static void test_in_service(void)
{
	struct intx_line line;
	struct intx_pin pin = good_pin(1);
	struct intx_step step;

	intx_line_reset(&line);
	intx_line_follow(&line, &pin);
	/* Arrival: masked (the caller masks) and in service. */
	intx_line_arrived(&line);
	CHECK(line.in_service && !line.unmasked);
	pin.held = true;
	/* A follow meanwhile (the guest touched its IOAPIC) keeps it
	 * masked; a move routes it masked. */
	step = intx_line_follow(&line, &pin);
	CHECK(!step.set_mask && !step.route);
	pin.target_apic_id = 4;
	step = intx_line_follow(&line, &pin);
	CHECK(step.route && step.masked);
	CHECK(!line.unmasked);
	/* The guest's EOI: ended once, then unmasked by the follow. */
	CHECK(intx_line_ended(&line));
	CHECK(!intx_line_ended(&line));
	pin.held = false;
	step = intx_line_follow(&line, &pin);
	CHECK(step.set_mask && !step.masked);
	CHECK(line.unmasked);
}

static void test_edge_while_held(void)
{
	struct intx_line line;
	struct intx_pin pin = good_pin(1);
	struct intx_step step;

	intx_line_reset(&line);
	intx_line_follow(&line, &pin);
	intx_line_arrived(&line);
	/* The guest turns the pin edge-triggered (its remote IRR drops):
	 * no EOI will come, so the pin is released; the input stays masked,
	 * an edge pin is not delivered. */
	pin.level = false;
	pin.held = false;
	step = intx_line_follow(&line, &pin);
	CHECK(step.release_pin);
	CHECK(!line.in_service);
	CHECK(!line.unmasked);
	/* Level again: unmasked. */
	pin.level = true;
	step = intx_line_follow(&line, &pin);
	CHECK(step.set_mask && !step.masked && !step.release_pin);
	/* Masked while in service (no remote IRR: masked before delivery):
	 * not released, still in service until its EOI. */
	intx_line_arrived(&line);
	pin.masked = true;
	step = intx_line_follow(&line, &pin);
	CHECK(!step.release_pin);
	CHECK(line.in_service);
}

static void run_tests(void)
{
	test_routing();
	test_not_deliverable();
	test_in_service();
	test_edge_while_held();
}
