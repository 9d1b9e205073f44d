/* SPDX-License-Identifier: MIT */
/*
 * crasher: ends its partition the hard way; the hypervisor must contain
 * it. args picks how:
 *   triple-fault  IDT limit 0, then ud2: #UD -> #GP -> #DF -> shutdown
 *                 (default)
 *   ud            ud2 with the library's IDT: reported, exit 0x86
 *   gp            a non-canonical read with the library's IDT: exit 0x8d
 * With "crash-runs=N" it prints "run R" (boot_info.run) first, crashes on
 * runs 1..N only and exits 0 from run N+1 on: the target of restart =
 * "on-fault". Exits 98 if the crash somehow returns.
 */
#include <string.h>

#include "bulkhead.h"

#define EXIT_SURVIVED 98
#define NON_CANONICAL 0x8000000000000000ul

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void triple_fault(void)
{
	static const struct idt_pointer empty = { .limit = 0, .base = 0 };

	gprintf("about to triple-fault\n");
	asm volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
}

static void invalid_opcode(void)
{
	gprintf("about to execute ud2\n");
	asm volatile("ud2" : : : "memory");
}

static void general_protection(void)
{
	gprintf("about to read non-canonical address 0x%lx\n",
		NON_CANONICAL);
	(void)*(volatile uint8_t *)(uintptr_t)NON_CANONICAL;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	char how[32];
	int64_t crash_runs;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_first_word(boot->args, how, sizeof(how)) || strchr(how, '='))
		strcpy(how, "triple-fault");
	if (args_get_number(boot->args, "crash-runs", &crash_runs)) {
		gprintf("run %u\n", boot->run);
		if (boot->run > crash_runs) {
			gprintf("run %u of %ld crashing runs done: exiting\n",
				boot->run, crash_runs);
			return 0;
		}
	}

	if (!strcmp(how, "triple-fault")) {
		triple_fault();
	} else if (!strcmp(how, "ud")) {
		invalid_opcode();
	} else if (!strcmp(how, "gp")) {
		general_protection();
	} else {
		gprintf("unknown crash \"%s\" (triple-fault, ud, gp)\n",
			how);
		return 2;
	}
	gprintf("survived \"%s\"\n", how);
	return EXIT_SURVIVED;
}
