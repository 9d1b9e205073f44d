/* SPDX-License-Identifier: MIT */
/* Control-register and cache-flush exits; see control_register_exit.h. */
#include "control_register_exit.h"

#include <bulkhead/x86_decode_system.h>

#include "core/partition/partition.h"
#include "lib/format.h"
#include "control_registers.h"
#include "guest_instruction.h"

#define VECTOR_GENERAL_PROTECTION 13
#define ACCESS_MOV_TO		  0
#define ACCESS_MOV_FROM		  1
#define ACCESS_CLTS		  2
#define ACCESS_LMSW		  3
#define PDPTE_COUNT		  4

/* What the instruction at RIP does, as the exit describes it. */
struct access {
	unsigned number, kind, gpr;
	uint16_t lmsw_source;
	uint64_t next_rip;
};

uint8_t vcpu_task_priority(const struct vcpu *vcpu)
{
	if (vcpu->cpuid_view.pc_platform)
		return (uint8_t)(vcpu->apic.tpr >> 4);
	return vcpu->tpr;
}

static void set_task_priority(struct vcpu *vcpu, uint8_t priority)
{
	if (vcpu->cpuid_view.pc_platform)
		vcpu->apic.tpr = (uint32_t)priority << 4; /* TPR[3:0] clear */
	else
		vcpu->tpr = priority;
}

static uint64_t after_instruction(uint64_t rip, unsigned length,
				  unsigned code_bits)
{
	uint64_t next = rip + length;

	return code_bits == 64	 ? next
	       : code_bits == 32 ? (uint32_t)next
				 : (uint16_t)next;
}

static bool unknown_instruction(const char *what, const uint8_t *bytes,
				size_t got, uint64_t rip, char *error,
				size_t size)
{
	format(error, size,
	       "%s exit by an instruction the hypervisor does not emulate "
	       "(%02x %02x %02x %02x) at RIP 0x%llx",
	       what, got > 0 ? bytes[0] : 0, got > 1 ? bytes[1] : 0,
	       got > 2 ? bytes[2] : 0, got > 3 ? bytes[3] : 0,
	       (unsigned long long)rip);
	return false;
}

/* Whether the decoded instruction is one the exit can stand for. */
static bool matches(const struct x86_system_instruction *insn, unsigned number,
		    unsigned kind)
{
	switch (insn->kind) {
	case X86_MOV_TO_CR:
		return kind == ACCESS_MOV_TO && insn->control == number;
	case X86_MOV_FROM_CR:
		return kind == ACCESS_MOV_FROM && insn->control == number;
	case X86_LMSW:
	case X86_CLTS:
		return kind == ACCESS_MOV_TO && number == 0;
	default:
		return false;
	}
}

/* SVM: the exit names the register and the direction; the instruction
 * gives the rest. */
static bool decode_access(struct vcpu *vcpu, struct access *a, char *error,
			  size_t size)
{
	uint8_t bytes[X86_MAX_INSTRUCTION_LENGTH];
	struct x86_system_instruction insn;
	unsigned code_bits;
	uint64_t rip = backend->vcpu_rip(vcpu);
	size_t got = guest_fetch_instruction(vcpu, bytes, &code_bits);

	if (!x86_decode_system(bytes, got, code_bits, &insn) ||
	    !matches(&insn, a->number, a->kind))
		return unknown_instruction("control-register", bytes, got, rip,
					   error, size);
	a->gpr = insn.gpr;
	a->next_rip = after_instruction(rip, insn.length, code_bits);
	if (insn.kind == X86_CLTS)
		a->kind = ACCESS_CLTS;
	if (insn.kind == X86_LMSW) {
		uint64_t *source = guest_register(vcpu, insn.gpr);

		if (!source)
			return unknown_instruction("control-register", bytes,
						   got, rip, error, size);
		a->kind = ACCESS_LMSW;
		a->lmsw_source = (uint16_t)*source;
	}
	return true;
}

/* The four PDPTEs at CR3 (32-byte aligned); false with a reason when the
 * table is outside the partition's memory. */
static bool read_pdptes(struct vcpu *vcpu, uint64_t cr3, uint64_t *pdptes,
			char *error, size_t size)
{
	uint64_t table = cr3 & 0xffffffe0ull;

	if (guest_read_physical(vcpu->partition, table, pdptes,
				PDPTE_COUNT * sizeof(uint64_t)))
		return true;
	format(error, size,
	       "PAE page-directory pointers at guest-physical "
	       "0x%llx outside its memory",
	       (unsigned long long)table);
	return false;
}

static void general_protection(struct vcpu *vcpu)
{
	backend->vcpu_inject_exception(vcpu, VECTOR_GENERAL_PROTECTION, true,
				       0);
}

