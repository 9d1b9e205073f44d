/* SPDX-License-Identifier: MIT */
/* Port I/O policy: each partition's virtual UART, and deny by default. */
#ifndef BULKHEAD_CORE_PLATFORM_PORT_IO_H
#define BULKHEAD_CORE_PLATFORM_PORT_IO_H

#include <stdint.h>

#include "core/partition/partition.h"

#define VIRTUAL_UART_BASE 0x3f8
#define VIRTUAL_UART_PORTS 8

/* Handles an intercepted IN or OUT of one to four bytes. */
void port_io_emulate(struct vcpu *vcpu, const struct vcpu_exit *exit);

#endif
