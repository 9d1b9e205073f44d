/* SPDX-License-Identifier: MIT */
/* Fetching the guest's instruction and naming its registers; see
 * guest_instruction.h. */
#include "guest_instruction.h"

#include <bulkhead/guest_walk.h>
#include <string.h>

#include "core/partition/partition.h"

bool guest_read_physical(void *partition, uint64_t address, void *out,
			 unsigned size)
{
	const struct partition *p = partition;

	if (address >= p->memory_size || size > p->memory_size - address)
		return false;
	memcpy(out, (const uint8_t *)(uintptr_t)p->memory_base + address, size);
	return true;
}

size_t guest_fetch_instruction(struct vcpu *vcpu,
			       uint8_t bytes[X86_MAX_INSTRUCTION_LENGTH],
			       unsigned *code_bits)
{
	struct guest_paging paging;
	uint64_t linear = backend->vcpu_rip(vcpu);

	backend->vcpu_paging(vcpu, &paging, code_bits);
	if (*code_bits != 64)
		linear = (uint32_t)(backend->vcpu_code_base(vcpu) + linear);
	return guest_read_virtual(&paging, linear, guest_read_physical,
				  vcpu->partition, bytes,
				  X86_MAX_INSTRUCTION_LENGTH);
}

uint64_t *guest_register(struct vcpu *vcpu, unsigned index)
{
	struct vcpu_registers *r = &vcpu->registers;
	uint64_t *slots[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx,
			       NULL,	&r->rbp, &r->rsi, &r->rdi,
			       &r->r8,	&r->r9,	 &r->r10, &r->r11,
			       &r->r12, &r->r13, &r->r14, &r->r15};

	return index < 16 ? slots[index] : NULL;
}
