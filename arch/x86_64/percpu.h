/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. Each CPU's stack is CPU_STACK_SIZE bytes, aligned to its
 * size, with struct cpu at its base: this_cpu() is a mask of RSP, so the
 * hypervisor needs neither GS nor an MSR to find it (the guest's FS, GS and
 * KernelGSBase can stay loaded across VM exits).
 */
#ifndef BULKHEAD_ARCH_PERCPU_H
#define BULKHEAD_ARCH_PERCPU_H

#include <stdint.h>

#define CPU_STACK_SIZE (32 * 1024)

struct vcpu;

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t io_map_base;
} __attribute__((packed));

struct cpu {
	uint32_t index;   /* config CPU number; 0 is the boot CPU */
	uint32_t apic_id;
	struct vcpu *vcpu; /* the vCPU this CPU runs, or NULL */
	volatile uint32_t online;
	uint64_t gdt[5];
	struct tss64 tss;
	void *virt_host_area; /* vendor state: SVM host save area */
	uint64_t virt_host_area_physical;
};

static inline struct cpu *this_cpu(void)
{
	uint64_t rsp;

	__asm__("mov %%rsp, %0" : "=r"(rsp));
	return (struct cpu *)(rsp & ~(uint64_t)(CPU_STACK_SIZE - 1));
}

static inline uint64_t cpu_stack_top(struct cpu *cpu)
{
	return (uint64_t)(uintptr_t)cpu + CPU_STACK_SIZE;
}

extern struct cpu *cpus[];
extern uint32_t cpu_count;

/* Loads this CPU's GDT, TSS and the shared IDT. */
void cpu_load_descriptors(struct cpu *cpu);
void idt_init(void);

/* Switches to the given stack and calls function(argument); never returns. */
__attribute__((noreturn)) void arch_switch_stack(uint64_t stack_top,
						 void (*function)(void *),
						 void *argument);

#endif
