/* SPDX-License-Identifier: MIT */
/*
 * A subset of the VM-entry guest-state checks (Intel SDM vol. 3, 27.3.1),
 * evaluated in software after the CPU refused an entry, so the log can say
 * which rule the guest state broke. Pure; unit-tested.
 */
#include "vmx_diagnose.h"

#include <stdbool.h>

#include "vmcs.h"

#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define ACCESS_UNUSABLE (1u << 16)
#define ACCESS_TYPE(a) ((a) & 0xf)
#define ACCESS_S (1u << 4)
#define ACCESS_DPL(a) (((a) >> 5) & 3)
#define ACCESS_PRESENT (1u << 7)
#define ACCESS_LONG (1u << 13)
#define ACCESS_DB (1u << 14)

static bool canonical(uint64_t address)
{
	int64_t high = (int64_t)address >> 47;

	return high == 0 || high == -1;
}

const char *vmx_guest_state_violation(const struct vmx_guest_state *s)
{
	bool ia32e = s->entry_controls & ENTRY_IA32E_GUEST;

	if ((s->cr0 & s->cr0_fixed0) != s->cr0_fixed0 ||
	    (s->cr0 & ~s->cr0_fixed1))
		return "guest CR0 violates the VMX fixed bits (IA32_VMX_CR0_FIXED0/1)";
	if ((s->cr4 & s->cr4_fixed0) != s->cr4_fixed0 ||
	    (s->cr4 & ~s->cr4_fixed1))
		return "guest CR4 violates the VMX fixed bits (IA32_VMX_CR4_FIXED0/1)";
	if (ia32e && (!(s->cr0 & CR0_PG) || !(s->cr4 & CR4_PAE)))
		return "IA-32e mode guest without CR0.PG and CR4.PAE";
	if (ia32e != !!(s->efer & EFER_LMA) ||
	    (s->cr0 & CR0_PG && !!(s->efer & EFER_LMA) != !!(s->efer & EFER_LME)))
		return "guest EFER.LMA/LME do not match the IA-32e mode entry control";
	if (s->efer & ~0xd01ull)
		return "guest EFER has reserved bits set";
	if (s->cs_access & ACCESS_UNUSABLE || !(s->cs_access & ACCESS_PRESENT) ||
	    !(s->cs_access & ACCESS_S) || !(ACCESS_TYPE(s->cs_access) & 8))
		return "guest CS is not a present code segment";
	if (ia32e && (s->cs_access & ACCESS_LONG) && (s->cs_access & ACCESS_DB))
		return "guest CS has both L and D/B set";
	if (!(s->ss_access & ACCESS_UNUSABLE) &&
	    ACCESS_DPL(s->ss_access) != ACCESS_DPL(s->cs_access) &&
	    ACCESS_TYPE(s->cs_access) != 3)
		return "guest SS.DPL differs from CS.DPL";
	if (s->tr_access & ACCESS_UNUSABLE || !(s->tr_access & ACCESS_PRESENT) ||
	    (ACCESS_TYPE(s->tr_access) != 11 &&
	     !(ACCESS_TYPE(s->tr_access) == 3 && !ia32e)))
		return "guest TR is not a present busy TSS";
	if (!(s->ldtr_access & ACCESS_UNUSABLE) &&
	    (ACCESS_TYPE(s->ldtr_access) != 2 ||
	     !(s->ldtr_access & ACCESS_PRESENT)))
		return "guest LDTR is usable but not a present LDT";
	if (!(s->rflags & 2) || (s->rflags & 0xffffffffffc08028ull))
		return "guest RFLAGS reserved bits are wrong";
	if (ia32e && (s->rflags & (1ull << 17)))
		return "guest RFLAGS.VM set in IA-32e mode";
	if (!canonical(s->rip))
		return "guest RIP is not canonical";
	if (s->activity > 3)
		return "guest activity state is invalid";
	if (s->link_pointer != ~0ull)
		return "VMCS link pointer is not all ones";
	return 0;
}
