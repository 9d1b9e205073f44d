/* SPDX-License-Identifier: MIT */
/*
 * The panic path: a hypervisor bug stops the whole machine with a report
 * of the CPU, its registers and the last VM exit of the vCPU it ran.
 */
#ifndef BULKHEAD_ARCH_PANIC_H
#define BULKHEAD_ARCH_PANIC_H

struct interrupt_frame;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *format,
							   ...);
__attribute__((noreturn)) void panic_exception(struct interrupt_frame *frame);

#endif
