/* SPDX-License-Identifier: MIT */
/*
 * The panic path: a hypervisor bug stops the whole machine with a report
 * of the CPU, its registers and the last VM exit of the vCPU it ran.
 */
#ifndef BULKHEAD_CORE_BASE_PANIC_H
#define BULKHEAD_CORE_BASE_PANIC_H

struct interrupt_frame;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *format,
							   ...);
__attribute__((noreturn)) void panic_exception(struct interrupt_frame *frame);
/* What a panic prints after the registers, and how it ends the run (set
 * once by the core at boot; until then a panic only halts the CPU). */
void panic_set_report(void (*hook)(void));

#endif
