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
 * arrival the host input is masked (mask on receive), its remote IRR
 * cleared and the virtual pin asserted; when the guest ends the
 * interrupt (its EOI of the pin's level-triggered vector) the pin is
 * released and the host input unmasked, so a device still asserting
 * raises it again. A pin the guest masks or makes edge-triggered keeps
 * the host input masked. The rules are intx_line_model.c's; this file
 * does what they say. Runs on any CPU (the guest's IOAPIC writes and
 * EOIs on its vCPU's, arrivals on the routed CPU) under one lock, taken
 * before a partition's IOAPIC lock; nothing here allocates after boot.
 */
#include "device_intx.h"

#include "arch/x86_64/percpu.h"
#include "arch/x86_64/spinlock.h"
#include "core/passthrough/passthrough.h"
#include "intx_line_model.h"
#include "ioapic_input.h"
#include "lapic_model.h"

#define NO_VCPU 0xffffffffu

/* A line: whose it is, which input, and its state (intx_line_model.c). */
struct owned_line {
	struct partition *owner; /* NULL: a free line */
	uint8_t gsi;		 /* host input = the partition's pin */
	struct intx_line state;
};

static struct owned_line lines[DEVICE_INTX_LINES];
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
	lines[line_count] = (struct owned_line){.owner = p, .gsi = (uint8_t)gsi};
	intx_line_reset(&lines[line_count++].state);
	return true;
}

void device_intx_reset(struct partition *p)
{
	spin_lock(&lock);
	for (unsigned k = 0; k < line_count; k++) {
		if (lines[k].owner != p)
			continue;
		/* The route itself was removed by the stop; a new one is
		 * written when the guest unmasks its pin. */
		passthrough_intx_mask(lines[k].gsi, true);
		intx_line_reset(&lines[k].state);
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
	struct owned_line *l = &lines[k];
	struct vioapic_route route;
	bool masked = true;

	spin_lock(&p->ioapic_lock);
	vioapic_route_of(&p->ioapic, l->gsi, &route, &masked);
	bool held =
	    vioapic_in_service(&p->ioapic, route.vector) & (1u << l->gsi);
	spin_unlock(&p->ioapic_lock);
	uint32_t target = target_of(p, &route);
	struct intx_pin pin = {
	    .masked = masked,
	    .level = route.level,
	    .held = held,
	    .vector = route.vector,
	    .delivery_mode = route.delivery_mode,
	    .has_target = target != NO_VCPU,
	    .target_apic_id =
		target != NO_VCPU ? p->vcpus[target]->cpu->apic_id : 0,
	};
	struct intx_step step = intx_line_follow(&l->state, &pin);

	if (step.release_pin)
		virtual_ioapic_level(p, l->gsi, false);
	if (step.route &&
	    !passthrough_intx_route(l->gsi, line_vector(k), l->state.apic_id,
				    line_vector(k), step.masked))
		intx_line_route_failed(&l->state);
	if (step.set_mask)
		passthrough_intx_mask(l->gsi, step.masked);
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
		struct owned_line *l = &lines[k];

		if (l->owner != p || !(pins & (1u << l->gsi)) ||
		    !intx_line_ended(&l->state))
			continue;
		virtual_ioapic_level(p, l->gsi, false);
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
	struct owned_line *l = &lines[k];
	struct partition *p = l->owner;

	spin_lock(&lock);
	passthrough_intx_received(l->gsi);
	intx_line_arrived(&l->state);
	spin_unlock(&lock);
	virtual_ioapic_level(p, l->gsi, true);
}
