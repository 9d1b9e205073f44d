/* SPDX-License-Identifier: MIT */
/*
 * End of run: counts live (running or restarting) partitions; the state
 * change that takes the count to zero prints the summary (state, exit
 * status, restarts, exit counts by reason, hypercalls by number, injected
 * interrupts of every partition, then what the hypervisor still holds:
 * boot heap, device interrupt routes, DMA attachments) and ends the
 * emulator through
 * isa-debug-exit when the config asks for it.
 */
#include "run_end.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "core/base/boot_alloc.h"
#include "core/console/console.h"
#include "core/passthrough/passthrough.h"
#include "lib/format.h"
#include "partition.h"

static volatile unsigned live_partitions;
static unsigned short exit_port;

void run_end_init(unsigned live, unsigned short port)
{
	live_partitions = live;
	exit_port = port;
}

void run_end_partition_started(void)
{
	__atomic_add_fetch(&live_partitions, 1, __ATOMIC_ACQ_REL);
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
	length = 0;
	for (unsigned number = 0; number < BULKHEAD_HC_COUNT; number++) {
		uint64_t count = 0;

		for (uint32_t v = 0; v < p->vcpu_count; v++)
			count += p->vcpus[v]->hypercall.call_counts[number];
		if (count && length < (int)sizeof(line))
			length += format(line + length, sizeof(line) - length,
					 " %u=%llu", number,
					 (unsigned long long)count);
	}
	uint64_t injected = 0;
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		injected += p->vcpus[v]->interrupts_injected;
	log_line("  %-16s hypercalls by number:%s; interrupts injected: %llu",
		 p->config->name, length ? line : " none",
		 (unsigned long long)injected);
}

/* QEMU's isa-debug-exit takes the code; Bochs has none and instead enters
 * its debugger on this port sequence, which the test runner's command file
 * answers with "quit" (QEMU ignores the port). Both only when the config
 * names an exit port, i.e. never on real hardware. */
static void end_emulator(uint8_t code)
{
	if (!exit_port)
		return;
	outb(exit_port, code);
	outw(0x8a00, 0x8a00);
	outw(0x8a00, 0x8ae0);
}

/* Nothing is allocated after boot and every partition has ended, so the
 * heap is as it was sealed and no device keeps a route or an attachment,
 * however many restarts there were: a leak shows here. */
static void print_resources(void)
{
	struct passthrough_usage usage;
	uint32_t restarts = 0;

	for (uint32_t i = 0; i < partition_count; i++)
		restarts += partitions[i]->restarts;
	passthrough_usage(&usage);
	log_line("resources after %u restarts: boot heap %llu KiB used (%llu "
		 "when sealed); device interrupt routes %u MSI, %u INTx; %u of "
		 "%u owned functions attached to %u DMA domains",
		 restarts, (unsigned long long)boot_alloc_used() >> 10,
		 (unsigned long long)boot_alloc_used_at_seal() >> 10,
		 usage.msi_routes, usage.intx_routes, usage.attached,
		 usage.functions, usage.domains);
}

static bool print_summary(void)
{
	bool pass = true;

	log_line("summary: %u partitions", partition_count);
	log_line("  %-16s %-10s %-8s %s", "partition", "state", "restarts",
		 "status");
	for (uint32_t i = 0; i < partition_count; i++) {
		const struct partition *p = partitions[i];

		if (p->state == PARTITION_EXITED)
			log_line("  %-16s %-10s %-8u %lld", p->config->name,
				 partition_state_name(p->state), p->restarts,
				 (long long)p->exit_status);
		else
			log_line("  %-16s %-10s %-8u (%s)", p->config->name,
				 partition_state_name(p->state), p->restarts,
				 p->stop_reason);
		pass &= p->state == PARTITION_EXITED && p->exit_status == 0;
	}
	for (uint32_t i = 0; i < partition_count; i++)
		print_exit_counts(partitions[i]);
	print_resources();
	return pass;
}

void run_end_partition_ended(void)
{
	if (__atomic_sub_fetch(&live_partitions, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	bool pass = print_summary();
	log_line("end of run: %s", pass ? "pass" : "fail");
	end_emulator(pass ? RUN_END_PASS : RUN_END_FAIL);
}

/* The vCPU the panicking CPU ran, and its last exit. */
static void dump_last_exit(void)
{
	struct cpu *cpu = this_cpu();
	struct vcpu *vcpu = cpu->vcpu;

	if (!vcpu)
		return;
	log_line("CPU %u ran partition %s vCPU %u; last exit: %s (code 0x%llx "
		 "info1 0x%llx info2 0x%llx)",
		 cpu->index, vcpu->partition->config->name, vcpu->index,
		 exit_reason_names[vcpu->last_exit.reason],
		 (unsigned long long)vcpu->last_exit.vendor_code,
		 (unsigned long long)vcpu->last_exit.vendor_info1,
		 (unsigned long long)vcpu->last_exit.vendor_info2);
}

void run_end_panic(void)
{
	dump_last_exit();
	end_emulator(RUN_END_PANIC);
}

void run_end_refused(const char *reason)
{
	log_line("configuration refused: %s", reason);
	log_line("end of run: fail (configuration refused)");
	end_emulator(RUN_END_FAIL);
	cpu_halt_forever();
}
