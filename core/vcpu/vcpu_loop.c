/* SPDX-License-Identifier: MIT */
/*
 * The life of a vCPU's CPU: the exit loop and the policy for every exit
 * reason (the hypervisor's hot path: no lock unless the guest prints or its
 * partition changes state, nothing saved beyond what the backend's world
 * switch must), interrupt delivery to the guest, and the waits while the
 * partition is halted, stopped or being restarted.
 */
#include "vcpu_loop.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idle.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "core/console/console.h"
#include "core/hypercall/hypercall_dispatch.h"
#include "core/partition/partition_lifecycle.h"
#include "core/passthrough/passthrough.h"
#include "core/platform/apic.h"
#include "core/platform/msix_table.h"
#include "core/platform/pci_config.h"
#include "core/platform/port_io.h"
#include "core/platform/uart_input.h"
#include "lib/format.h"
#include "control_register_exit.h"
#include "cpuid_policy.h"
#include "msr_policy.h"

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
	[EXIT_INTERRUPT_WINDOW] = "interrupt-window",
	[EXIT_CONTROL_REGISTER] = "control-register",
	[EXIT_DENIED_INSTRUCTION] = "denied-instruction",
	[EXIT_ENTRY_FAILED] = "entry-failed",
	[EXIT_UNHANDLED] = "unhandled",
	[EXIT_CACHE_FLUSH] = "cache-flush",
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
	partition_fault(vcpu->partition, reason);
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
	partition_fault(vcpu->partition, reason);
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

	/* The backend has moved RIP past the call and read the CPL. */
	vcpu->hypercall.cpl = exit->cpl;
	r->rax = (uint64_t)hypercall_handle(&vcpu->hypercall, r->rax, r->rdi,
					    r->rsi, r->rdx, r->r10);
}

/* One flag on the hot path instead of four words; it may be set while no
 * bit is (deliver_interrupts then clears it), never clear while one is. */
static bool interrupt_pending(const struct vcpu *vcpu)
{
	return vcpu->any_pending;
}

/* The still-running current run of the vCPU's partition. */
static bool current_run(const struct vcpu *vcpu)
{
	/* running_run is 0 unless the partition runs (partition.h), and
	 * seen_run is never 0. */
	return vcpu->partition->running_run == vcpu->seen_run;
}

/* The highest pending vector, or -1. */
static int highest_pending(const struct vcpu *vcpu)
{
	for (int word = 3; word >= 0; word--) {
		uint64_t bits = vcpu->pending_interrupts[word];

		if (bits)
			return word * 64 + 63 - __builtin_clzll(bits);
	}
	return -1;
}

/* Whether the task priority (CR8) lets this vector in: its priority
 * class (vector / 16) must be above it. */
static bool above_task_priority(const struct vcpu *vcpu, int vector)
{
	return (vector >> 4) > vcpu->tpr;
}

/* A pending interrupt the guest could take once interrupts are on. With
 * CR8 at 0 (the usual case) that is any, and the flag says so. */
static bool deliverable_pending(const struct vcpu *vcpu)
{
	int vector;

	if (!interrupt_pending(vcpu))
		return false;
	if (!vcpu->tpr)
		return true;
	vector = highest_pending(vcpu);
	return vector >= 0 && above_task_priority(vcpu, vector);
}

/* A halted vCPU sleeps until an interrupt it can take is pending or its
 * partition changes state. A partition whose every vCPU halted with no way
 * to be woken (interrupts off, or no channel to ring it) is stopped. */
static void handle_halt(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct partition *p = vcpu->partition;
	bool wakeable = p->channel_count && backend->vcpu_interrupts_enabled(vcpu);

	backend->vcpu_set_rip(vcpu, exit->next_rip);
	/* An interrupt injected at the very HLT that now exits: the guest took
	 * it just before the HLT (QEMU's SVM ignores the STI shadow on VMRUN,
	 * so "sti; hlt" can take it there). On hardware it would have woken
	 * this HLT, so the HLT ends here instead of sleeping for good. */
	if (vcpu->injected_at_rip == exit->next_rip - 1)
		return;
	if (!wakeable &&
	    __atomic_add_fetch(&p->halted_vcpus, 1, __ATOMIC_ACQ_REL) ==
		    p->vcpu_count) {
		partition_fault(p, "every vCPU halted with nothing to wake it");
		return;
	}
	while (current_run(vcpu) && !(wakeable && deliverable_pending(vcpu))) {
		__atomic_store_n(&vcpu->wake, 0, __ATOMIC_SEQ_CST);
		if (current_run(vcpu) && !deliverable_pending(vcpu))
			idle_until_woken(&vcpu->wake);
	}
	if (!wakeable)
		__atomic_sub_fetch(&p->halted_vcpus, 1, __ATOMIC_ACQ_REL);
}

/* A PC vCPU halted with interrupts on sleeps until its virtual APIC
 * has something for it (an IPI, a device interrupt, its timer: the host
 * timer wakes the idle wait). With interrupts off it can only be woken by
 * a state change; when every vCPU is so halted the partition stops. */
