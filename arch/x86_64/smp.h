/* SPDX-License-Identifier: MIT */
/* Bringing up the application processors with INIT-SIPI-SIPI. */
#ifndef BULKHEAD_ARCH_SMP_H
#define BULKHEAD_ARCH_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "percpu.h"

/* Copies the trampoline to page (below 1 MiB) with the given CR3. */
void smp_prepare(uint64_t page, uint64_t cr3);
/* Starts one AP at entry(cpu) on its own stack; true once it is online. */
bool smp_start_cpu(struct cpu *cpu, void (*entry)(struct cpu *),
		   uint64_t tsc_hz);

#endif
