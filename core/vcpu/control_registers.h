/* SPDX-License-Identifier: MIT */
/*
 * The architectural rules of guest writes to CR0, CR4, CR8 and EFER (Intel
 * SDM vol. 2, "MOV—Move to/from Control Registers" and vol. 3, 4.1; AMD
 * APM vol. 2, 3.1): which writes raise #GP, the value a legal write loads,
 * and when a write loads the PAE PDPTEs. The CR4 and EFER bits a guest may
 * set follow from the CPUID it sees. Pure, shared by both backends.
 */
#ifndef BULKHEAD_CORE_VCPU_CONTROL_REGISTERS_H
#define BULKHEAD_CORE_VCPU_CONTROL_REGISTERS_H

#include <stdbool.h>
#include <stdint.h>

#define CR0_FLAG_PE (1ull << 0)
#define CR0_FLAG_TS (1ull << 3)
#define CR0_FLAG_ET (1ull << 4)
#define CR0_FLAG_WP (1ull << 16)
#define CR0_FLAG_NW (1ull << 29)
#define CR0_FLAG_CD (1ull << 30)
#define CR0_FLAG_PG (1ull << 31)
/* The CR0 bits that exist (PE MP EM TS ET NE WP AM NW CD PG); writes of
 * the other low bits are ignored, of bits 63:32 refused. */
#define CR0_DEFINED    0xe005003full
#define CR4_FLAG_PAE   (1ull << 5)
#define CR4_FLAG_PGE   (1ull << 7)
#define CR4_FLAG_PSE   (1ull << 4)
#define CR4_FLAG_LA57  (1ull << 12)
#define CR4_FLAG_VMXE  (1ull << 13)
#define CR4_FLAG_PCIDE (1ull << 17)
#define CR4_FLAG_SMEP  (1ull << 20)
#define CR4_FLAG_SMAP  (1ull << 21)
#define CR4_FLAG_CET   (1ull << 23)
#define EFER_FLAG_LME  (1ull << 8)
#define EFER_FLAG_LMA  (1ull << 10)

/* The guest's control registers as the guest sees them. */
struct control_state {
	uint64_t cr0, cr3, cr4, efer;
	bool code_64bit; /* EFER.LMA and CS.L: 64-bit mode */
};

/* What the guest may set, from the CPUID it is shown. */
struct control_limits {
	uint64_t cr4_allowed;
	uint64_t efer_allowed; /* LMA excluded: it is the CPU's */
	unsigned physical_address_bits;
};

/* The CPUID words the limits depend on (0 for an absent leaf). */
struct control_cpuid {
	uint32_t leaf1_ecx, leaf1_edx;
	uint32_t leaf7_ebx, leaf7_ecx;
	uint32_t extended1_ecx, extended1_edx;
	uint32_t extended8_eax;
};

void control_limits_from_cpuid(const struct control_cpuid *cpuid,
			       struct control_limits *limits);

/* Each returns false when the write raises #GP; otherwise *result is the
 * value the register takes. */
bool control_cr0_write(const struct control_state *state, uint64_t value,
		       uint64_t *result);
bool control_cr4_write(const struct control_state *state,
		       const struct control_limits *limits, uint64_t value,
		       uint64_t *result);
bool control_efer_write(const struct control_state *state,
			const struct control_limits *limits, uint64_t value,
			uint64_t *result);
bool control_cr8_write(uint64_t value, uint8_t *tpr);

/* CR0 after LMSW (it sets PE, MP, EM, TS but never clears PE) and CLTS. */
uint64_t control_lmsw(uint64_t cr0, uint16_t source);
uint64_t control_clts(uint64_t cr0);

/* EFER.LMA follows CR0.PG while EFER.LME is set. */
uint64_t control_efer_after_cr0(uint64_t efer, uint64_t cr0);

/* Whether a CR0 or CR4 write from `before` to `after` loads the four
 * PDPTEs: PAE paging outside IA-32e mode, entered or with PG, CD, NW, PAE,
 * PGE, PSE, SMEP or SMAP changed. */
bool control_write_loads_pdptes(const struct control_state *before,
				const struct control_state *after);
/* A PDPTE the CPU refuses (#GP): present with a reserved bit set. */
bool control_pdpte_valid(uint64_t pdpte, unsigned physical_address_bits);

#endif
