/* SPDX-License-Identifier: MIT */
/*
 * The AMD-V virtual machine control block (AMD APM vol. 2, appendix B): the
 * control area at offset 0 and the state-save area at 0x400, as offsets
 * rather than a struct so every field's position is explicit and checked.
 */
#ifndef BULKHEAD_VMX_SVM_VMCB_H
#define BULKHEAD_VMX_SVM_VMCB_H

#include <stdint.h>

/* Control area. */
#define VMCB_INTERCEPT_CR 0x000
#define VMCB_INTERCEPT_DR 0x004
#define VMCB_INTERCEPT_EXCEPTIONS 0x008
#define VMCB_INTERCEPT_MISC1 0x00c
#define VMCB_INTERCEPT_MISC2 0x010
#define VMCB_IOPM_BASE 0x040
#define VMCB_MSRPM_BASE 0x048
#define VMCB_TSC_OFFSET 0x050
#define VMCB_GUEST_ASID 0x058
#define VMCB_TLB_CONTROL 0x05c
#define VMCB_VINTR 0x060
#define VMCB_INTERRUPT_SHADOW 0x068
#define VMCB_EXIT_CODE 0x070
#define VMCB_EXIT_INFO1 0x078
#define VMCB_EXIT_INFO2 0x080
#define VMCB_EXIT_INT_INFO 0x088
#define VMCB_NESTED_CONTROL 0x090
#define VMCB_EVENT_INJECTION 0x0a8
#define VMCB_NESTED_CR3 0x0b0
#define VMCB_CLEAN_BITS 0x0c0
#define VMCB_NEXT_RIP 0x0c8

/* State-save area: segments are 16 bytes (selector, attributes, limit,
 * base). */
#define VMCB_ES 0x400
#define VMCB_CS 0x410
#define VMCB_SS 0x420
#define VMCB_DS 0x430
#define VMCB_FS 0x440
#define VMCB_GS 0x450
#define VMCB_GDTR 0x460
#define VMCB_LDTR 0x470
#define VMCB_IDTR 0x480
#define VMCB_TR 0x490
#define VMCB_CPL 0x4cb
#define VMCB_EFER 0x4d0
#define VMCB_CR4 0x548
#define VMCB_CR3 0x550
#define VMCB_CR0 0x558
#define VMCB_DR7 0x560
#define VMCB_DR6 0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP 0x578
#define VMCB_RSP 0x5d8
#define VMCB_RAX 0x5f8
#define VMCB_CR2 0x640
#define VMCB_GUEST_PAT 0x668

/* INTERCEPT_CR bits: reads of CRn are bit n, writes bit 16 + n. */
#define SVM_INTERCEPT_CR_READ(n) (1u << (n))
#define SVM_INTERCEPT_CR_WRITE(n) (1u << (16 + (n)))
/* INTERCEPT_MISC1 bits. */
#define SVM_INTERCEPT_INTR (1u << 0)
#define SVM_INTERCEPT_NMI (1u << 1)
#define SVM_INTERCEPT_SMI (1u << 2)
#define SVM_INTERCEPT_INIT (1u << 3)
#define SVM_INTERCEPT_VINTR (1u << 4)
#define SVM_INTERCEPT_RDPMC (1u << 15)
#define SVM_INTERCEPT_CPUID (1u << 18)
#define SVM_INTERCEPT_INVD (1u << 22)
#define SVM_INTERCEPT_HLT (1u << 24)
#define SVM_INTERCEPT_INVLPGA (1u << 26)
#define SVM_INTERCEPT_IOIO (1u << 27)
#define SVM_INTERCEPT_MSR (1u << 28)
#define SVM_INTERCEPT_TASK_SWITCH (1u << 29)
#define SVM_INTERCEPT_SHUTDOWN (1u << 31)
/* INTERCEPT_MISC2 bits. */
#define SVM_INTERCEPT_VMRUN (1u << 0)
#define SVM_INTERCEPT_VMMCALL (1u << 1)
#define SVM_INTERCEPT_VMLOAD (1u << 2)
#define SVM_INTERCEPT_VMSAVE (1u << 3)
#define SVM_INTERCEPT_STGI (1u << 4)
#define SVM_INTERCEPT_CLGI (1u << 5)
#define SVM_INTERCEPT_SKINIT (1u << 6)
#define SVM_INTERCEPT_RDTSCP (1u << 7)
#define SVM_INTERCEPT_ICEBP (1u << 8)
#define SVM_INTERCEPT_WBINVD (1u << 9) /* also WBNOINVD */
#define SVM_INTERCEPT_MONITOR (1u << 10)
#define SVM_INTERCEPT_MWAIT (1u << 11)
#define SVM_INTERCEPT_MWAIT_ARMED (1u << 12)
#define SVM_INTERCEPT_XSETBV (1u << 13)

