/* SPDX-License-Identifier: MIT */
/* Fetching the guest's instruction and naming its registers; see
 * guest_instruction.h. */
#include "guest_instruction.h"

#include <bulkhead/guest_walk.h>
#include <string.h>

#include "core/partition/partition.h"
#include "lib/format.h"

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

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* Reads the operand of a store (register or immediate). */
static bool store_value(struct vcpu *vcpu, const struct x86_mmio_access *a,
			uint64_t *value)
{
	if (a->kind == X86_MMIO_STORE_IMMEDIATE) {
		*value = a->immediate & size_mask(a->size);
		return true;
	}
	uint64_t *slot = guest_register(vcpu, a->reg);
	if (!slot)
		return false;
	*value = (a->high_byte ? *slot >> 8 : *slot) & size_mask(a->size);
	return true;
}

/* Writes a loaded value into the destination register with the x86 rules:
 * 32-bit results zero the upper half, 8- and 16-bit ones merge. */
static bool load_value(struct vcpu *vcpu, const struct x86_mmio_access *a,
		       uint64_t value)
{
	uint64_t *slot = guest_register(vcpu, a->reg);
	unsigned size = a->size;

	if (!slot)
		return false;
	value &= size_mask(size);
	if (a->sign_extend && size < 8 && (value >> (size * 8 - 1)) & 1)
		value |= ~size_mask(size);
	if (a->zero_extend || a->sign_extend)
		size = a->load_size;
	if (a->high_byte) {
		*slot = (*slot & ~0xff00ull) | (value & 0xff) << 8;
	} else if (size == 4) {
		*slot = (uint32_t)value;
	} else {
		*slot = (*slot & ~size_mask(size)) | (value & size_mask(size));
	}
	return true;
}


bool guest_emulate_mmio(struct vcpu *vcpu, uint64_t address,
			guest_mmio_access access, char *error,
			size_t error_size)
{
	struct x86_mmio_access a;
	uint8_t bytes[X86_MAX_INSTRUCTION_LENGTH];
	unsigned code_bits;
	uint64_t rip = backend->vcpu_rip(vcpu);
	uint64_t value = 0;
	size_t got = guest_fetch_instruction(vcpu, bytes, &code_bits);

	if (!x86_decode_mmio(bytes, got, code_bits, &a)) {
		format(error, error_size,
		       "MMIO to 0x%llx by an instruction the hypervisor does "
		       "not emulate (%02x %02x %02x %02x) at RIP 0x%llx",
		       (unsigned long long)address, got > 0 ? bytes[0] : 0,
		       got > 1 ? bytes[1] : 0, got > 2 ? bytes[2] : 0,
		       got > 3 ? bytes[3] : 0, (unsigned long long)rip);
		return false;
	}
	bool writes = a.kind != X86_MMIO_LOAD;

	if (writes && !store_value(vcpu, &a, &value)) {
		format(error, error_size, "MMIO store from RSP at RIP 0x%llx",
		       (unsigned long long)rip);
		return false;
	}
	if (a.kind == X86_MMIO_EXCHANGE) {
		uint64_t old = 0;

		access(vcpu, address, false, a.size, &old);
		access(vcpu, address, true, a.size, &value);
		load_value(vcpu, &a, old);
	} else {
		access(vcpu, address, writes, a.size, &value);
		if (!writes && !load_value(vcpu, &a, value)) {
			format(error, error_size,
			       "MMIO load into RSP at RIP 0x%llx",
			       (unsigned long long)rip);
			return false;
		}
	}
	backend->vcpu_set_rip(vcpu, rip + a.length);
	return true;
}
