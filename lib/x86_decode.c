/* SPDX-License-Identifier: MIT */
/*
 * Decodes the memory-access instructions a guest uses on emulated MMIO
 * registers: prefixes, REX, the opcode, ModRM/SIB/displacement in 16-, 32-
 * and 64-bit addressing, and immediates. Every byte read is bounded by the
 * bytes available and by the 15-byte architectural limit.
 */
#include <bulkhead/x86_decode.h>

#define REX_W 0x8
#define REX_R 0x4

struct cursor {
	const uint8_t *bytes;
	size_t available;
	size_t position;
};

/* What the prefixes and the code segment say about the instruction. */
struct prefixes {
	unsigned operand_bytes; /* 2, 4 or 8 */
	unsigned address_bytes; /* 2, 4 or 8 */
	uint8_t rex;		/* 0 when there is no (effective) REX */
};

struct modrm {
	uint8_t mod;
	uint8_t reg;
	uint8_t rm;
};

static bool cursor_byte(struct cursor *c, uint8_t *byte)
{
	if (c->position >= c->available ||
	    c->position >= X86_MAX_INSTRUCTION_LENGTH)
		return false;
	*byte = c->bytes[c->position++];
	return true;
}

static bool cursor_skip(struct cursor *c, size_t count)
{
	if (count > c->available - c->position ||
	    c->position + count > X86_MAX_INSTRUCTION_LENGTH)
		return false;
	c->position += count;
	return true;
}

/* Reads a little-endian value of 1, 2, 4 or 8 bytes. */
static bool cursor_value(struct cursor *c, unsigned count, uint64_t *value)
{
	uint64_t result = 0;

	for (unsigned i = 0; i < count; i++) {
		uint8_t byte;

		if (!cursor_byte(c, &byte))
			return false;
		result |= (uint64_t)byte << (8 * i);
	}
	*value = result;
	return true;
}

static bool is_legacy_prefix(uint8_t byte)
{
	switch (byte) {
	case 0x26: /* ES */
	case 0x2e: /* CS */
	case 0x36: /* SS */
	case 0x3e: /* DS */
	case 0x64: /* FS */
	case 0x65: /* GS */
	case 0x66: /* operand size */
	case 0x67: /* address size */
	case 0xf0: /* LOCK */
		return true;
	default:
		return false;
	}
}

/*
 * Consumes the prefixes and returns the opcode's first byte. A REX only
 * counts directly before the opcode: one followed by a legacy prefix is
 * ignored, as on hardware.
 */
static bool read_prefixes(struct cursor *c, unsigned code_bits,
			  struct prefixes *p, uint8_t *opcode)
{
	bool operand_override = false;
	bool address_override = false;
	uint8_t byte;

	p->rex = 0;
	for (;;) {
		if (!cursor_byte(c, &byte))
			return false;
		if (code_bits == 64 && (byte & 0xf0) == 0x40) {
			p->rex = byte;
			continue;
		}
		if (!is_legacy_prefix(byte))
			break;
		p->rex = 0;
		if (byte == 0x66)
			operand_override = true;
		else if (byte == 0x67)
			address_override = true;
	}
	*opcode = byte;

	if (code_bits == 16) {
		p->operand_bytes = operand_override ? 4 : 2;
		p->address_bytes = address_override ? 4 : 2;
	} else {
		p->operand_bytes = operand_override ? 2 : 4;
		if (code_bits == 64 && (p->rex & REX_W))
			p->operand_bytes = 8;
		if (code_bits == 64)
			p->address_bytes = address_override ? 4 : 8;
		else
			p->address_bytes = address_override ? 2 : 4;
	}
	return true;
}

/* The displacement size of a 16-bit addressing form. */
static unsigned displacement_16(const struct modrm *m)
{
	if (m->mod == 1)
		return 1;
	if (m->mod == 2 || (m->mod == 0 && m->rm == 6))
		return 2;
	return 0;
}

/* SIB and displacement bytes of a 32- or 64-bit addressing form. */
static bool skip_address_32(struct cursor *c, const struct modrm *m)
{
	unsigned displacement = 0;

	if (m->rm == 4) {
		uint8_t sib;

		if (!cursor_byte(c, &sib))
			return false;
		if (m->mod == 0 && (sib & 7) == 5)
			displacement = 4; /* no base: disp32 */
	} else if (m->mod == 0 && m->rm == 5) {
		displacement = 4; /* disp32, RIP-relative in 64-bit mode */
	}
	if (m->mod == 1)
		displacement = 1;
	else if (m->mod == 2)
		displacement = 4;
	return cursor_skip(c, displacement);
}

/*
 * Reads ModRM and skips the memory operand's SIB and displacement. The
 * register form (mod 3) cannot touch memory, so it is refused.
 */
static bool read_modrm(struct cursor *c, const struct prefixes *p,
		       struct modrm *m)
{
	uint8_t byte;

	if (!cursor_byte(c, &byte))
		return false;
	m->mod = byte >> 6;
	m->reg = (byte >> 3) & 7;
	m->rm = byte & 7;
	if (m->mod == 3)
		return false;
	if (p->address_bytes == 2)
		return cursor_skip(c, displacement_16(m));
	return skip_address_32(c, m);
}