/* A checked write of CR0 or CR4 with what it implies. */
static bool write_control(struct vcpu *vcpu, const struct control_state *s,
			  unsigned number, uint64_t value, uint64_t next_rip,
			  char *error, size_t size)
{
	struct control_state after = *s;
	uint64_t pdptes[PDPTE_COUNT];
	bool loads_pdptes;
	bool ok;

	if (number == 0)
		ok = control_cr0_write(s, value, &after.cr0);
	else
		ok = control_cr4_write(s, &vcpu->control_limits, value,
				       &after.cr4);
	if (!ok) {
		general_protection(vcpu);
		return true;
	}
	if (number == 0)
		after.efer = control_efer_after_cr0(s->efer, after.cr0);
	loads_pdptes = control_write_loads_pdptes(s, &after);
	if (loads_pdptes) {
		if (!read_pdptes(vcpu, s->cr3, pdptes, error, size))
			return false;
		for (unsigned i = 0; i < PDPTE_COUNT; i++)
			if (!control_pdpte_valid(
				pdptes[i],
				vcpu->control_limits.physical_address_bits)) {
				general_protection(vcpu);
				return true;
			}
	}
	backend->vcpu_set_control_register(vcpu, number,
					   number == 0 ? after.cr0 : after.cr4,
					   loads_pdptes ? pdptes : NULL);
	backend->vcpu_set_rip(vcpu, next_rip);
	return true;
}

static bool move_to(struct vcpu *vcpu, const struct control_state *s,
		    const struct access *a, char *error, size_t size)
{
	uint64_t *source = guest_register(vcpu, a->gpr);
	uint64_t value;
	uint8_t priority;

	if (!source) {
		format(error, size, "MOV to CR%u from RSP is not emulated",
		       a->number);
		return false;
	}
	value = s->code_64bit ? *source : (uint32_t)*source;
	switch (a->number) {
	case 0:
	case 4:
		return write_control(vcpu, s, a->number, value, a->next_rip,
				     error, size);
	case 8:
		if (!control_cr8_write(value, &priority)) {
			general_protection(vcpu);
			return true;
		}
		set_task_priority(vcpu, priority);
		backend->vcpu_set_rip(vcpu, a->next_rip);
		return true;
	default:
		format(error, size, "MOV to CR%u is not emulated", a->number);
		return false;
	}
}

bool control_register_exit(struct vcpu *vcpu, const struct vcpu_exit *exit,
			   char *error, size_t size)
{
	struct access a = {
	    .number = exit->control_register.number,
	    .kind = exit->control_register.access,
	    .gpr = exit->control_register.gpr,
	    .lmsw_source = exit->control_register.lmsw_source,
	    .next_rip = exit->next_rip,
	};
	struct control_state state;
	uint64_t *target;

	if (exit->instruction_unknown && !decode_access(vcpu, &a, error, size))
		return false;
	backend->vcpu_control_state(vcpu, &state);
	switch (a.kind) {
	case ACCESS_MOV_TO:
		return move_to(vcpu, &state, &a, error, size);
	case ACCESS_MOV_FROM:
		target = guest_register(vcpu, a.gpr);
		if (a.number != 8 || !target) {
			format(error, size, "MOV from CR%u is not emulated",
			       a.number);
			return false;
		}
		*target = vcpu_task_priority(vcpu);
		backend->vcpu_set_rip(vcpu, a.next_rip);
		return true;
	case ACCESS_CLTS:
		return write_control(vcpu, &state, 0, control_clts(state.cr0),
				     a.next_rip, error, size);
	default:
		return write_control(vcpu, &state, 0,
				     control_lmsw(state.cr0, a.lmsw_source),
				     a.next_rip, error, size);
	}
}

bool cache_flush_exit(struct vcpu *vcpu, const struct vcpu_exit *exit,
		      char *error, size_t size)
{
	uint8_t bytes[X86_MAX_INSTRUCTION_LENGTH];
	struct x86_system_instruction insn;
	unsigned code_bits;
	uint64_t rip;
	size_t got;

	/* Nothing to do: see docs/isolation.md. Only RIP moves on. */
	if (!exit->instruction_unknown) {
		backend->vcpu_set_rip(vcpu, exit->next_rip);
		return true;
	}
	rip = backend->vcpu_rip(vcpu);
	got = guest_fetch_instruction(vcpu, bytes, &code_bits);
	if (!x86_decode_system(bytes, got, code_bits, &insn) ||
	    (insn.kind != X86_WBINVD && insn.kind != X86_INVD))
		return unknown_instruction("cache-flush", bytes, got, rip,
					   error, size);
	backend->vcpu_set_rip(vcpu,
			      after_instruction(rip, insn.length, code_bits));
	return true;
}
