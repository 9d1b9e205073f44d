/* SPDX-License-Identifier: MIT */
/*
 * Benchmark markers: 7-byte NOPs ("nopl 0x4248XXXX(%rax)") that change
 * nothing when executed but that tools/bench/insn_count_plugin.c, loaded
 * into QEMU by `make bench`, watches for. BENCH_ARM once, then
 * BENCH_BEGIN(tag) ... BENCH_END(tag) around the code whose instructions
 * are to be counted (per vCPU, hypervisor and guest alike). Usable from C
 * (bench_mark) and, as strings, inside asm statements. Header-only, so the
 * native benchmark programs in tools/bench use the very same markers.
 */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#define BENCH_MARKER_MAGIC 0x42480000
#define BENCH_ARM_ID 0x0001
#define BENCH_BEGIN_ID(tag) (0x0100 | (tag))
#define BENCH_END_ID(tag) (0x0200 | (tag))

#define BENCH_STR_(x) #x
#define BENCH_STR(x) BENCH_STR_(x)
/* The marker as assembler text; id must be a literal number. */
#define BENCH_MARKER_ASM(id)                                                 \
	".byte 0x0f, 0x1f, 0x80\n\t.long " BENCH_STR(BENCH_MARKER_MAGIC) " + (" \
	BENCH_STR(id) ")\n\t"
#define BENCH_ARM_ASM BENCH_MARKER_ASM(BENCH_ARM_ID)
#define BENCH_BEGIN_ASM(tag) BENCH_MARKER_ASM(BENCH_BEGIN_ID(tag))
#define BENCH_END_ASM(tag) BENCH_MARKER_ASM(BENCH_END_ID(tag))

#define bench_mark(id) __asm__ volatile(BENCH_MARKER_ASM(id) ::: "memory")
#define bench_arm() bench_mark(BENCH_ARM_ID)
#define bench_begin(tag) bench_mark(BENCH_BEGIN_ID(tag))
#define bench_end(tag) bench_mark(BENCH_END_ID(tag))

/* Window tags used by the bench guests and native programs (literal
 * numbers, so they also work in asm strings); tools/bench/bench.sh knows
 * them by these values. */
#define BENCH_TAG_CPUID 0x10
#define BENCH_TAG_CPUID_BASE 0x11
#define BENCH_TAG_HYPERCALL 0x12
#define BENCH_TAG_HYPERCALL_BASE 0x13
#define BENCH_TAG_UART 0x14
#define BENCH_TAG_UART_BASE 0x15
#define BENCH_TAG_MEMORY 0x20
#define BENCH_TAG_DOORBELL 0x30
#define BENCH_TAG_DOORBELL_BASE 0x31

#endif
