/* SPDX-License-Identifier: MIT */
/*
 * The memory-heavy workload of `make bench`, shared word for word by the
 * partition guest (guests/bench_memory.c) and the native UEFI program that
 * runs it without the hypervisor (tools/bench/native_memory.c), so the
 * two measure the same code on the same emulator.
 *
 * The buffer is cut into 64-byte lines linked into one random cycle
 * (Fisher-Yates order from a fixed seed): a pointer chase visits every line
 * once per round, one dependent load each, so nearly every step touches a
 * new page. The streaming checksum then adds up every 64-bit word in
 * address order. The lines hold offsets, not addresses, so the buffer's
 * contents and the checksum do not depend on where the buffer lies.
 *
 * The two measured kernels are written in assembly below, so both programs
 * run the very same instructions; setup is C. The includer defines
 * MEMWORK_PRINTF(fmt, ...) and includes bench.h (markers) first.
 *
 * memwork_run() prints, as "bench-result <name> <units> <cycles>":
 *   tsc-memory-chase  steps of one round, fewest TSC cycles of `reps` rounds
 *   tsc-memory-sum    64-bit words of one pass, fewest cycles of `reps`
 * then "bench-result memory-checksum 1 <value>" (equal in both programs),
 * arms the instruction-counting plugin and runs one more round of each
 * inside window BENCH_TAG_MEMORY.
 */
#ifndef BENCH_MEMWORK_H
#define BENCH_MEMWORK_H

#include <stdint.h>

#define MEMWORK_LINE 64u

/* memwork_chase(base, offset, steps): follows `steps` links from `offset`;
 * returns the offset reached. memwork_sum(base, bytes): the sum of the
 * 64-bit words of [base, base + bytes), bytes a multiple of 32. */
uint64_t memwork_chase(const uint8_t *base, uint64_t offset, uint64_t steps);
uint64_t memwork_sum(const uint8_t *base, uint64_t bytes);

__asm__(".pushsection .text\n"
	".globl memwork_chase\n"
	".type memwork_chase, @function\n"
	"memwork_chase:\n"
	"	mov %rsi, %rax\n"
	"1:	mov 8(%rdi, %rax), %rax\n"
	"	dec %rdx\n"
	"	jnz 1b\n"
	"	ret\n"
	".size memwork_chase, . - memwork_chase\n"
	".globl memwork_sum\n"
	".type memwork_sum, @function\n"
	"memwork_sum:\n"
	"	xor %eax, %eax\n"
	"	xor %edx, %edx\n"
	"1:	add (%rdi), %rax\n"
	"	add 8(%rdi), %rdx\n"
	"	add 16(%rdi), %rax\n"
	"	add 24(%rdi), %rdx\n"
	"	add $32, %rdi\n"
	"	sub $32, %rsi\n"
	"	jnz 1b\n"
	"	add %rdx, %rax\n"
	"	ret\n"
	".size memwork_sum, . - memwork_sum\n"
	".popsection\n");

static inline uint64_t memwork_rdtsc(void)
{
	uint32_t low, high;

	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return ((uint64_t)high << 32) | low;
}

static uint64_t memwork_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Line i: word 0 a scratch index, word 1 the offset of the next line's
 * word 0, words 2-7 a pattern of i. */
static void memwork_setup(uint8_t *base, uint64_t lines)
{
	uint64_t state = 0x9e3779b97f4a7c15ull;

	for (uint64_t i = 0; i < lines; i++) {
		uint64_t *line = (uint64_t *)(base + i * MEMWORK_LINE);

		line[0] = i;
		for (unsigned w = 2; w < MEMWORK_LINE / 8; w++)
			line[w] = i * 0x100000001b3ull + w;
	}
	/* Fisher-Yates over the word-0 indices gives the visiting order. */
	for (uint64_t i = lines - 1; i > 0; i--) {
		uint64_t j = memwork_random(&state) % (i + 1);
		uint64_t *a = (uint64_t *)(base + i * MEMWORK_LINE);
		uint64_t *b = (uint64_t *)(base + j * MEMWORK_LINE);
		uint64_t t = a[0];

		a[0] = b[0];
		b[0] = t;
	}
	for (uint64_t k = 0; k < lines; k++) {
		uint64_t from = ((uint64_t *)(base + k * MEMWORK_LINE))[0];
		uint64_t to = ((uint64_t *)(base + (k + 1) % lines *
						   MEMWORK_LINE))[0];

		((uint64_t *)(base + from * MEMWORK_LINE))[1] = to * MEMWORK_LINE;
	}
}

static void memwork_run(uint8_t *base, uint64_t size, unsigned reps)
{
	const uint64_t lines = size / MEMWORK_LINE;
	uint64_t best_chase = ~0ull, best_sum = ~0ull, end = 0, sum = 0;

	memwork_setup(base, lines);
	memwork_chase(base, 0, lines); /* warm up: every page once */
	for (unsigned r = 0; r < reps; r++) {
		uint64_t start = memwork_rdtsc();

		end = memwork_chase(base, 0, lines);
		start = memwork_rdtsc() - start;
		if (start < best_chase)
			best_chase = start;
	}
	for (unsigned r = 0; r < reps; r++) {
		uint64_t start = memwork_rdtsc();

		sum = memwork_sum(base, lines * MEMWORK_LINE);
		start = memwork_rdtsc() - start;
		if (start < best_sum)
			best_sum = start;
	}
	MEMWORK_PRINTF("bench-result tsc-memory-chase %lu %lu\n",
		       (unsigned long)lines, (unsigned long)best_chase);
	MEMWORK_PRINTF("bench-result tsc-memory-sum %lu %lu\n",
		       (unsigned long)(lines * MEMWORK_LINE / 8),
		       (unsigned long)best_sum);
	MEMWORK_PRINTF("bench-result memory-checksum 1 %lu\n",
		       (unsigned long)(sum ^ end));

	/* The counted round: arm, give QEMU a moment to retranslate, count. */
	bench_arm();
	memwork_chase(base, 0, lines / 16);
	bench_begin(BENCH_TAG_MEMORY);
	memwork_chase(base, 0, lines);
	memwork_sum(base, lines * MEMWORK_LINE);
	bench_end(BENCH_TAG_MEMORY);
}

#endif
