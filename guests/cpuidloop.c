/* SPDX-License-Identifier: MIT */
/*
 * cpuidloop: executes CPUID "count=N" times (100000 by default), each one a
 * VM exit, and prints a line before and after; the hypervisor's timestamps
 * on those two lines give the exit rate. A quick measurement, not the
 * benchmark (make bench measures properly).
 */
#include "bulkhead.h"

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	int64_t count = 100000;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get_number(boot->args, "count", &count);
	gprintf("cpuid loop: %ld exits starting\n", count);
	for (int64_t i = 0; i < count; i++) {
		uint32_t eax = 0, ebx, ecx = 0, edx;

		__asm__ volatile("cpuid"
				 : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	}
	gprintf("cpuid loop: %ld exits done\n", count);
	return 0;
}
