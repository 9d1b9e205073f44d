/* SPDX-License-Identifier: MIT */
/*
 * The input side of a partition's virtual IOAPIC
 * (core/platform/ioapic_model.c): levels held and released on its pins
 * (owned devices' INTx lines) and the interrupts it then sends, to the
 * vCPU or vCPUs a pin's entry names, with its trigger mode: a
 * level-triggered one sets the vector's TMR bit in the virtual local
 * APIC, so the guest's EOI comes back to the IOAPIC (core/platform/apic.c).
 */
#include "ioapic_input.h"

#include "core/vcpu/vcpu_kick.h"
#include "lapic_model.h"

void virtual_ioapic_deliver(struct partition *p,
			    const struct vioapic_route *route)
{
	for (uint32_t v = 0; v < p->vcpu_count; v++) {
		struct vcpu *target = p->vcpus[v];

		if (!vlapic_matches(&target->apic, route->destination,
				    route->logical))
			continue;
		if (route->level)
			vcpu_raise_level_interrupt(target, route->vector);
		else
			vcpu_raise_interrupt(target, route->vector);
		if (!route->logical || route->delivery_mode == 1)
			break; /* physical: one CPU; lowest priority: any one */
	}
}

void virtual_ioapic_level(struct partition *p, unsigned pin, bool asserted)
{
	struct vioapic_route route;
	bool routed = false;

	spin_lock(&p->ioapic_lock);
	if (asserted)
		routed = vioapic_assert(&p->ioapic, pin, &route);
	else
		vioapic_deassert(&p->ioapic, pin);
	spin_unlock(&p->ioapic_lock);
	if (routed)
		virtual_ioapic_deliver(p, &route);
}

void virtual_ioapic_redeliver(struct partition *p, uint32_t pins)
{
	while (pins) {
		unsigned pin = (unsigned)__builtin_ctz(pins);
		struct vioapic_route route;

		pins &= pins - 1;
		if (!vioapic_assert(&p->ioapic, pin, &route))
			continue;
		spin_unlock(&p->ioapic_lock);
		virtual_ioapic_deliver(p, &route);
		spin_lock(&p->ioapic_lock);
	}
}
