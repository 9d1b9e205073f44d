/* SPDX-License-Identifier: MIT */
/*
 * Guest writes to CR0, CR4, CR8 and EFER: the #GP conditions of both
 * vendors' manuals and the value a legal write loads; see
 * control_registers.h.
 */
#include "control_registers.h"

#define CR4_FLAG_VME	    (1ull << 0)
#define CR4_FLAG_PVI	    (1ull << 1)
#define CR4_FLAG_TSD	    (1ull << 2)
#define CR4_FLAG_DE	    (1ull << 3)
#define CR4_FLAG_MCE	    (1ull << 6)
#define CR4_FLAG_PCE	    (1ull << 8)
#define CR4_FLAG_OSFXSR	    (1ull << 9)
#define CR4_FLAG_OSXMMEXCPT (1ull << 10)
#define CR4_FLAG_UMIP	    (1ull << 11)
#define CR4_FLAG_FSGSBASE   (1ull << 16)
#define CR4_FLAG_OSXSAVE    (1ull << 18)
#define CR4_FLAG_PKE	    (1ull << 22)
#define EFER_FLAG_SCE	    (1ull << 0)
#define EFER_FLAG_NXE	    (1ull << 11)
#define EFER_FLAG_FFXSR	    (1ull << 14)
#define EFER_FLAG_TCE	    (1ull << 15)
#define PDPTE_PRESENT	    1ull
#define PDPTE_RESERVED_LOW  0x1e6ull /* bits 2:1 and 8:5 */

struct feature_bit {
	uint64_t bit;
	const uint32_t *word;
	uint32_t flag;
};

static uint64_t offered(const struct feature_bit *bits, unsigned count)
{
	uint64_t allowed = 0;

	for (unsigned i = 0; i < count; i++)
		if (*bits[i].word & bits[i].flag)
			allowed |= bits[i].bit;
	return allowed;
}

/* Only bits whose state the CPU switches with the guest are offered:
 * never VMXE or SMXE (no nested virtualization), nor CET, PKS, key locker,
 * user interrupts or LAM, whose MSRs a guest does not get. */
void control_limits_from_cpuid(const struct control_cpuid *c,
			       struct control_limits *limits)
{
	const struct feature_bit cr4[] = {
	    {CR4_FLAG_VME, &c->leaf1_edx, 1u << 1},
	    {CR4_FLAG_PVI, &c->leaf1_edx, 1u << 1},
	    {CR4_FLAG_TSD, &c->leaf1_edx, 1u << 4},
	    {CR4_FLAG_DE, &c->leaf1_edx, 1u << 2},
	    {CR4_FLAG_PSE, &c->leaf1_edx, 1u << 3},
	    {CR4_FLAG_PAE, &c->leaf1_edx, 1u << 6},
	    {CR4_FLAG_MCE, &c->leaf1_edx, 1u << 7},
	    {CR4_FLAG_PGE, &c->leaf1_edx, 1u << 13},
	    {CR4_FLAG_OSFXSR, &c->leaf1_edx, 1u << 24},
	    {CR4_FLAG_OSXMMEXCPT, &c->leaf1_edx, 1u << 25},
	    {CR4_FLAG_UMIP, &c->leaf7_ecx, 1u << 2},
	    {CR4_FLAG_LA57, &c->leaf7_ecx, 1u << 16},
	    {CR4_FLAG_FSGSBASE, &c->leaf7_ebx, 1u << 0},
	    {CR4_FLAG_PCIDE, &c->leaf1_ecx, 1u << 17},
	    {CR4_FLAG_OSXSAVE, &c->leaf1_ecx, 1u << 26},
	    {CR4_FLAG_SMEP, &c->leaf7_ebx, 1u << 7},
	    {CR4_FLAG_SMAP, &c->leaf7_ebx, 1u << 20},
	    {CR4_FLAG_PKE, &c->leaf7_ecx, 1u << 3},
	};
	const struct feature_bit efer[] = {
	    {EFER_FLAG_SCE, &c->extended1_edx, 1u << 11},
	    {EFER_FLAG_LME, &c->extended1_edx, 1u << 29},
	    {EFER_FLAG_NXE, &c->extended1_edx, 1u << 20},
	    {EFER_FLAG_FFXSR, &c->extended1_edx, 1u << 25},
	    {EFER_FLAG_TCE, &c->extended1_ecx, 1u << 17},
	};
	unsigned bits = c->extended8_eax & 0xff;

