/* SPDX-License-Identifier: MIT */
/*
 * End of run: counts vCPUs still in their loops; the CPU whose vCPU leaves
 * last prints the summary (state, exit status and exit counts by reason of
 * every partition) and ends the emulator through isa-debug-exit when the
 * config asks for it.
 */
#include "run_end.h"

#include "../arch/x86_64/cpu.h"
#include "../lib/format.h"
#include "console.h"
#include "partition.h"

static volatile unsigned vcpus_running;
static unsigned short exit_port;

void run_end_init(unsigned vcpu_total, unsigned short port)
{
	vcpus_running = vcpu_total;
	exit_port = port;
}

static void print_exit_counts(const struct partition *p)
{
	char line[400];
	int length = 0;

	for (unsigned reason = 0; reason < EXIT_REASON_COUNT; reason++) {
		uint64_t count = 0;

		for (uint32_t v = 0; v < p->vcpu_count; v++)
			count += p->vcpus[v]->exit_counts[reason];
		if (count && length < (int)sizeof(line))
			length += format(line + length, sizeof(line) - length,
					 " %s=%llu", exit_reason_names[reason],
					 (unsigned long long)count);
	}
	log_line("  %-16s exits:%s", p->config->name, length ? line : " none");
}

static bool print_summary(void)
{
	bool pass = true;

	log_line("summary: %u partitions", partition_count);
	log_line("  %-16s %-8s %s", "partition", "state", "status");
	for (uint32_t i = 0; i < partition_count; i++) {
		const struct partition *p = partitions[i];

		if (p->state == PARTITION_EXITED)
			log_line("  %-16s %-8s %lld", p->config->name,
				 partition_state_name(p->state),
				 (long long)p->exit_status);
		else
			log_line("  %-16s %-8s (%s)", p->config->name,
				 partition_state_name(p->state), p->stop_reason);
		pass &= p->state == PARTITION_EXITED && p->exit_status == 0;
	}
	for (uint32_t i = 0; i < partition_count; i++)
		print_exit_counts(partitions[i]);
	return pass;
}

void run_end_vcpu_finished(void)
{
	if (__atomic_sub_fetch(&vcpus_running, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	bool pass = print_summary();
	log_line("end of run: %s", pass ? "pass" : "fail");
	if (exit_port)
		outb(exit_port, pass ? RUN_END_PASS : RUN_END_FAIL);
}

void run_end_panic(void)
{
	if (exit_port)
		outb(exit_port, RUN_END_PANIC);
}
