/* SPDX-License-Identifier: MIT */
/* The PC platform's local APICs and IOAPIC; see apic.c. */
#ifndef BULKHEAD_CORE_PLATFORM_APIC_H
#define BULKHEAD_CORE_PLATFORM_APIC_H

#include <stddef.h>

#include "core/partition/partition.h"
#include "pc.h"

/* Whether a stage-2 fault at address is an access to an emulated device. */
bool virtual_apic_is_device(const struct partition *p, uint64_t address);
/* Emulates the faulting instruction; false (with error) when it cannot. */
bool virtual_apic_mmio(struct vcpu *vcpu, const struct vcpu_exit *exit,
		       char *error, size_t error_size);
/* IA32_APIC_BASE and IA32_TSC_DEADLINE; false for other MSRs. */
bool virtual_apic_msr_read(struct vcpu *vcpu, uint32_t index, uint64_t *value);
bool virtual_apic_msr_write(struct vcpu *vcpu, uint32_t index, uint64_t value);
/* An edge on an IOAPIC input (the UART, a channel doorbell). */
void virtual_ioapic_pin(struct partition *p, unsigned pin);
/* Before each entry: moves posted vectors in, fires the timer, injects. */
void virtual_apic_deliver(struct vcpu *vcpu);
bool virtual_apic_wake_pending(struct vcpu *vcpu);
void virtual_apic_arm_host_timer(struct vcpu *vcpu);

#endif