static uint8_t full_register(const struct prefixes *p, uint8_t reg)
{
	return reg | ((p->rex & REX_R) ? 8 : 0);
}

/* Fills reg and high_byte for a register operand of `size` bytes. */
static void set_register(struct x86_mmio_access *out, const struct prefixes *p,
			 uint8_t reg)
{
	out->reg = full_register(p, reg);
	if (out->size == 1 && !p->rex && reg >= 4) {
		out->high_byte = true;
		out->reg = reg - 4;
	}
}

/* 88/89 store, 8A/8B load, 86/87 exchange: register and ModRM memory. */
static bool decode_register_memory(struct cursor *c, const struct prefixes *p,
				   uint8_t opcode, struct x86_mmio_access *out)
{
	struct modrm m;

	if (!read_modrm(c, p, &m))
		return false;
	out->size = (opcode & 1) ? p->operand_bytes : 1;
	if (opcode == 0x88 || opcode == 0x89)
		out->kind = X86_MMIO_STORE;
	else if (opcode == 0x8a || opcode == 0x8b)
		out->kind = X86_MMIO_LOAD;
	else
		out->kind = X86_MMIO_EXCHANGE;
	out->load_size = out->size;
	set_register(out, p, m.reg);
	return true;
}

/* C6 /0 ib and C7 /0 iw/id: an immediate stored to memory. */
static bool decode_store_immediate(struct cursor *c, const struct prefixes *p,
				   uint8_t opcode, struct x86_mmio_access *out)
{
	struct modrm m;
	unsigned immediate_bytes;
	uint64_t immediate;

	if (!read_modrm(c, p, &m) || m.reg != 0)
		return false;
	out->size = opcode == 0xc6 ? 1 : p->operand_bytes;
	immediate_bytes = out->size == 8 ? 4 : out->size;
	if (!cursor_value(c, immediate_bytes, &immediate))
		return false;
	if (out->size == 8)
		immediate = (uint64_t)(int64_t)(int32_t)(uint32_t)immediate;
	out->kind = X86_MMIO_STORE_IMMEDIATE;
	out->immediate = immediate;
	out->load_size = out->size;
	return true;
}

/* 0F B6/B7 MOVZX and 0F BE/BF MOVSX: a narrow load widened to a register. */
static bool decode_two_byte(struct cursor *c, const struct prefixes *p,
			    struct x86_mmio_access *out)
{
	struct modrm m;
	uint8_t opcode;

	if (!cursor_byte(c, &opcode))
		return false;
	if (opcode != 0xb6 && opcode != 0xb7 && opcode != 0xbe &&
	    opcode != 0xbf)
		return false;
	if (!read_modrm(c, p, &m))
		return false;
	out->kind = X86_MMIO_LOAD;
	out->size = (opcode & 1) ? 2 : 1;
	out->load_size = p->operand_bytes;
	out->zero_extend = opcode <= 0xb7;
	out->sign_extend = !out->zero_extend;
	out->reg = full_register(p, m.reg);
	return true;
}

/* A0-A3: MOV between the accumulator and an absolute address (moffs). */
static bool decode_moffs(struct cursor *c, const struct prefixes *p,
			 uint8_t opcode, struct x86_mmio_access *out)
{
	if (!cursor_skip(c, p->address_bytes))
		return false;
	out->kind = opcode <= 0xa1 ? X86_MMIO_LOAD : X86_MMIO_STORE;
	out->size = (opcode & 1) ? p->operand_bytes : 1;
	out->load_size = out->size;
	out->reg = X86_RAX;
	return true;
}

static bool decode_opcode(struct cursor *c, const struct prefixes *p,
			  uint8_t opcode, struct x86_mmio_access *out)
{
	switch (opcode) {
	case 0x86:
	case 0x87:
	case 0x88:
	case 0x89:
	case 0x8a:
	case 0x8b:
		return decode_register_memory(c, p, opcode, out);
	case 0xc6:
	case 0xc7:
		return decode_store_immediate(c, p, opcode, out);
	case 0x0f:
		return decode_two_byte(c, p, out);
	case 0xa0:
	case 0xa1:
	case 0xa2:
	case 0xa3:
		return decode_moffs(c, p, opcode, out);
	default:
		return false;
	}
}

bool x86_decode_mmio(const uint8_t *bytes, size_t available, unsigned code_bits,
		     struct x86_mmio_access *out)
{
	struct cursor c = {.bytes = bytes, .available = available};
	struct x86_mmio_access access = {0};
	struct prefixes p;
	uint8_t opcode;

	if (!bytes || !out)
		return false;
	if (code_bits != 16 && code_bits != 32 && code_bits != 64)
		return false;
	if (!read_prefixes(&c, code_bits, &p, &opcode))
		return false;
	if (!decode_opcode(&c, &p, opcode, &access))
		return false;
	access.length = (uint8_t)c.position;
	*out = access;
	return true;
}
