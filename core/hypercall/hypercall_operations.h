/* SPDX-License-Identifier: MIT */
/* The hypervisor's side of each hypercall, for core/hypercall/hypercall_dispatch.c. */
#ifndef BULKHEAD_CORE_HYPERCALL_HYPERCALL_OPERATIONS_H
#define BULKHEAD_CORE_HYPERCALL_HYPERCALL_OPERATIONS_H

#include "hypercall_dispatch.h"

extern const struct hypercall_operations hypercall_operations;

#endif
