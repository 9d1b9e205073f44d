/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers around the x86-64 instructions the hypervisor uses: port
 * I/O, MSRs, CPUID, control registers, the TSC. No policy lives here.
 */
#ifndef BULKHEAD_ARCH_CPU_H
#define BULKHEAD_ARCH_CPU_H

#include <stdint.h>

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_EFER 0xc0000080
#define MSR_FS_BASE 0xc0000100
#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define EFER_SVME (1ull << 12)
#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define RFLAGS_IF (1ull << 9)

struct cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_result cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_result r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t index)
{
	uint32_t low, high;

	__asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(index));
	return ((uint64_t)high << 32) | low;
}

static inline void wrmsr(uint32_t index, uint64_t value)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(index), "a"((uint32_t)value),
			   "d"((uint32_t)(value >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t low, high;

	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return ((uint64_t)high << 32) | low;
}

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void outw(uint16_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t value;

	__asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void outl(uint16_t port, uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t value;

	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

#define DEFINE_CR_ACCESS(n)                                                    \
	static inline uint64_t read_cr##n(void)                               \
	{                                                                      \
		uint64_t value;                                                \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(value));         \
		return value;                                                  \
	}                                                                      \
	static inline void write_cr##n(uint64_t value)                        \
	{                                                                      \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(value) : "memory"); \
	}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * Ends the NMI blocking a VM exit caused by an NMI leaves behind (the SDM:
 * after such an exit NMIs stay blocked until the next IRET): an IRETQ to
 * the next instruction, with interrupts kept as they are. Without it every
 * later NMI kick to this CPU would be held pending for ever.
 */
static inline void nmi_unblock(void)
{
	uint64_t scratch;

	__asm__ volatile("movq %%rsp, %0\n\t"
			 "pushq $0\n\t"
			 "movw %%ss, (%%rsp)\n\t"
			 "pushq %0\n\t"
			 "pushfq\n\t"
			 "pushq $0\n\t"
			 "movw %%cs, (%%rsp)\n\t"
			 "leaq 1f(%%rip), %0\n\t"
			 "pushq %0\n\t"
			 "iretq\n"
			 "1:"
			 : "=&r"(scratch)
			 :
			 : "memory", "cc");
}

static inline void mmio_write32(uint64_t address, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)address = value;
}

static inline uint32_t mmio_read32(uint64_t address)
{
	return *(volatile uint32_t *)(uintptr_t)address;
}

static inline void mmio_write64(uint64_t address, uint64_t value)
{
	*(volatile uint64_t *)(uintptr_t)address = value;
}

static inline uint64_t mmio_read64(uint64_t address)
{
	return *(volatile uint64_t *)(uintptr_t)address;
}

/* Writes the cache line holding address back to memory, for devices that
 * read it without snooping (an IOMMU without page-walk coherency). */
static inline void cpu_flush_line(const volatile void *address)
{
	__asm__ volatile("clflush %0" : "+m"(*(volatile char *)address));
}

/* Writes back every cache line of this CPU (boot time only). */
static inline void cpu_write_back_caches(void)
{
	__asm__ volatile("wbinvd" : : : "memory");
}

#endif
