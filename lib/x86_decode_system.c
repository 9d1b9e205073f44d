/* SPDX-License-Identifier: MIT */
/*
 * Decodes MOV to/from CRn, CLTS, LMSW, INVD, WBINVD and WBNOINVD: legacy
 * prefixes, a REX directly before the opcode in 64-bit mode, the two-byte
 * opcode and the ModRM byte. See x86_decode_system.h.
 */
#include <bulkhead/x86_decode.h>
#include <bulkhead/x86_decode_system.h>

#define REX_R	    0x4
#define REX_B	    0x1
#define PREFIX_LOCK 0xf0

static bool is_legacy_prefix(uint8_t byte)
{
	switch (byte) {
	case 0x26: /* segment overrides */
	case 0x2e:
	case 0x36:
	case 0x3e:
	case 0x64:
	case 0x65:
	case 0x66: /* operand size */
	case 0x67: /* address size */
	case 0xf0: /* LOCK */
	case 0xf2: /* REPNE */
	case 0xf3: /* REP (WBNOINVD is F3 0F 09) */
		return true;
	default:
		return false;
	}
}

/* MOV CR: ModRM's reg is the control register, rm the GPR (mod ignored). */
static void decode_mov_cr(uint8_t modrm, uint8_t rex, bool lock,
			  struct x86_system_instruction *out)
{
	out->control = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
	out->gpr = (modrm & 7) | ((rex & REX_B) ? 8 : 0);
	if (lock && out->control == 0)
		out->control = 8;
}

bool x86_decode_system(const uint8_t *bytes, size_t available,
		       unsigned code_bits, struct x86_system_instruction *out)
{
	struct x86_system_instruction decoded = {0};
	size_t limit = available < X86_MAX_INSTRUCTION_LENGTH
			   ? available
			   : X86_MAX_INSTRUCTION_LENGTH;
	size_t i = 0;
	uint8_t rex = 0;
	bool lock = false;

	if (!bytes || !out ||
	    (code_bits != 16 && code_bits != 32 && code_bits != 64))
		return false;
	for (; i < limit; i++) {
		if (code_bits == 64 && (bytes[i] & 0xf0) == 0x40) {
			rex = bytes[i];
			continue;
		}
		if (!is_legacy_prefix(bytes[i]))
			break;
		rex = 0; /* a REX counts only directly before the opcode */
		lock |= bytes[i] == PREFIX_LOCK;
	}
	if (i + 2 > limit || bytes[i] != 0x0f)
		return false;
	switch (bytes[i + 1]) {
	case 0x06:
		decoded.kind = X86_CLTS;
		break;
	case 0x08:
		decoded.kind = X86_INVD;
		break;
	case 0x09:
		decoded.kind = X86_WBINVD;
		break;
	case 0x20:
	case 0x22:
		if (i + 3 > limit)
			return false;
		decoded.kind =
		    bytes[i + 1] == 0x22 ? X86_MOV_TO_CR : X86_MOV_FROM_CR;
		decode_mov_cr(bytes[i + 2], rex, lock, &decoded);
		i++;
		break;
	case 0x01:
		/* LMSW is 0F 01 /6; only its register form is decoded. */
		if (i + 3 > limit || ((bytes[i + 2] >> 3) & 7) != 6 ||
		    (bytes[i + 2] >> 6) != 3)
			return false;
		decoded.kind = X86_LMSW;
		decoded.gpr = (bytes[i + 2] & 7) | ((rex & REX_B) ? 8 : 0);
		i++;
		break;
	default:
		return false;
	}
	decoded.length = (uint8_t)(i + 2);
	*out = decoded;
	return true;
}