	limits->cr4_allowed =
	    offered(cr4, sizeof(cr4) / sizeof(cr4[0])) | CR4_FLAG_PCE;
	limits->efer_allowed = offered(efer, sizeof(efer) / sizeof(efer[0]));
	limits->physical_address_bits = bits >= 32 && bits <= 52 ? bits : 36;
}

bool control_cr0_write(const struct control_state *s, uint64_t value,
		       uint64_t *result)
{
	bool paging_before = s->cr0 & CR0_FLAG_PG;
	bool paging_after = value & CR0_FLAG_PG;

	if (value >> 32)
		return false;
	if ((value & CR0_FLAG_PG) && !(value & CR0_FLAG_PE))
		return false;
	if ((value & CR0_FLAG_NW) && !(value & CR0_FLAG_CD))
		return false;
	if (!paging_before && paging_after && (s->efer & EFER_FLAG_LME) &&
	    !(s->cr4 & CR4_FLAG_PAE))
		return false; /* IA-32e mode needs PAE */
	if (paging_before && !paging_after &&
	    (s->code_64bit || (s->cr4 & CR4_FLAG_PCIDE)))
		return false; /* leave 64-bit mode first; PCIDE needs paging */
	if (!(value & CR0_FLAG_WP) && (s->cr4 & CR4_FLAG_CET))
		return false;
	*result = (value & CR0_DEFINED) | CR0_FLAG_ET;
	return true;
}

bool control_cr4_write(const struct control_state *s,
		       const struct control_limits *limits, uint64_t value,
		       uint64_t *result)
{
	bool long_mode = s->efer & EFER_FLAG_LMA;
	uint64_t changed = s->cr4 ^ value;

	if (value & ~limits->cr4_allowed)
		return false;
	if (long_mode && !(value & CR4_FLAG_PAE))
		return false;
	if (long_mode && (changed & CR4_FLAG_LA57))
		return false;
	if ((changed & value & CR4_FLAG_PCIDE) &&
	    (!long_mode || (s->cr3 & 0xfff)))
		return false;
	if ((value & CR4_FLAG_CET) && !(s->cr0 & CR0_FLAG_WP))
		return false;
	*result = value;
	return true;
}

bool control_efer_write(const struct control_state *s,
			const struct control_limits *limits, uint64_t value,
			uint64_t *result)
{
	if (value & ~(limits->efer_allowed | EFER_FLAG_LMA))
		return false;
	if (((value ^ s->efer) & EFER_FLAG_LME) && (s->cr0 & CR0_FLAG_PG))
		return false;
	*result = (value & ~EFER_FLAG_LMA) | (s->efer & EFER_FLAG_LMA);
	return true;
}

bool control_cr8_write(uint64_t value, uint8_t *tpr)
{
	if (value > 15)
		return false;
	*tpr = (uint8_t)value;
	return true;
}

uint64_t control_lmsw(uint64_t cr0, uint16_t source)
{
	return (cr0 & ~0xeull) | (source & 0xf) | (cr0 & CR0_FLAG_PE);
}

uint64_t control_clts(uint64_t cr0)
{
	return cr0 & ~CR0_FLAG_TS;
}

uint64_t control_efer_after_cr0(uint64_t efer, uint64_t cr0)
{
	if ((efer & EFER_FLAG_LME) && (cr0 & CR0_FLAG_PG))
		return efer | EFER_FLAG_LMA;
	return efer & ~EFER_FLAG_LMA;
}

static bool pae_paging(const struct control_state *s)
{
	return (s->cr0 & CR0_FLAG_PG) && (s->cr4 & CR4_FLAG_PAE) &&
	       !(s->efer & EFER_FLAG_LME);
}

bool control_write_loads_pdptes(const struct control_state *before,
				const struct control_state *after)
{
	uint64_t cr0_bits = CR0_FLAG_PG | CR0_FLAG_CD | CR0_FLAG_NW;
	uint64_t cr4_bits = CR4_FLAG_PAE | CR4_FLAG_PGE | CR4_FLAG_PSE |
			    CR4_FLAG_SMEP | CR4_FLAG_SMAP;

	if (!pae_paging(after))
		return false;
	return !pae_paging(before) || ((before->cr0 ^ after->cr0) & cr0_bits) ||
	       ((before->cr4 ^ after->cr4) & cr4_bits);
}

bool control_pdpte_valid(uint64_t pdpte, unsigned physical_address_bits)
{
	uint64_t reserved = PDPTE_RESERVED_LOW | ~0ull << physical_address_bits;

	return !(pdpte & PDPTE_PRESENT) || !(pdpte & reserved);
}
