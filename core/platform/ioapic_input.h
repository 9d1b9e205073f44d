/* SPDX-License-Identifier: MIT */
/* The input side of the virtual IOAPIC; see ioapic_input.c. */
#ifndef BULKHEAD_CORE_PLATFORM_IOAPIC_INPUT_H
#define BULKHEAD_CORE_PLATFORM_IOAPIC_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/partition/partition.h"

/* Sends the interrupt of a pin's route to the vCPUs it names (physical:
 * one; logical: every match, or one for lowest priority). */
void virtual_ioapic_deliver(struct partition *p,
			    const struct vioapic_route *route);
/* A level on pin held (asserted) or released: an owned device's INTx
 * line (core/platform/device_intx.c). Takes the IOAPIC's lock. */
void virtual_ioapic_level(struct partition *p, unsigned pin, bool asserted);
/* Delivers each of pins again; called with the IOAPIC's lock held,
 * which it drops and takes back around each delivery. */
void virtual_ioapic_redeliver(struct partition *p, uint32_t pins);

#endif
