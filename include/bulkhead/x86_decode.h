/* SPDX-License-Identifier: MIT */
/*
 * A decoder for the few x86 instructions a guest uses to reach emulated
 * memory-mapped devices (local APIC, IOAPIC): MOV to and from memory,
 * MOV of an immediate, MOVZX/MOVSX and XCHG. A stage-2 fault gives only the
 * guest-physical address and the direction; this tells the hypervisor which
 * register, how many bytes and how long the instruction is. Pure: it only
 * reads the bytes it is given.
 */
#ifndef BULKHEAD_X86_DECODE_H
#define BULKHEAD_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The architectural limit: longer instructions raise #GP. */
#define X86_MAX_INSTRUCTION_LENGTH 15

enum x86_mmio_kind {
	X86_MMIO_LOAD,		  /* register <- memory (MOV, MOVZX/SX) */
	X86_MMIO_STORE,		  /* memory <- register */
	X86_MMIO_STORE_IMMEDIATE, /* memory <- immediate */
	X86_MMIO_EXCHANGE,	  /* XCHG register, memory */
};

/* General-purpose register numbers, in instruction-encoding order. */
enum x86_gpr {
	X86_RAX,
	X86_RCX,
	X86_RDX,
	X86_RBX,
	X86_RSP,
	X86_RBP,
	X86_RSI,
	X86_RDI,
	X86_R8,
	X86_R9,
	X86_R10,
	X86_R11,
	X86_R12,
	X86_R13,
	X86_R14,
	X86_R15,
};

struct x86_mmio_access {
	enum x86_mmio_kind kind;
	uint8_t length;	  /* whole instruction, bytes (1..15) */
	uint8_t size;	  /* memory operand: 1, 2, 4 or 8 */
	uint8_t reg;	  /* enum x86_gpr; 0 for STORE_IMMEDIATE */
	bool high_byte;	  /* AH/CH/DH/BH: bits 15:8 of reg (0..3) */
	bool zero_extend; /* MOVZX: load zero-extends size to load_size */
	bool sign_extend; /* MOVSX: load sign-extends size to load_size */
	/*
	 * Bytes of the destination register a load writes: 2, 4 or 8 (MOVZX,
	 * MOVSX), otherwise equal to size. As on hardware, a 4-byte write to a
	 * register in 64-bit mode clears its upper half; 1- and 2-byte writes
	 * leave the other bits alone.
	 */
	uint8_t load_size;
	uint64_t immediate; /* STORE_IMMEDIATE, already size bytes wide */
};

/*
 * Decodes one instruction that accesses memory, from bytes[0..available).
 * code_bits is 16, 32 or 64 (the guest's current code segment). Returns false
 * for anything it does not support (the caller then stops the partition with a
 * clear message) or if the bytes run out. *out is written only on success.
 */
bool x86_decode_mmio(const uint8_t *bytes, size_t available, unsigned code_bits,
		     struct x86_mmio_access *out);

#endif
