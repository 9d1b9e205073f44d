/* SPDX-License-Identifier: MIT */
/*
 * The MSR policy shared by both backends: a short list of MSRs a guest may
 * access directly because the CPU keeps a separate guest copy of each, and
 * the emulation of the few intercepted ones a guest may use. Every other
 * MSR access raises #GP in the guest. The list is documented in
 * docs/isolation.md.
 */
#ifndef BULKHEAD_CORE_VCPU_MSR_POLICY_H
#define BULKHEAD_CORE_VCPU_MSR_POLICY_H

#include <stdbool.h>
#include <stdint.h>

extern const uint32_t msr_passthrough[];
extern const uint32_t msr_passthrough_count;

struct vcpu;

/* Handles an intercepted RDMSR/WRMSR; returns false when the guest must
 * get #GP. */
bool msr_read(struct vcpu *vcpu, uint32_t index, uint64_t *value);
bool msr_write(struct vcpu *vcpu, uint32_t index, uint64_t value);

#endif
