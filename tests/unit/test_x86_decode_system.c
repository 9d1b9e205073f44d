/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the system-instruction decoder (lib/x86_decode_system.c):
 * encodings assembled by GNU as at development time (MOV CR with REX and
 * LOCK, CLTS, LMSW, INVD, WBINVD, WBNOINVD in 16-, 32- and 64-bit code),
 * REX rules, refused forms, truncation at every byte and the 15-byte limit.
 */
#include <bulkhead/x86_decode.h>
#include <bulkhead/x86_decode_system.h>

#include <stdint.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_x86_decode_system")

struct vector {
	const char *text; /* the source line given to GNU as */
	unsigned bits;
	size_t length;
	const char *bytes;
	enum x86_system_kind kind;
	uint8_t control, gpr;
};

static const struct vector vectors[] = {
    {"mov %rax,%cr4", 64, 3, "\x0f\x22\xe0", X86_MOV_TO_CR, 4, X86_RAX},
    {"mov %r8,%cr4", 64, 4, "\x41\x0f\x22\xe0", X86_MOV_TO_CR, 4, X86_R8},
    {"mov %rax,%cr8", 64, 4, "\x44\x0f\x22\xc0", X86_MOV_TO_CR, 8, X86_RAX},
    {"mov %r15,%cr8", 64, 4, "\x45\x0f\x22\xc7", X86_MOV_TO_CR, 8, X86_R15},
    {"mov %cr8,%rcx", 64, 4, "\x44\x0f\x20\xc1", X86_MOV_FROM_CR, 8, X86_RCX},
    {"mov %cr0,%rax", 64, 3, "\x0f\x20\xc0", X86_MOV_FROM_CR, 0, X86_RAX},
    {"mov %cr4,%r13", 64, 4, "\x41\x0f\x20\xe5", X86_MOV_FROM_CR, 4, X86_R13},
    {"clts", 64, 2, "\x0f\x06", X86_CLTS, 0, 0},
    {"lmsw %ax", 64, 3, "\x0f\x01\xf0", X86_LMSW, 0, X86_RAX},
    {"lmsw %r9w", 64, 4, "\x41\x0f\x01\xf1", X86_LMSW, 0, X86_R9},
    {"invd", 64, 2, "\x0f\x08", X86_INVD, 0, 0},
    {"wbinvd", 64, 2, "\x0f\x09", X86_WBINVD, 0, 0},
    {"wbnoinvd", 64, 3, "\xf3\x0f\x09", X86_WBINVD, 0, 0},
    {"mov %eax,%cr0", 32, 3, "\x0f\x22\xc0", X86_MOV_TO_CR, 0, X86_RAX},
    {"lock mov %eax,%cr0 (AMD: CR8)", 32, 4, "\xf0\x0f\x22\xc0", X86_MOV_TO_CR,
     8, X86_RAX},
    {"mov %cr3,%edx", 32, 3, "\x0f\x20\xda", X86_MOV_FROM_CR, 3, X86_RDX},
    {"mov %eax,%cr0", 16, 3, "\x0f\x22\xc0", X86_MOV_TO_CR, 0, X86_RAX},
    {"lmsw %dx", 16, 3, "\x0f\x01\xf2", X86_LMSW, 0, X86_RDX},
    /* A 0x41 is INC ECX outside 64-bit mode, not a REX. */
    {"cs mov %eax,%cr0", 32, 4, "\x2e\x0f\x22\xc0", X86_MOV_TO_CR, 0, X86_RAX},
};

static void test_vectors(void)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];
		struct x86_system_instruction out;
		bool ok = x86_decode_system((const uint8_t *)v->bytes,
					    v->length, v->bits, &out);

		CHECK(ok);
		if (!ok) {
			fprintf(stderr, "  refused: %s\n", v->text);
			continue;
		}
		CHECK_EQ(out.length, v->length);
		CHECK_EQ(out.kind, v->kind);
		if (v->kind == X86_MOV_TO_CR || v->kind == X86_MOV_FROM_CR)
			CHECK_EQ(out.control, v->control);
		if (v->kind == X86_MOV_TO_CR || v->kind == X86_MOV_FROM_CR ||
		    v->kind == X86_LMSW)
			CHECK_EQ(out.gpr, v->gpr);
		/* Every shorter prefix of the bytes is refused. */
		for (size_t n = 0; n < v->length; n++)
			CHECK(!x86_decode_system((const uint8_t *)v->bytes, n,
						 v->bits, &out));
	}
}

static void test_refused(void)
{
	struct x86_system_instruction out;
	static const uint8_t lmsw_memory[] = {0x0f, 0x01, 0x30};
	static const uint8_t smsw[] = {0x0f, 0x01, 0xe0};
	static const uint8_t cpuid[] = {0x0f, 0xa2};
	static const uint8_t rex_then_prefix[] = {0x44, 0x66, 0x0f, 0x22, 0xc0};
	uint8_t too_long[16];

	CHECK(!x86_decode_system(lmsw_memory, sizeof(lmsw_memory), 64, &out));
	CHECK(!x86_decode_system(smsw, sizeof(smsw), 64, &out));
	CHECK(!x86_decode_system(cpuid, sizeof(cpuid), 64, &out));
	CHECK(!x86_decode_system(cpuid, sizeof(cpuid), 48, &out));
	CHECK(!x86_decode_system(NULL, 3, 64, &out));
	/* A REX followed by a legacy prefix does not count: CR0, not CR8. */
	CHECK(x86_decode_system(rex_then_prefix, sizeof(rex_then_prefix), 64,
				&out));
	CHECK_EQ(out.control, 0);
	CHECK_EQ(out.length, 5);
	/* 13 prefixes and a 3-byte MOV CR exceed 15 bytes. */
	memset(too_long, 0x66, sizeof(too_long));
	memcpy(too_long + 13, "\x0f\x22\xc0", 3);
	CHECK(!x86_decode_system(too_long, sizeof(too_long), 64, &out));
	CHECK(x86_decode_system(too_long + 1, 15, 64, &out));
	CHECK_EQ(out.length, 15);
}

static void run_tests(void)
{
	test_vectors();
	test_refused();
}
