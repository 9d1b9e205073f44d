/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own GDT and TSS, one per CPU: a 64-bit code segment, a
 * data segment and a TSS. Interrupt gates use no IST, so the TSS is never
 * consulted while the hypervisor runs; it exists because the CPU requires a
 * valid TR (VMX checks the host TR on every VM entry).
 */
#include "percpu.h"

#include <stddef.h>

#define SELECTOR_CODE 0x08
#define SELECTOR_DATA 0x10
#define SELECTOR_TSS 0x18

struct descriptor_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void fill_gdt(struct cpu *cpu)
{
	uint64_t tss = (uint64_t)(uintptr_t)&cpu->tss;
	uint64_t limit = sizeof(cpu->tss) - 1;

	cpu->gdt[0] = 0;
	cpu->gdt[1] = 0x00af9b000000ffffull; /* 64-bit code, DPL 0 */
	cpu->gdt[2] = 0x00cf93000000ffffull; /* data, DPL 0 */
	cpu->gdt[3] = (limit & 0xffff) | ((tss & 0xffffff) << 16) |
		      (0x89ull << 40) | ((limit >> 16 & 0xf) << 48) |
		      ((tss >> 24 & 0xff) << 56);
	cpu->gdt[4] = tss >> 32;
	cpu->tss.io_map_base = sizeof(cpu->tss);
}

void cpu_load_descriptors(struct cpu *cpu)
{
	struct descriptor_pointer gdtr = { sizeof(cpu->gdt) - 1,
					   (uint64_t)(uintptr_t)cpu->gdt };

	fill_gdt(cpu);
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 "mov %%eax, %%es\n\t"
			 "mov %%eax, %%ss\n\t"
			 "xor %%eax, %%eax\n\t"
			 "mov %%eax, %%fs\n\t"
			 "mov %%eax, %%gs\n\t"
			 "mov %3, %%eax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(gdtr), "i"(SELECTOR_CODE), "i"(SELECTOR_DATA),
			   "i"(SELECTOR_TSS)
			 : "rax", "memory");
	idt_init();
}
