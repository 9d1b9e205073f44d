/* SPDX-License-Identifier: MIT */
/*
 * Making a vCPU look at its state again: a kick (the wake flag, then an
 * NMI to its CPU; the contract is in vcpu.h at vcpu_run) and an interrupt
 * raised on it. Used by whoever changes a vCPU's state from outside its
 * exit loop: state changes, doorbells, IPIs.
 */
#ifndef BULKHEAD_CORE_VCPU_VCPU_KICK_H
#define BULKHEAD_CORE_VCPU_VCPU_KICK_H

#include <stdint.h>

#include "core/partition/partition.h"

/* Marks an interrupt pending on a vCPU and kicks it. */
void vcpu_raise_interrupt(struct vcpu *vcpu, uint8_t vector);
/* The same, level-triggered (an IOAPIC's level pin): the virtual APIC
 * sets its TMR bit, so the guest's EOI is reported back
 * (core/platform/apic.c). The PC platform only. */
void vcpu_raise_level_interrupt(struct vcpu *vcpu, uint8_t vector);
/* Makes a vCPU leave guest mode or its idle wait soon. */
void vcpu_kick(struct vcpu *vcpu);

#endif
