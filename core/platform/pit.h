/* SPDX-License-Identifier: MIT */
/* The PC platform's 8254 PIT; see pit.c. */
#ifndef BULKHEAD_CORE_PLATFORM_PIT_H
#define BULKHEAD_CORE_PLATFORM_PIT_H

#include <stdint.h>

#include "core/partition/partition.h"

#define PIT_PORT_BASE  0x40
#define PIT_PORT_COUNT 4

/* An IN or OUT at port 0x40-0x43; *value is what an IN reads. */
void virtual_pit_port(struct vcpu *vcpu, const struct vcpu_exit *exit,
		      uint32_t *value);
/* Before each entry of the partition's vCPU 0: true when a period is due,
 * which the caller raises as an edge on IOAPIC input PC_PIT_GSI. */
bool virtual_pit_tick(struct vcpu *vcpu);
/* TSC of the PIT's next interrupt if this vCPU delivers it, else 0. */
uint64_t virtual_pit_next(const struct vcpu *vcpu);

#endif
