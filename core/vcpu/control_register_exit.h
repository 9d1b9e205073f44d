/* SPDX-License-Identifier: MIT */
/*
 * Exits for control registers and cache flushes, emulated with the rules
 * of core/vcpu/control_registers.c: checked CR0/CR4 writes (with LMSW and
 * CLTS), the guest's task priority in CR8, and WBINVD, WBNOINVD and INVD,
 * which never reach the hardware (docs/isolation.md). On SVM without
 * decode assists the instruction at RIP is decoded first.
 */
#ifndef BULKHEAD_CORE_VCPU_CONTROL_REGISTER_EXIT_H
#define BULKHEAD_CORE_VCPU_CONTROL_REGISTER_EXIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;
struct vcpu_exit;

/* Each emulates the exit (advancing RIP, or injecting the #GP hardware
 * would raise); false with a reason when the partition must stop. */
bool control_register_exit(struct vcpu *vcpu, const struct vcpu_exit *exit,
			   char *error, size_t error_size);
bool cache_flush_exit(struct vcpu *vcpu, const struct vcpu_exit *exit,
		      char *error, size_t error_size);

/* The vCPU's task priority, CR8 (0-15): the vCPU's own without the PC
 * platform, its local APIC's TPR[7:4] with it. */
uint8_t vcpu_task_priority(const struct vcpu *vcpu);

#endif
