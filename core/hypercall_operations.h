/* SPDX-License-Identifier: MIT */
/* The hypervisor's side of each hypercall, for core/hypercall.c. */
#ifndef BULKHEAD_CORE_HYPERCALL_OPERATIONS_H
#define BULKHEAD_CORE_HYPERCALL_OPERATIONS_H

#include "hypercall.h"

extern const struct hypercall_operations hypercall_operations;

#endif
