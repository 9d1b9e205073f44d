/* SPDX-License-Identifier: MIT */
/*
 * bench_exits: the VM-exit round trips `make bench` measures. Three loops,
 * each one exit per iteration: CPUID (leaf 0), the null hypercall
 * (BULKHEAD_HC_VERSION) and a write to the virtual UART (its scratch
 * register, port 0x3ff, so no console line is produced); and for each the
 * same loop with the exiting instruction replaced by a NOP of the same
 * length, the baseline that never leaves the guest.
 *
 * Phase 1 times every loop with the TSC ("timed=N" iterations, 20000 by
 * default) and prints "bench-result <name> <iterations> <cycles>". Phase 2
 * arms the instruction-counting plugin and runs every loop again
 * ("counted=N", 1000) between window markers (guests/lib/bench.h), so the
 * plugin counts hypervisor and guest instructions per round trip. Timing
 * comes first because counting slows TCG down. The first thing guest_main
 * does is read the TSC: "bench-result boot-entry-tsc 1 <tsc>".
 */
#include "bulkhead.h"
#include "bench.h"

#define LOOP_CLOBBERS "rax", "rbx", "rcx", "rdx", "memory"

/* Runs `body` n (>= 1) times inside window `tag`. */
#define BENCH_LOOP(name, tag, body)                                           \
	static void name(uint64_t n)                                          \
	{                                                                     \
		__asm__ volatile(BENCH_BEGIN_ASM(tag) "1:\n\t" body           \
				 "dec %0\n\t"                                 \
				 "jnz 1b\n\t" BENCH_END_ASM(tag)              \
				 : "+r"(n)                                    \
				 :                                            \
				 : LOOP_CLOBBERS);                            \
	}

#define CPUID_SETUP "xor %%eax, %%eax\n\txor %%ecx, %%ecx\n\t"
#define NOP2 ".byte 0x66, 0x90\n\t"
#define NOP3 ".byte 0x0f, 0x1f, 0x00\n\t"
#define HC_SETUP "xor %%eax, %%eax\n\t" /* BULKHEAD_HC_VERSION */
#define UART_SETUP "mov $0x3ff, %%edx\n\tmov $0x5a, %%eax\n\t"

BENCH_LOOP(loop_cpuid, BENCH_TAG_CPUID, CPUID_SETUP "cpuid\n\t")
BENCH_LOOP(loop_cpuid_base, BENCH_TAG_CPUID_BASE, CPUID_SETUP NOP2)
BENCH_LOOP(loop_vmmcall, BENCH_TAG_HYPERCALL, HC_SETUP "vmmcall\n\t")
BENCH_LOOP(loop_vmcall, BENCH_TAG_HYPERCALL, HC_SETUP "vmcall\n\t")
BENCH_LOOP(loop_hypercall_base, BENCH_TAG_HYPERCALL_BASE, HC_SETUP NOP3)
BENCH_LOOP(loop_uart, BENCH_TAG_UART, UART_SETUP "outb %%al, %%dx\n\t")
BENCH_LOOP(loop_uart_base, BENCH_TAG_UART_BASE, UART_SETUP "nop\n\t")

struct bench_loop {
	const char *name;
	void (*run)(uint64_t n);
};

static uint64_t timed(void (*run)(uint64_t), uint64_t n)
{
	uint64_t start = rdtsc();

	run(n);
	return rdtsc() - start;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	uint64_t entry_tsc = rdtsc();
	int64_t timed_count = 20000, counted_count = 1000;

	if (vcpu != 0)
		return guest_wait_for_primary();
	gprintf("bench-result boot-entry-tsc 1 %lu\n", entry_tsc);
	args_get_number(boot->args, "timed", &timed_count);
	args_get_number(boot->args, "counted", &counted_count);
	if (timed_count < 1 || counted_count < 1) {
		gprintf("bench_exits: timed and counted must be at least 1\n");
		return 1;
	}

	const bool amd = cpu_vendor_is_amd();
	const struct bench_loop loops[] = {
		{ "cpuid", loop_cpuid },
		{ "cpuid-base", loop_cpuid_base },
		{ "hypercall", amd ? loop_vmmcall : loop_vmcall },
		{ "hypercall-base", loop_hypercall_base },
		{ "uart", loop_uart },
		{ "uart-base", loop_uart_base },
	};
	const unsigned count = sizeof(loops) / sizeof(loops[0]);

	gprintf("bench_exits: timing %ld iterations per loop\n", timed_count);
	for (unsigned i = 0; i < count; i++) {
		loops[i].run(100); /* warm up: translations, caches */
		gprintf("bench-result tsc-%s %ld %lu\n", loops[i].name,
			timed_count, timed(loops[i].run, (uint64_t)timed_count));
	}

	/* Arming makes QEMU retranslate everything at its next exit from the
	 * translated code; the warm-up loops give it that exit. */
	bench_arm();
	gprintf("bench_exits: counting %ld iterations per loop\n",
		counted_count);
	for (unsigned i = 0; i < count; i++) {
		loops[i].run(10);
		loops[i].run((uint64_t)counted_count);
	}
	gprintf("bench_exits: done\n");
	return 0;
}
