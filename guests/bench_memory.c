/* SPDX-License-Identifier: MIT */
/*
 * bench_memory: the guest half of the guest-overhead benchmark of `make
 * bench`. Runs the workload of bench_memwork.inc (a pointer chase over every
 * 64-byte line of a buffer, then a streaming checksum) over all partition
 * memory from 4 MiB to the end, "reps=N" timed rounds (5 by default). The
 * native twin is tools/bench/native_memory.c.
 */
#include "bulkhead.h"
#include "bench.h"

#define MEMWORK_PRINTF gprintf
#include "bench_memwork.inc"

#define BUFFER_START (4ul << 20)

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	int64_t reps = 5;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get_number(boot->args, "reps", &reps);
	if (reps < 1 || boot->memory_size < BUFFER_START + (2ul << 20)) {
		gprintf("bench_memory: needs reps >= 1 and over 6 MiB\n");
		return 1;
	}
	gprintf("bench_memory: %lu MiB from 4 MiB, %ld rounds\n",
		(boot->memory_size - BUFFER_START) >> 20, reps);
	memwork_run((uint8_t *)BUFFER_START, boot->memory_size - BUFFER_START,
		    (unsigned)reps);
	gprintf("bench_memory: done\n");
	return 0;
}
