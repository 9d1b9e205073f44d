/* SPDX-License-Identifier: MIT */
/* Waiting for a kick without losing it; see idle.S. */
#ifndef BULKHEAD_ARCH_IDLE_H
#define BULKHEAD_ARCH_IDLE_H

#include <stdint.h>

void idle_until_woken(volatile uint64_t *flag);

#endif
