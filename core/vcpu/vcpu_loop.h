/* SPDX-License-Identifier: MIT */
/* The exit loop of a vCPU's CPU; see vcpu_loop.c. */
#ifndef BULKHEAD_CORE_VCPU_VCPU_LOOP_H
#define BULKHEAD_CORE_VCPU_VCPU_LOOP_H

#include "core/partition/partition.h"

/* The life of the CPU that runs vcpu: never returns. */
__attribute__((noreturn)) void vcpu_thread(struct vcpu *vcpu);

#endif