static void handle_pc_halt(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	if (!backend->vcpu_interrupts_enabled(vcpu)) {
		handle_halt(vcpu, exit);
		return;
	}
	backend->vcpu_set_rip(vcpu, exit->next_rip);
	if (vcpu->injected_at_rip == exit->next_rip - 1)
		return;
	while (current_run(vcpu) && !virtual_apic_wake_pending(vcpu)) {
		__atomic_store_n(&vcpu->wake, 0, __ATOMIC_SEQ_CST);
		console_input_poll_due(vcpu);
		/* The host timer may have fired early; always arm it again. */
		vcpu->host_timer_deadline = 0;
		virtual_apic_arm_host_timer(vcpu);
		if (current_run(vcpu) && !virtual_apic_wake_pending(vcpu))
			idle_until_woken(&vcpu->wake);
	}
}

/* Runs an instruction emulation; one it cannot do stops the partition.
 * Out of line: its message buffer stays off the exit loop's frame. */
static __attribute__((noinline)) void emulate(struct vcpu *vcpu, const struct vcpu_exit *exit,
		    bool (*emulation)(struct vcpu *, const struct vcpu_exit *,
				      char *, size_t))
{
	char error[160];

	if (!emulation(vcpu, exit, error, sizeof(error))) {
		backend->vcpu_dump(vcpu);
		partition_fault(vcpu->partition, error);
	}
}

/* Injects the highest pending vector if the guest can take it now (its
 * class above CR8, interrupts on), and asks for an interrupt-window exit
 * while one waits that only interrupts being off hold back; a lower CR8
 * (a CR8 write exits) or a new doorbell is looked at at the next entry. */
static void deliver_interrupts(struct vcpu *vcpu)
{
	if (backend->vcpu_interrupt_ready(vcpu)) {
		int vector = highest_pending(vcpu);

		if (vector >= 0 && above_task_priority(vcpu, vector)) {
			unsigned v = (unsigned)vector;

			__atomic_and_fetch(&vcpu->pending_interrupts[v / 64],
					   ~(1ull << (v % 64)),
					   __ATOMIC_SEQ_CST);
			backend->vcpu_inject_interrupt(vcpu, (uint8_t)v);
			vcpu->interrupts_injected++;
			vcpu->injected_at_rip = backend->vcpu_rip(vcpu);
		}
	}
	/* Cleared first, then set again if a bit remains: a bit raised
	 * meanwhile sets the flag after its bit, so none is forgotten. */
	__atomic_store_n(&vcpu->any_pending, 0, __ATOMIC_SEQ_CST);
	if (vcpu->pending_interrupts[0] | vcpu->pending_interrupts[1] |
	    vcpu->pending_interrupts[2] | vcpu->pending_interrupts[3])
		__atomic_store_n(&vcpu->any_pending, 1, __ATOMIC_SEQ_CST);
	backend->vcpu_interrupt_window(vcpu, deliverable_pending(vcpu));
}

/* The policy per exit reason, one handler each, called through
 * exit_handlers[] (one indirect call: cheaper on the hot path than a
 * switch's compare and jump table). */
static void cpuid_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	(void)exit; /* RIP is past it already (vcpu.h) */
	cpuid_emulate(&vcpu->registers, &vcpu->cpuid_view);
}

static void io_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	if (exit->io.string)
		stop_for_exit(vcpu, exit); /* INS/OUTS: not emulated */
	else
		port_io_emulate(vcpu, exit); /* RIP is past it (vcpu.h) */
}

static void stage2_fault_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	if (virtual_apic_is_device(vcpu->partition, exit->fault.address))
		emulate(vcpu, exit, virtual_apic_mmio);
	else if (msix_table_is_trapped(vcpu->partition, exit->fault.address))
		emulate(vcpu, exit, msix_table_mmio);
	else if (pci_config_ecam_is_window(vcpu->partition,
					   exit->fault.address))
		emulate(vcpu, exit, pci_config_ecam_mmio);
	else
		stop_for_fault(vcpu, exit);
}

static void triple_fault_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	(void)exit;
	if (vcpu->partition->state == PARTITION_RUNNING)
		backend->vcpu_dump(vcpu);
	partition_fault(vcpu->partition, "triple fault (shutdown)");
}

static void hlt_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	if (vcpu->cpuid_view.pc_platform)
		handle_pc_halt(vcpu, exit);
	else
		handle_halt(vcpu, exit);
}

/* The host timer fired (maybe a little before the guest's deadline, by
 * rounding): program it again if still due. */
static void interrupt_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	(void)exit;
	vcpu->host_timer_deadline = 0;
}

/* A kick: the loop re-checks state and interrupts. On the CPU that serves
 * IOMMU faults it may be a fault event too. */
static void nmi_exit(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	(void)vcpu;
	(void)exit;
	if (passthrough_active())
		passthrough_poll_faults(partition_fault);
}

static void interrupt_window_exit(struct vcpu *vcpu,
				  const struct vcpu_exit *exit)
{
	(void)exit;
	backend->vcpu_interrupt_window(vcpu, false);
}

