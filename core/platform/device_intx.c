/* SPDX-License-Identifier: MIT */
/*
 * The INTx of owned PCI functions (docs/devices.md, "INTx"). A host
 * IOAPIC input that an owned device drives belongs to that device's
 * partition (core/passthrough/passthrough_intx.c refuses anything else at
 * boot) and appears there as its virtual IOAPIC's pin of the same number,
 * which the partition's _PRT names. The input's redirection entry goes
 * through the IOMMU to a host vector of its own on the physical CPU that
 * runs the vCPU the pin's entry names, and follows that entry when the
 * guest changes it. A level-triggered line is handled as a level: on
 * arrival the host input is masked (mask on receive) and its remote IRR
 * cleared, and the virtual pin asserted; when the
 * guest ends the interrupt (its EOI of the pin's level-triggered vector)
 * the pin is released and the host input unmasked, so a device still
 * asserting raises it again. A pin the guest masks or makes
 * edge-triggered keeps the host input masked.
 */
#include "device_intx.h"

#include "arch/x86_64/percpu.h"
#include "arch/x86_64/spinlock.h"
#include "core/passthrough/passthrough.h"
#include "ioapic_input.h"
#include "lapic_model.h"

#define NO_VCPU 0xffffffffu

struct intx_line {
	struct partition *owner; /* NULL: a free line */
	uint8_t gsi;		 /* host input = the partition's pin */
	bool in_service;	 /* masked at arrival, until the guest's EOI */
	bool routed;		 /* the IOMMU and IOAPIC entries exist */
	bool unmasked;		 /* the host input is unmasked */
	uint32_t apic_id;	 /* where it is routed */
};

static struct intx_line lines[DEVICE_INTX_LINES];
static unsigned line_count;
static struct spinlock lock;

static uint8_t line_vector(unsigned line)
{
	return (uint8_t)(DEVICE_INTX_VECTOR_BASE + line);
}

bool device_intx_reserve(struct partition *p, uint32_t index)
{
	int gsi = passthrough_intx_gsi(p, index);

	if (gsi < 0)
		return true;
	for (unsigned k = 0; k < line_count; k++)
		if (lines[k].owner == p && lines[k].gsi == gsi)
			return true; /* a line its devices share */
	if (line_count == DEVICE_INTX_LINES)
		return false;
	lines[line_count++] =
	    (struct intx_line){.owner = p, .gsi = (uint8_t)gsi};
	return true;
}

void device_intx_reset(struct partition *p)
{
	spin_lock(&lock);
	for (unsigned k = 0; k < line_count; k++) {
		struct intx_line *l = &lines[k];

		if (l->owner != p)
			continue;
		passthrough_intx_mask(l->gsi, true);
		l->in_service = l->unmasked = false;
		/* The route itself was removed by the stop; a new one is
		 * written when the guest unmasks its pin. */
		l->routed = false;
	}
	spin_unlock(&lock);
}

/* The vCPU whose APIC the route names (physical or logical: the first
 * that matches), or NO_VCPU. */
static uint32_t target_of(struct partition *p,
			  const struct vioapic_route *route)
{
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		if (vlapic_matches(&p->vcpus[v]->apic, route->destination,
				   route->logical))
			return v;
	return NO_VCPU;
}

/* Line k follows its pin's entry (under lock). */
static void line_update(struct partition *p, unsigned k)
{
	struct intx_line *l = &lines[k];
	struct vioapic_route route;
	bool masked = true;

	spin_lock(&p->ioapic_lock);
	vioapic_route_of(&p->ioapic, l->gsi, &route, &masked);
	bool held =
	    vioapic_in_service(&p->ioapic, route.vector) & (1u << l->gsi);
	spin_unlock(&p->ioapic_lock);
	uint32_t target = target_of(p, &route);
	bool deliverable =
	    !masked && route.level && route.vector >= 16 &&
	    (route.delivery_mode == VIOAPIC_DELIVERY_FIXED ||
	     route.delivery_mode == VIOAPIC_DELIVERY_LOWEST_PRIORITY) &&
	    target != NO_VCPU;

	if (l->in_service && !held && !route.level) {
		/* Made edge-triggered while held: no EOI will come. */
		virtual_ioapic_level(p, l->gsi, false);
		l->in_service = false;
	}
	if (!deliverable) {
		if (l->unmasked)
			passthrough_intx_mask(l->gsi, true);
		l->unmasked = false;
		return;
	}
	uint32_t apic_id = p->vcpus[target]->cpu->apic_id;
	bool unmask = !l->in_service;

	if (!l->routed || l->apic_id != apic_id) {
		l->routed = passthrough_intx_route(
		    l->gsi, line_vector(k), apic_id, line_vector(k), !unmask);
		l->apic_id = apic_id;
		l->unmasked = l->routed && unmask;
		return;
	}
	if (unmask != l->unmasked)
		passthrough_intx_mask(l->gsi, !unmask);
	l->unmasked = unmask;
}

void device_intx_changed(struct partition *p)
{
	spin_lock(&lock);
	for (unsigned k = 0; k < line_count; k++)
		if (lines[k].owner == p)
			line_update(p, k);
	spin_unlock(&lock);
}

void device_intx_eoi(struct partition *p, uint32_t pins)
{
	if (!pins)
		return;
	spin_lock(&lock);
	for (unsigned k = 0; k < line_count; k++) {
		struct intx_line *l = &lines[k];

		if (l->owner != p || !(pins & (1u << l->gsi)) || !l->in_service)
			continue;
		virtual_ioapic_level(p, l->gsi, false);
		l->in_service = false;
		line_update(p, k);
	}
	spin_unlock(&lock);
}

bool device_intx_vector(uint8_t vector)
{
	return vector >= DEVICE_INTX_VECTOR_BASE &&
	       vector < DEVICE_INTX_VECTOR_BASE + DEVICE_INTX_LINES;
}

void device_intx_interrupt(uint8_t vector)
{
	unsigned k = vector - DEVICE_INTX_VECTOR_BASE;

	if (!device_intx_vector(vector) || k >= line_count)
		return;
	struct intx_line *l = &lines[k];
	struct partition *p = l->owner;

	spin_lock(&lock);
	passthrough_intx_received(l->gsi);
	l->unmasked = false;
	l->in_service = true;
	spin_unlock(&lock);
	virtual_ioapic_level(p, l->gsi, true);
}