/* Exit codes. */
#define SVM_EXIT_READ_CR8 0x08
#define SVM_EXIT_WRITE_CR0 0x10 /* MOV to CR0, LMSW, CLTS */
#define SVM_EXIT_WRITE_CR4 0x14
#define SVM_EXIT_WRITE_CR8 0x18
#define SVM_EXIT_EXCEPTION_BASE 0x40
#define SVM_EXIT_INTR 0x60
#define SVM_EXIT_NMI 0x61
#define SVM_EXIT_SMI 0x62
#define SVM_EXIT_INIT 0x63
#define SVM_EXIT_VINTR 0x64
#define SVM_EXIT_RDPMC 0x6f
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_INVD 0x76
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_INVLPGA 0x7a
#define SVM_EXIT_IOIO 0x7b
#define SVM_EXIT_MSR 0x7c
#define SVM_EXIT_TASK_SWITCH 0x7d
#define SVM_EXIT_SHUTDOWN 0x7f
#define SVM_EXIT_VMRUN 0x80
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_VMLOAD 0x82
#define SVM_EXIT_VMSAVE 0x83
#define SVM_EXIT_STGI 0x84
#define SVM_EXIT_CLGI 0x85
#define SVM_EXIT_SKINIT 0x86
#define SVM_EXIT_RDTSCP 0x87
#define SVM_EXIT_WBINVD 0x89
#define SVM_EXIT_MONITOR 0x8a
#define SVM_EXIT_MWAIT 0x8b
#define SVM_EXIT_MWAIT_ARMED 0x8c
#define SVM_EXIT_XSETBV 0x8d
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffu

#define SVM_EVENT_VALID (1ull << 31)
#define SVM_EVENT_ERROR_CODE (1ull << 11)
#define SVM_EVENT_TYPE_EXCEPTION (3ull << 8)
#define SVM_EVENT_TYPE_INTERRUPT (0ull << 8)
#define SVM_VINTR_IRQ (1ull << 8)
#define SVM_VINTR_IGNORE_TPR (1ull << 20)
#define SVM_VINTR_MASKING (1ull << 24)
#define SVM_INTERRUPT_SHADOW 1ull

static inline uint64_t vmcb_read64(const void *vmcb, unsigned offset)
{
	return *(const volatile uint64_t *)((const uint8_t *)vmcb + offset);
}

static inline void vmcb_write64(void *vmcb, unsigned offset, uint64_t value)
{
	*(volatile uint64_t *)((uint8_t *)vmcb + offset) = value;
}

static inline uint32_t vmcb_read32(const void *vmcb, unsigned offset)
{
	return *(const volatile uint32_t *)((const uint8_t *)vmcb + offset);
}

static inline void vmcb_write32(void *vmcb, unsigned offset, uint32_t value)
{
	*(volatile uint32_t *)((uint8_t *)vmcb + offset) = value;
}

static inline void vmcb_write8(void *vmcb, unsigned offset, uint8_t value)
{
	*(volatile uint8_t *)((uint8_t *)vmcb + offset) = value;
}

static inline uint8_t vmcb_read8(const void *vmcb, unsigned offset)
{
	return *(const volatile uint8_t *)((const uint8_t *)vmcb + offset);
}

static inline void vmcb_write_segment(void *vmcb, unsigned offset,
				      uint16_t selector, uint16_t attributes,
				      uint32_t limit, uint64_t base)
{
	uint8_t *segment = (uint8_t *)vmcb + offset;

	*(volatile uint16_t *)segment = selector;
	*(volatile uint16_t *)(segment + 2) = attributes;
	*(volatile uint32_t *)(segment + 4) = limit;
	*(volatile uint64_t *)(segment + 8) = base;
}

#endif
