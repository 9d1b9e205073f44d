/* SPDX-License-Identifier: MIT */
/*
 * The guest's current instruction, for exits that must emulate it: its
 * bytes at CS:RIP fetched through the guest's own page tables (bounded by
 * the partition's memory), its general-purpose register operands, and the
 * emulation of an MMIO access by it.
 */
#ifndef BULKHEAD_CORE_VCPU_GUEST_INSTRUCTION_H
#define BULKHEAD_CORE_VCPU_GUEST_INSTRUCTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/x86_decode.h>

struct vcpu;
struct partition;

/* Copies guest-physical memory of the partition; false outside it. Also
 * a guest_read_fn for guest_walk (context: the partition). */
bool guest_read_physical(void *partition, uint64_t address, void *out,
			 unsigned size);

/* Fetches up to X86_MAX_INSTRUCTION_LENGTH bytes at CS:RIP; returns how
 * many could be read and gives the code size (16, 32 or 64). */
size_t guest_fetch_instruction(struct vcpu *vcpu,
			       uint8_t bytes[X86_MAX_INSTRUCTION_LENGTH],
			       unsigned *code_bits);

/* The register of an instruction's operand (encoding order: RAX, RCX,
 * ...); NULL for RSP, which lives in the control block and is never such
 * an operand in practice. */
uint64_t *guest_register(struct vcpu *vcpu, unsigned index);

/* One access of an emulated MMIO instruction: a read fills *value, a
 * write takes it; size is 1, 2, 4 or 8. */
typedef void (*guest_mmio_access)(struct vcpu *vcpu, uint64_t address,
				  bool write, unsigned size, uint64_t *value);

/* Emulates the MMIO instruction at RIP that faulted at guest-physical
 * address (a move, a store of an immediate, an exchange, a zero- or
 * sign-extending load) through access, then steps past it. False (with
 * error) for an instruction it does not emulate. */
bool guest_emulate_mmio(struct vcpu *vcpu, uint64_t address,
			guest_mmio_access access, char *error,
			size_t error_size);

#endif
