/* SPDX-License-Identifier: MIT */
/*
 * hello: the smallest useful guest. vCPU 0 asks the hypervisor who it is
 * and prints it, says hello through the virtual UART too, and exits with
 * the status given as "status=N" in args (0 by default). Other vCPUs wait
 * for vCPU 0 and exit with the same status.
 */
#include "bulkhead.h"

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct bulkhead_partition_info info;
	int64_t version, result, status = 0;

	if (vcpu != 0)
		return guest_wait_for_primary();

	result = bulkhead_partition_info(&info);
	if (result < 0) {
		gprintf("partition info failed: %ld\n", result);
		return 1;
	}
	version = bulkhead_version();

	gprintf("hello from partition %u \"%s\" (%u of %u partitions)\n",
		info.partition_id, info.name, info.partition_id + 1,
		info.partition_count);
	gprintf("CPUs: %u, memory: %lu MiB, running on vCPU %u\n",
		info.cpu_count, info.memory_size >> 20, info.vcpu_index);
	gprintf("ABI version %lu.%lu (info says %u.%u), bulkhead %s\n",
		(uint64_t)version >> 16, (uint64_t)version & 0xffff,
		info.abi_version >> 16, info.abi_version & 0xffff,
		bulkhead_present() ? "detected by CPUID" : "NOT detected by CPUID");
	gprintf("args: \"%s\"\n", boot->args);

	uart_puts("hello through the virtual UART\n");

	if (args_get_number(boot->args, "status", &status))
		gprintf("exiting with status %ld\n", status);
	return (int)status;
}
