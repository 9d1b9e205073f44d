/* SPDX-License-Identifier: MIT */
/*
 * One owned device's INTx line as the hypervisor handles it (docs/
 * devices.md, "INTx"): a host IOAPIC input that follows the partition's
 * IOAPIC pin of the same number. The rules, kept apart from the hardware
 * so they are unit-tested on the host: the input is routed to the CPU of
 * the vCPU the pin's entry names and unmasked only while that entry is
 * deliverable and no interrupt is in service; an arrival masks it until
 * the guest ends the interrupt (its EOI); a pin made edge-triggered while
 * held will see no EOI, so it is released. Pure: the caller does what the
 * returned step says (core/platform/device_intx.c).
 */
#ifndef BULKHEAD_CORE_PLATFORM_INTX_LINE_MODEL_H
#define BULKHEAD_CORE_PLATFORM_INTX_LINE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

struct intx_line {
	bool in_service; /* arrived, masked, until the guest's EOI */
	bool routed;	 /* the IOMMU and IOAPIC entries exist */
	bool unmasked;	 /* the host input is unmasked */
	uint32_t apic_id; /* the physical CPU it is routed to */
};

/* What the partition's pin says now. */
struct intx_pin {
	bool masked;
	bool level;
	bool held;	 /* remote IRR set: delivered, not yet ended */
	uint8_t vector;
	uint8_t delivery_mode; /* VIOAPIC_DELIVERY_* */
	bool has_target;       /* a vCPU of the partition matches */
	uint32_t target_apic_id; /* that vCPU's physical CPU */
};

/* What the caller does, in this order. */
struct intx_step {
	bool release_pin; /* deassert the partition's pin */
	bool route;	  /* (re)route to line->apic_id, masked or not */
	bool set_mask;	  /* mask (or unmask) the routed input */
	bool masked;	  /* for route and set_mask: the input's mask */
};

/* Power-on: not routed, masked, nothing in service. */
void intx_line_reset(struct intx_line *line);
/* The pin changed (or its EOI came): brings the line in step with it.
 * The caller reports a failed route with intx_line_route_failed. */
struct intx_step intx_line_follow(struct intx_line *line,
				  const struct intx_pin *pin);
void intx_line_route_failed(struct intx_line *line);
/* The input's interrupt arrived: the caller masks the input and asserts
 * the pin. */
void intx_line_arrived(struct intx_line *line);
/* The guest ended the pin's interrupt; true when it was in service (the
 * caller releases the pin, then follows the pin again). */
bool intx_line_ended(struct intx_line *line);

#endif