static void control_register_exit_handler(struct vcpu *vcpu,
					  const struct vcpu_exit *exit)
{
	emulate(vcpu, exit, control_register_exit);
}

static void cache_flush_exit_handler(struct vcpu *vcpu,
				     const struct vcpu_exit *exit)
{
	emulate(vcpu, exit, cache_flush_exit);
}

static void denied_instruction_exit(struct vcpu *vcpu,
				    const struct vcpu_exit *exit)
{
	if (exit->denied.general_protection)
		backend->vcpu_inject_exception(vcpu, VECTOR_GENERAL_PROTECTION,
					       true, 0);
	else
		backend->vcpu_inject_exception(vcpu, VECTOR_INVALID_OPCODE,
					       false, 0);
}

static void (*const exit_handlers[EXIT_REASON_COUNT])(
	struct vcpu *, const struct vcpu_exit *) = {
	[EXIT_CPUID] = cpuid_exit,
	[EXIT_HYPERCALL] = handle_hypercall,
	[EXIT_IO] = io_exit,
	[EXIT_MSR_READ] = handle_msr,
	[EXIT_MSR_WRITE] = handle_msr,
	[EXIT_STAGE2_FAULT] = stage2_fault_exit,
	[EXIT_TRIPLE_FAULT] = triple_fault_exit,
	[EXIT_HLT] = hlt_exit,
	[EXIT_INTERRUPT] = interrupt_exit,
	[EXIT_NMI] = nmi_exit,
	[EXIT_INTERRUPT_WINDOW] = interrupt_window_exit,
	[EXIT_CONTROL_REGISTER] = control_register_exit_handler,
	[EXIT_DENIED_INSTRUCTION] = denied_instruction_exit,
	[EXIT_ENTRY_FAILED] = stop_for_exit,
	[EXIT_UNHANDLED] = stop_for_exit,
	[EXIT_CACHE_FLUSH] = cache_flush_exit_handler,
};
_Static_assert(EXIT_REASON_COUNT == 16, "every exit reason has a handler");

/* An application processor of a Linux partition waits for the guest's
 * start-up IPI, then starts in real mode at its vector. */
static void wait_for_startup(struct vcpu *vcpu)
{
	uint32_t request = __atomic_load_n(&vcpu->startup_request,
					   __ATOMIC_SEQ_CST);

	if (request & STARTUP_REQUESTED) {
		if (!backend->vcpu_startup) {
			partition_fault(vcpu->partition,
					"the guest started a CPU, which this "
					"backend cannot run in real mode yet");
			return;
		}
		backend->vcpu_startup(vcpu, (uint8_t)request);
		vcpu->waiting_for_startup = false;
		return;
	}
	__atomic_store_n(&vcpu->wake, 0, __ATOMIC_SEQ_CST);
	if (current_run(vcpu) &&
	    !__atomic_load_n(&vcpu->startup_request, __ATOMIC_SEQ_CST))
		idle_until_woken(&vcpu->wake);
}

static void run_guest(struct vcpu *vcpu)
{
	struct vcpu_exit *exit = &vcpu->last_exit;

	vcpu->seen_run = vcpu->partition->run;
	vcpu->in_guest_loop = true;
	for (;;) {
		/* Cleared before the state and the pending interrupts are
		 * read: a kick after this is seen by the entry (see vcpu.h). */
		__atomic_store_n(&vcpu->wake, 0, __ATOMIC_SEQ_CST);
		if (!current_run(vcpu))
			break;
		if (vcpu->waiting_for_startup) {
			wait_for_startup(vcpu);
			continue;
		}
		if (vcpu->cpuid_view.pc_platform) {
			console_input_poll_due(vcpu);
			virtual_apic_deliver(vcpu);
		}
		else if (interrupt_pending(vcpu))
			deliver_interrupts(vcpu);
		backend->vcpu_run(vcpu, exit);
		/* The backend gives a reason below EXIT_REASON_COUNT (vcpu.h). */
		vcpu->exit_counts[exit->reason]++;
		exit_handlers[exit->reason](vcpu, exit);
		vcpu->injected_at_rip = ~0ull; /* valid for one exit only */
	}
	vcpu->in_guest_loop = false;
}

/* vCPU 0 reloads the partition once every other vCPU is out of its loop. */
static void reload(struct vcpu *vcpu)
{
	struct partition *p = vcpu->partition;

	for (uint32_t v = 1; v < p->vcpu_count; v++)
		while (p->vcpus[v]->in_guest_loop)
			cpu_relax();
	partition_load(p);
}

void vcpu_thread(struct vcpu *vcpu)
{
	struct partition *p = vcpu->partition;

	for (;;) {
		/* Cleared before the state is read: a later change sets it. */
		__atomic_store_n(&vcpu->wake, 0, __ATOMIC_SEQ_CST);
		enum partition_state state = p->state;

		if (state == PARTITION_RUNNING && p->run != vcpu->seen_run)
			run_guest(vcpu);
		else if (state == PARTITION_RESTARTING && vcpu->index == 0)
			reload(vcpu);
		else
			idle_until_woken(&vcpu->wake);
	}
}
