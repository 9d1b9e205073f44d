/* SPDX-License-Identifier: MIT */
/* The PC platform's emulated ports; see pc_ports.c. */
#ifndef BULKHEAD_CORE_PLATFORM_PC_PORTS_H
#define BULKHEAD_CORE_PLATFORM_PC_PORTS_H

#include "core/partition/partition.h"

/* Handles the port if it is one of the platform's; *value is what an IN
 * reads. False for any other port (denied by the caller). */
bool platform_port_emulate(struct vcpu *vcpu, const struct vcpu_exit *exit,
			   uint32_t *value);

#endif
