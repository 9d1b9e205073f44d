/* SPDX-License-Identifier: MIT */
/* The rules of an owned device's INTx line; see intx_line_model.h. */
#include "intx_line_model.h"

#include "ioapic_model.h"

void intx_line_reset(struct intx_line *line)
{
	*line = (struct intx_line){ 0 };
}

/* Whether an interrupt of the pin can reach the partition: unmasked,
 * level-triggered (an edge would never be ended), fixed or lowest
 * priority, a vector the guest may take, a vCPU of its own. */
static bool deliverable(const struct intx_pin *pin)
{
	return !pin->masked && pin->level && pin->vector >= 16 &&
	       (pin->delivery_mode == VIOAPIC_DELIVERY_FIXED ||
		pin->delivery_mode == VIOAPIC_DELIVERY_LOWEST_PRIORITY) &&
	       pin->has_target;
}

struct intx_step intx_line_follow(struct intx_line *line,
				  const struct intx_pin *pin)
{
	struct intx_step step = { 0 };

	if (line->in_service && !pin->held && !pin->level) {
		/* Made edge-triggered while held: no EOI will come. */
		step.release_pin = true;
		line->in_service = false;
	}
	if (!deliverable(pin)) {
		if (line->unmasked)
			step.set_mask = step.masked = true;
		line->unmasked = false;
		return step;
	}
	bool unmask = !line->in_service;

	if (!line->routed || line->apic_id != pin->target_apic_id) {
		step.route = true;
		step.masked = !unmask;
		line->routed = true;
		line->apic_id = pin->target_apic_id;
		line->unmasked = unmask;
		return step;
	}
	if (unmask != line->unmasked) {
		step.set_mask = true;
		step.masked = !unmask;
	}
	line->unmasked = unmask;
	return step;
}

void intx_line_route_failed(struct intx_line *line)
{
	line->routed = line->unmasked = false;
}

void intx_line_arrived(struct intx_line *line)
{
	line->unmasked = false;
	line->in_service = true;
}

bool intx_line_ended(struct intx_line *line)
{
	bool was = line->in_service;

	line->in_service = false;
	return was;
}
