/* SPDX-License-Identifier: MIT */
/*
 * A decoder for the system instructions whose intercepts on AMD (without
 * decode assists, as in QEMU's TCG) tell the hypervisor only which control
 * register or cache instruction exited: MOV to and from CRn, CLTS, LMSW,
 * INVD, WBINVD and WBNOINVD. It gives the register operand and the length.
 * Pure: it only reads the bytes it is given.
 */
#ifndef BULKHEAD_X86_DECODE_SYSTEM_H
#define BULKHEAD_X86_DECODE_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x86_system_kind {
	X86_MOV_TO_CR,
	X86_MOV_FROM_CR,
	X86_CLTS,
	X86_LMSW,
	X86_INVD,
	X86_WBINVD, /* also WBNOINVD (F3 0F 09) */
};

struct x86_system_instruction {
	enum x86_system_kind kind;
	uint8_t length;	 /* whole instruction, bytes (1..15) */
	uint8_t control; /* MOV CR: the control register (REX.R, LOCK) */
	uint8_t gpr;	 /* MOV CR and LMSW: enum x86_gpr */
};

/*
 * Decodes one instruction from bytes[0..available); code_bits is 16, 32 or
 * 64. In 64-bit mode REX.R selects CR8-CR15 and REX.B R8-R15; a LOCK prefix
 * on MOV CR0 names CR8 (AMD's encoding for it outside 64-bit mode). Returns
 * false for any other instruction, for LMSW from memory (only its register
 * form is decoded) or when the bytes run out.
 */
bool x86_decode_system(const uint8_t *bytes, size_t available,
		       unsigned code_bits, struct x86_system_instruction *out);

#endif
