/* SPDX-License-Identifier: MIT */
/*
 * memtest: on vCPU 0, fills every page from the end of the image up to the
 * partition's memory size with an address- and seed-dependent pattern in
 * 16-byte SSE vectors, then reads it all back. Exits 0 when it matches,
 * 1 with the first bad address otherwise. The seed comes from the TSC, so
 * each run writes different values.
 */
#include "bulkhead.h"

#define PAGE_SIZE 4096ul

typedef uint64_t u64x2 __attribute__((vector_size(16)));

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The pattern of the two words at addresses a and a + 8. */
static inline u64x2 pattern(u64x2 addresses, u64x2 seed)
{
	return (addresses ^ seed) + ((addresses << 23) | (addresses >> 41));
}

static uint64_t pattern_word(uint64_t address, uint64_t seed)
{
	return (address ^ seed) + ((address << 23) | (address >> 41));
}

static void fill(uint64_t start, uint64_t end, uint64_t seed)
{
	u64x2 seeds = { seed, seed };
	u64x2 addresses = { start, start + 8 };
	const u64x2 step = { 16, 16 };
	volatile u64x2 *p = (volatile u64x2 *)(uintptr_t)start;
	volatile u64x2 *stop = (volatile u64x2 *)(uintptr_t)end;

	for (; p < stop; p++) {
		*p = pattern(addresses, seeds);
		addresses += step;
	}
}

/* Returns the first mismatching address, or 0 when all of it matches. */
static uint64_t verify(uint64_t start, uint64_t end, uint64_t seed)
{
	u64x2 seeds = { seed, seed };
	const u64x2 step = { 16, 16 };
	uint64_t page, address;

	for (page = start; page < end; page += PAGE_SIZE) {
		const volatile u64x2 *p = (const volatile u64x2 *)(uintptr_t)page;
		u64x2 addresses = { page, page + 8 };
		u64x2 difference = { 0, 0 };
		unsigned i;

		for (i = 0; i < PAGE_SIZE / sizeof(*p); i++) {
			difference |= p[i] ^ pattern(addresses, seeds);
			addresses += step;
		}
		if (!(difference[0] | difference[1]))
			continue;
		for (address = page; address < page + PAGE_SIZE; address += 8)
			if (*(const uint64_t *)(uintptr_t)address !=
			    pattern_word(address, seed))
				return address;
	}
	return 0;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	uint64_t start = ((uintptr_t)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t end = boot->memory_size & ~(PAGE_SIZE - 1);
	uint64_t seed, bad;

	if (vcpu != 0)
		return guest_wait_for_primary();

	if (start >= end) {
		gprintf("nothing to test: image ends at 0x%lx, memory at 0x%lx\n",
			start, end);
		return 1;
	}
	seed = mix64(rdtsc() ^ ((uint64_t)boot->partition_id << 48));
	gprintf("testing %lu MiB (0x%lx-0x%lx) with seed 0x%lx\n",
		(end - start) >> 20, start, end - 1, seed);

	fill(start, end, seed);
	bad = verify(start, end, seed);
	if (bad) {
		gprintf("MISMATCH at 0x%lx: got 0x%lx expected 0x%lx\n",
			bad, *(const uint64_t *)(uintptr_t)bad,
			pattern_word(bad, seed));
		return 1;
	}
	gprintf("pattern verified over %lu pages\n",
		(end - start) / PAGE_SIZE);
	return 0;
}
