/* SPDX-License-Identifier: MIT */
/*
 * The exit loop of a vCPU and the policy for every exit reason: this is
 * the hypervisor's hot path. It takes no lock except when the guest prints
 * or its partition changes state, and saves nothing beyond what the
 * backend's world switch must.
 */
#include "../arch/x86_64/cpu.h"
#include "../lib/format.h"
#include "console.h"
#include "cpuid_policy.h"
#include "hypercall.h"
#include "msr_policy.h"
#include "partition.h"
#include "virtual_uart.h"

#define VECTOR_INVALID_OPCODE 6
#define VECTOR_GENERAL_PROTECTION 13

const char *const exit_reason_names[EXIT_REASON_COUNT] = {
	[EXIT_CPUID] = "cpuid",
	[EXIT_HYPERCALL] = "hypercall",
	[EXIT_IO] = "port-io",
	[EXIT_MSR_READ] = "msr-read",
	[EXIT_MSR_WRITE] = "msr-write",
	[EXIT_STAGE2_FAULT] = "stage2-fault",
	[EXIT_TRIPLE_FAULT] = "triple-fault",
	[EXIT_HLT] = "hlt",
	[EXIT_INTERRUPT] = "interrupt",
	[EXIT_NMI] = "nmi",
	[EXIT_CONTROL_REGISTER] = "control-register",
	[EXIT_DENIED_INSTRUCTION] = "denied-instruction",
	[EXIT_ENTRY_FAILED] = "entry-failed",
	[EXIT_UNHANDLED] = "unhandled",
};

static void stop_for_fault(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	char reason[160];
	const char *access = exit->fault.execute ? "execute"
			     : exit->fault.write ? "write"
						 : "read";

	format(reason, sizeof(reason),
	       "%s of guest-physical 0x%llx outside its memory (0..0x%llx) "
	       "at RIP 0x%llx",
	       access, (unsigned long long)exit->fault.address,
	       (unsigned long long)vcpu->partition->memory_size - 1,
	       (unsigned long long)backend->vcpu_rip(vcpu));
	partition_stop(vcpu->partition, reason);
}

static void stop_for_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	char reason[160];

	format(reason, sizeof(reason),
	       "%s exit (code 0x%llx, info 0x%llx 0x%llx) on vCPU %u",
	       exit_reason_names[exit->reason],
	       (unsigned long long)exit->vendor_code,
	       (unsigned long long)exit->vendor_info1,
	       (unsigned long long)exit->vendor_info2, vcpu->index);
	if (vcpu->partition->state == PARTITION_RUNNING)
		backend->vcpu_dump(vcpu);
	partition_stop(vcpu->partition, reason);
}

static void handle_msr(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct vcpu_registers *r = &vcpu->registers;
	uint32_t index = (uint32_t)r->rcx;
	uint64_t value;

	if (exit->reason == EXIT_MSR_READ) {
		if (!msr_read(vcpu, index, &value)) {
			backend->vcpu_inject_exception(
				vcpu, VECTOR_GENERAL_PROTECTION, true, 0);
			return;
		}
		r->rax = (uint32_t)value;
		r->rdx = value >> 32;
	} else if (!msr_write(vcpu, index,
			      (uint32_t)r->rax | (r->rdx << 32))) {
		backend->vcpu_inject_exception(vcpu, VECTOR_GENERAL_PROTECTION,
					       true, 0);
		return;
	}
	backend->vcpu_set_rip(vcpu, exit->next_rip);
}

static void handle_hypercall(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct vcpu_registers *r = &vcpu->registers;

	vcpu->hypercall.cpl = backend->vcpu_cpl(vcpu);
	r->rax = (uint64_t)hypercall_handle(&vcpu->hypercall, r->rax, r->rdi,
					    r->rsi, r->rdx, r->r10);
	backend->vcpu_set_rip(vcpu, exit->next_rip);
}

/* Nothing wakes a halted vCPU in ABI v1 (no interrupts are delivered to
 * guests yet): it waits until its partition ends, and once every vCPU of
 * the partition has halted the partition is stopped rather than hung. */
static void handle_halt(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct partition *p = vcpu->partition;

	backend->vcpu_set_rip(vcpu, exit->next_rip);
	if (__atomic_add_fetch(&p->halted_vcpus, 1, __ATOMIC_ACQ_REL) ==
	    p->vcpu_count)
		partition_stop(p, "every vCPU halted with nothing to wake it");
	while (p->state == PARTITION_RUNNING)
		cpu_relax();
}

static void handle_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	switch (exit->reason) {
	case EXIT_CPUID:
		cpuid_emulate(&vcpu->registers);
		backend->vcpu_set_rip(vcpu, exit->next_rip);
		break;
	case EXIT_HYPERCALL:
		handle_hypercall(vcpu, exit);
		break;
	case EXIT_IO:
		if (exit->io.string) {
			stop_for_exit(vcpu, exit); /* INS/OUTS: not emulated */
			break;
		}
		port_io_emulate(vcpu, exit);
		backend->vcpu_set_rip(vcpu, exit->next_rip);
		break;
	case EXIT_MSR_READ:
	case EXIT_MSR_WRITE:
		handle_msr(vcpu, exit);
		break;
	case EXIT_STAGE2_FAULT:
		stop_for_fault(vcpu, exit);
		break;
	case EXIT_TRIPLE_FAULT:
		partition_stop(vcpu->partition, "triple fault (shutdown)");
		break;
	case EXIT_HLT:
		handle_halt(vcpu, exit);
		break;
	case EXIT_INTERRUPT:
	case EXIT_NMI:
		break; /* a kick: the loop re-checks the partition state */
	case EXIT_CONTROL_REGISTER:
		if (!backend->vcpu_control_register_access ||
		    !backend->vcpu_control_register_access(vcpu, exit))
			stop_for_exit(vcpu, exit);
		break;
	case EXIT_DENIED_INSTRUCTION:
		backend->vcpu_inject_exception(vcpu, VECTOR_INVALID_OPCODE,
					       false, 0);
		break;
	case EXIT_ENTRY_FAILED:
	case EXIT_UNHANDLED:
	case EXIT_REASON_COUNT:
		stop_for_exit(vcpu, exit);
		break;
	}
}

void vcpu_loop(struct vcpu *vcpu)
{
	struct vcpu_exit *exit = &vcpu->last_exit;

	vcpu->running = true;
	while (vcpu->partition->state == PARTITION_RUNNING) {
		backend->vcpu_run(vcpu, exit);
		vcpu->exit_counts[exit->reason]++;
		handle_exit(vcpu, exit);
	}
	vcpu->running = false;
}
