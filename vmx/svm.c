/* SPDX-License-Identifier: MIT */
/*
 * The AMD-V (SVM) backend of the vCPU interface: enabling SVM per CPU, the
 * VMCB of each vCPU, the intercept bitmaps of each partition, entry state,
 * event injection and exit decoding. It never decides policy: every exit is
 * normalised and handed back to core/vcpu/vcpu_loop.c. CR0 and CR4 writes and
 * CR8 both ways exit, so the core checks each write as the CPU would for
 * the features the guest is shown (QEMU's TCG checks none of CR0's and
 * ends the run on a reserved CR4 bit); without decode assists the core
 * decodes them.
 *
 * The hypervisor itself never uses FS, GS, TR, LDTR or the SYSCALL and
 * SYSENTER MSRs, so the state VMLOAD loads is loaded once per vCPU launch
 * and stays live across exits: the exit path runs no VMSAVE or VMLOAD.
 */
#include <string.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "core/base/boot_alloc.h"
#include "core/console/console.h"
#include "core/image/guest_boot.h"
#include "core/partition/partition.h"
#include "core/vcpu/control_registers.h"
#include "core/vcpu/msr_policy.h"
#include "ept/stage2.h"
#include <bulkhead/guest_walk.h>
#include "lib/format.h"
#include "svm_vmcb.h"

#define SVM_CPUID_FEATURES 0x8000000a
#define SVM_FEATURE_NESTED_PAGING (1u << 0)
#define SVM_FEATURE_NEXT_RIP (1u << 3)
#define VM_CR_SVM_DISABLED (1u << 4)
#define IOPM_SIZE (3 * PAGE_SIZE)
#define MSRPM_SIZE (2 * PAGE_SIZE)
#define GUEST_PAT_DEFAULT 0x0007040600070406ull

int svm_enter(uint64_t vmcb_physical, struct vcpu_registers *registers,
	      volatile uint64_t *wake);
void svm_vmload(uint64_t vmcb_physical);

static bool svm_has_next_rip;
static unsigned svm_max_leaf_level = 1;

static bool svm_cpu_enable(struct cpu *cpu, char *error, unsigned size)
{
	struct cpuid_result extended = cpuid(0x80000001, 0);

	if (!(extended.ecx & (1u << 2))) {
		format(error, size, "CPU %u has no AMD-V (SVM)", cpu->index);
		return false;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVM_DISABLED) {
		format(error, size, "AMD-V is disabled by the firmware on CPU %u",
		       cpu->index);
		return false;
	}
	struct cpuid_result features = cpuid(SVM_CPUID_FEATURES, 0);
	if (!(features.edx & SVM_FEATURE_NESTED_PAGING)) {
		format(error, size, "CPU %u has no nested paging (NPT)",
		       cpu->index);
		return false;
	}
	svm_has_next_rip = features.edx & SVM_FEATURE_NEXT_RIP;
	svm_max_leaf_level = (extended.edx & (1u << 26)) ? 2 : 1;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, cpu->virt_host_area_physical);
	return true;
}

static void allow_port(uint8_t *bitmap, uint32_t port)
{
	bitmap[port / 8] &= (uint8_t)~(1u << (port % 8));
}

static void allow_msr(uint8_t *bitmap, uint32_t msr)
{
	uint32_t base;

	if (msr < 0x2000)
		base = 0;
	else if (msr >= 0xc0000000 && msr < 0xc0002000)
		base = 0x800 * 8, msr -= 0xc0000000;
	else if (msr >= 0xc0010000 && msr < 0xc0012000)
		base = 0x1000 * 8, msr -= 0xc0010000;
	else
		return;
	uint32_t bit = base + msr * 2;
	bitmap[bit / 8] &= (uint8_t)~(3u << (bit % 8)); /* read and write */
}

static bool svm_partition_create(struct partition *partition)
{

	partition->io_bitmap = boot_alloc(IOPM_SIZE, PAGE_SIZE);
	partition->msr_bitmap = boot_alloc(MSRPM_SIZE, PAGE_SIZE);
	partition->io_bitmap_physical = (uintptr_t)partition->io_bitmap;
	partition->msr_bitmap_physical = (uintptr_t)partition->msr_bitmap;
	memset(partition->io_bitmap, 0xff, IOPM_SIZE);
	memset(partition->msr_bitmap, 0xff, MSRPM_SIZE);
	for (uint32_t i = 0; i < partition->granted_port_count; i++)
		for (uint32_t p = 0; p < partition->granted_ports[i].count; p++)
			allow_port(partition->io_bitmap,
				   partition->granted_ports[i].base + p);
	for (uint32_t i = 0; i < msr_passthrough_count; i++)
		allow_msr(partition->msr_bitmap, msr_passthrough[i]);
	return true;
}

static bool svm_vcpu_create(struct vcpu *vcpu)
{
	struct partition *partition = vcpu->partition;
	uint8_t *vmcb = boot_alloc(PAGE_SIZE, PAGE_SIZE);

	vcpu->control_block = vmcb;
	vcpu->control_block_physical = (uintptr_t)vmcb;
	vmcb_write32(vmcb, VMCB_INTERCEPT_CR,
		     SVM_INTERCEPT_CR_WRITE(0) | SVM_INTERCEPT_CR_WRITE(4) |
			     SVM_INTERCEPT_CR_READ(8) |
			     SVM_INTERCEPT_CR_WRITE(8));
	vmcb_write32(vmcb, VMCB_INTERCEPT_EXCEPTIONS, 0);
	vmcb_write32(vmcb, VMCB_INTERCEPT_MISC1,
		     SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI |
			     SVM_INTERCEPT_INIT | SVM_INTERCEPT_CPUID |
			     SVM_INTERCEPT_RDPMC |
			     SVM_INTERCEPT_INVD | SVM_INTERCEPT_HLT |
			     SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO |
			     SVM_INTERCEPT_MSR | SVM_INTERCEPT_TASK_SWITCH |
			     SVM_INTERCEPT_SHUTDOWN);
	vmcb_write32(vmcb, VMCB_INTERCEPT_MISC2,
		     SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			     SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			     SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_RDTSCP |
			     SVM_INTERCEPT_ICEBP |
			     SVM_INTERCEPT_WBINVD | SVM_INTERCEPT_MONITOR |
			     SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_MWAIT_ARMED |
			     SVM_INTERCEPT_XSETBV);
	vmcb_write64(vmcb, VMCB_IOPM_BASE, partition->io_bitmap_physical);
	vmcb_write64(vmcb, VMCB_MSRPM_BASE, partition->msr_bitmap_physical);
	vmcb_write32(vmcb, VMCB_GUEST_ASID, partition->id + 1);
	vmcb_write64(vmcb, VMCB_VINTR, SVM_VINTR_MASKING);
	vmcb_write64(vmcb, VMCB_NESTED_CONTROL, 1);  /* nested paging on */
	vmcb_write64(vmcb, VMCB_NESTED_CR3, partition->stage2.root);
	return true;
}

/* 32-bit protected mode with paging off: the Multiboot entry state. */
static void svm_protected32_state(uint8_t *vmcb, const struct vcpu_entry *entry)
{
	static const unsigned data_segments[] = { VMCB_DS, VMCB_ES, VMCB_SS,
						  VMCB_FS, VMCB_GS };

	vmcb_write_segment(vmcb, VMCB_CS, entry->code_selector, 0xc9b,
			   0xffffffff, 0);
	for (unsigned i = 0; i < sizeof(data_segments) / sizeof(unsigned); i++)
		vmcb_write_segment(vmcb, data_segments[i], entry->data_selector,
				   0xc93, 0xffffffff, 0);
	vmcb_write_segment(vmcb, VMCB_GDTR, 0, 0, 0, 0);
	vmcb_write_segment(vmcb, VMCB_TR, 0, 0x8b, 0x67, 0);
	vmcb_write64(vmcb, VMCB_EFER, EFER_SVME);
	vmcb_write64(vmcb, VMCB_CR0, CR0_PE | CR0_ET);
	vmcb_write64(vmcb, VMCB_CR3, 0);
	vmcb_write64(vmcb, VMCB_CR4, 0);
}

static void svm_vcpu_reset(struct vcpu *vcpu)
{
	uint8_t *vmcb = vcpu->control_block;
	const struct vcpu_entry *entry = &vcpu->entry;

	vmcb_write_segment(vmcb, VMCB_CS, entry->code_selector, 0xa9b,
			   0xffffffff, 0);
	static const unsigned data_segments[] = { VMCB_DS, VMCB_ES, VMCB_SS,
						  VMCB_FS, VMCB_GS };
	for (unsigned i = 0; i < sizeof(data_segments) / sizeof(unsigned); i++)
		vmcb_write_segment(vmcb, data_segments[i], entry->data_selector,
				   0xc93, 0xffffffff, 0);
	vmcb_write_segment(vmcb, VMCB_GDTR, 0, 0, GUEST_GDT_LIMIT,
			   BULKHEAD_GUEST_GDT);
	vmcb_write_segment(vmcb, VMCB_IDTR, 0, 0, 0, 0);
	vmcb_write_segment(vmcb, VMCB_LDTR, 0, 0x82, 0, 0);
	vmcb_write_segment(vmcb, VMCB_TR, 0, 0x8b, 0x67, 0);
	vmcb_write8(vmcb, VMCB_CPL, 0);
	vmcb_write64(vmcb, VMCB_EFER, EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME);
	vmcb_write64(vmcb, VMCB_CR0,
		     CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
	vmcb_write64(vmcb, VMCB_CR3, BULKHEAD_GUEST_PML4);
	vmcb_write64(vmcb, VMCB_CR4, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT);
	vmcb_write64(vmcb, VMCB_DR7, 0x400);
	vmcb_write64(vmcb, VMCB_DR6, 0xffff0ff0);
	vmcb_write64(vmcb, VMCB_RFLAGS, 0x2);
	vmcb_write64(vmcb, VMCB_RIP, entry->rip);
	vmcb_write64(vmcb, VMCB_RSP, 0);
	vmcb_write64(vmcb, VMCB_GUEST_PAT, GUEST_PAT_DEFAULT);
	vmcb_write64(vmcb, VMCB_EVENT_INJECTION, 0);
	vmcb_write8(vmcb, VMCB_TLB_CONTROL, 1); /* flush this ASID once */
	memset(&vcpu->registers, 0, sizeof(vcpu->registers));
	vcpu->registers.rax = entry->rax;
	vcpu->registers.rbx = entry->rbx;
	vcpu->registers.rdi = entry->rdi;
	vcpu->registers.rsi = entry->rsi;
	if (entry->protected32)
		svm_protected32_state(vmcb, entry);
	vmcb_write64(vmcb, VMCB_VINTR, SVM_VINTR_MASKING);
	vmcb_write64(vmcb, VMCB_INTERRUPT_SHADOW, 0);
	/* FS, GS, TR, LDTR and the syscall MSRs: loaded once, see above, by
	 * the vCPU's own CPU at its next entry. */
	vcpu->vendor_state[0] = 1;
}

/* The state INIT then a start-up IPI leave: real mode at vector:0000,
 * paging and protection off, every segment a 64 KiB real-mode one. */
static void svm_vcpu_startup(struct vcpu *vcpu, uint8_t vector)
{
	uint8_t *vmcb = vcpu->control_block;
	static const unsigned data_segments[] = { VMCB_DS, VMCB_ES, VMCB_SS,
						  VMCB_FS, VMCB_GS };

	vmcb_write_segment(vmcb, VMCB_CS, (uint16_t)(vector << 8), 0x9b,
			   0xffff, (uint64_t)vector << 12);
	for (unsigned i = 0; i < sizeof(data_segments) / sizeof(unsigned); i++)
		vmcb_write_segment(vmcb, data_segments[i], 0, 0x93, 0xffff, 0);
	vmcb_write_segment(vmcb, VMCB_GDTR, 0, 0, 0xffff, 0);
	vmcb_write_segment(vmcb, VMCB_IDTR, 0, 0, 0xffff, 0);
	vmcb_write_segment(vmcb, VMCB_LDTR, 0, 0x82, 0xffff, 0);
	vmcb_write_segment(vmcb, VMCB_TR, 0, 0x8b, 0xffff, 0);
	vmcb_write8(vmcb, VMCB_CPL, 0);
	vmcb_write64(vmcb, VMCB_EFER, EFER_SVME);
	vmcb_write64(vmcb, VMCB_CR0, CR0_ET);
	vmcb_write64(vmcb, VMCB_CR3, 0);
	vmcb_write64(vmcb, VMCB_CR4, 0);
	vmcb_write64(vmcb, VMCB_DR7, 0x400);
	vmcb_write64(vmcb, VMCB_DR6, 0xffff0ff0);
	vmcb_write64(vmcb, VMCB_RFLAGS, 0x2);
	vmcb_write64(vmcb, VMCB_RIP, 0);
	vmcb_write64(vmcb, VMCB_RSP, 0);
	vmcb_write64(vmcb, VMCB_GUEST_PAT, GUEST_PAT_DEFAULT);
	vmcb_write64(vmcb, VMCB_EVENT_INJECTION, 0);
	vmcb_write8(vmcb, VMCB_TLB_CONTROL, 1);
	memset(&vcpu->registers, 0, sizeof(vcpu->registers));
	vmcb_write64(vmcb, VMCB_VINTR, SVM_VINTR_MASKING);
	vmcb_write64(vmcb, VMCB_INTERRUPT_SHADOW, 0);
	vcpu->vendor_state[0] = 1;
}

static void svm_vcpu_paging(struct vcpu *vcpu, struct guest_paging *paging,
			    unsigned *code_bits)
{
	const uint8_t *vmcb = vcpu->control_block;
	uint16_t cs_attributes = *(const volatile uint16_t *)(vmcb + VMCB_CS + 2);

	paging->cr0 = vmcb_read64(vmcb, VMCB_CR0);
	paging->cr3 = vmcb_read64(vmcb, VMCB_CR3);
	paging->cr4 = vmcb_read64(vmcb, VMCB_CR4);
	paging->efer = vmcb_read64(vmcb, VMCB_EFER) & ~EFER_SVME;
	if ((paging->efer & EFER_LMA) && (cs_attributes & (1u << 9)))
		*code_bits = 64; /* CS.L */
	else if (paging->cr0 & CR0_PE)
		*code_bits = cs_attributes & (1u << 10) ? 32 : 16; /* CS.D */
	else
		*code_bits = 16;
}

static enum exit_reason classify(uint64_t code)
{
	switch (code) {
	case SVM_EXIT_VINTR:
		return EXIT_INTERRUPT_WINDOW;
	case SVM_EXIT_CPUID:
		return EXIT_CPUID;
	case SVM_EXIT_VMMCALL:
		return EXIT_HYPERCALL;
	case SVM_EXIT_IOIO:
		return EXIT_IO;
	case SVM_EXIT_NPF:
		return EXIT_STAGE2_FAULT;
	case SVM_EXIT_SHUTDOWN:
		return EXIT_TRIPLE_FAULT;
	case SVM_EXIT_HLT:
		return EXIT_HLT;
	case SVM_EXIT_READ_CR8:
	case SVM_EXIT_WRITE_CR0:
	case SVM_EXIT_WRITE_CR4:
	case SVM_EXIT_WRITE_CR8:
		return EXIT_CONTROL_REGISTER;
	case SVM_EXIT_INVD:
	case SVM_EXIT_WBINVD:
		return EXIT_CACHE_FLUSH;
	case SVM_EXIT_INTR:
		return EXIT_INTERRUPT;
	case SVM_EXIT_NMI:
		return EXIT_NMI;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_RDPMC:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_RDTSCP:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_ARMED:
		return EXIT_DENIED_INSTRUCTION;
	default:
		return (uint32_t)code == SVM_EXIT_INVALID ? EXIT_ENTRY_FAILED
							  : EXIT_UNHANDLED;
	}
}

/* Instruction lengths for CPUs without NRIP save (QEMU's TCG). */
static uint64_t fixed_length(enum exit_reason reason)
{
	switch (reason) {
	case EXIT_CPUID:
	case EXIT_MSR_READ:
	case EXIT_MSR_WRITE:
		return 2;
	case EXIT_HYPERCALL:
		return 3;
	case EXIT_HLT:
		return 1;
	default:
		return 0;
	}
}

/* Where the guest resumes after an instruction of `length` bytes that the
 * hypervisor completes: NRIP save when the CPU has it (TCG does not). */
static inline uint64_t svm_next_rip(const uint8_t *vmcb, uint64_t length)
{
	return svm_has_next_rip ? vmcb_read64(vmcb, VMCB_NEXT_RIP)
				: vmcb_read64(vmcb, VMCB_RIP) + length;
}

/* An exit that always completes (CPUID, VMMCALL): the guest resumes past
 * the instruction, outside any STI shadow (vcpu.h). */
static inline void complete(uint8_t *vmcb, uint64_t next_rip)
{
	vmcb_write64(vmcb, VMCB_RIP, next_rip);
	vmcb_write64(vmcb, VMCB_INTERRUPT_SHADOW, 0);
}

static void svm_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	uint8_t *vmcb = vcpu->control_block;

	if (vcpu->vendor_state[0]) {
		svm_vmload(vcpu->control_block_physical);
		vcpu->vendor_state[0] = 0;
	}
	vmcb_write64(vmcb, VMCB_RAX, vcpu->registers.rax);
	if (svm_enter(vcpu->control_block_physical, &vcpu->registers,
		      &vcpu->wake)) {
		/* Kicked before the entry: the loop looks at the vCPU again. */
		*exit = (struct vcpu_exit){ .reason = EXIT_NMI };
		return;
	}
	vcpu->registers.rax = vmcb_read64(vmcb, VMCB_RAX);
	vmcb_write8(vmcb, VMCB_TLB_CONTROL, 0);
	/* An event the exit interrupted is delivered again at the next entry
	 * (EXITINTINFO has the EVENTINJ format). */
	uint64_t interrupted = vmcb_read64(vmcb, VMCB_EXIT_INT_INFO);
	vmcb_write64(vmcb, VMCB_EVENT_INJECTION, 0);
	if (interrupted & SVM_EVENT_VALID)
		vmcb_write64(vmcb, VMCB_EVENT_INJECTION, interrupted);

	uint64_t code = vmcb_read64(vmcb, VMCB_EXIT_CODE);

	exit->vendor_code = code;
	/* The frequent exits are decoded here directly, the rest through
	 * classify(): make bench counts this path (docs/performance.md).
	 * CPUID first: the most frequent exit of a booting Linux but for
	 * port I/O, and the cheapest to tell; its EXITINFO fields say
	 * nothing. */
	if (code == SVM_EXIT_CPUID) {
		exit->vendor_info1 = 0;
		exit->vendor_info2 = 0;
		exit->reason = EXIT_CPUID;
		exit->next_rip = svm_next_rip(vmcb, 2);
		complete(vmcb, exit->next_rip);
		return;
	}
	uint64_t info1 = vmcb_read64(vmcb, VMCB_EXIT_INFO1);
	uint64_t info2 = vmcb_read64(vmcb, VMCB_EXIT_INFO2);

	exit->vendor_info1 = info1;
	exit->vendor_info2 = info2;
	if (code == SVM_EXIT_IOIO) {
		exit->reason = EXIT_IO;
		exit->io.port = info1 >> 16;
		/* SZ8, SZ16 and SZ32 (bits 4-6) are one-hot: 1, 2 or 4. */
		exit->io.size = (info1 >> 4) & 7;
		exit->io.in = info1 & 1;
		exit->io.string = info1 & (1 << 2);
		exit->next_rip = info2;
		if (!exit->io.string)
			complete(vmcb, info2);
		return;
	}
	switch (code) {
	case SVM_EXIT_VMMCALL:
		exit->reason = EXIT_HYPERCALL;
		exit->next_rip = svm_next_rip(vmcb, 3);
		exit->cpl = vmcb_read8(vmcb, VMCB_CPL);
		complete(vmcb, exit->next_rip);
		return;
	case SVM_EXIT_MSR:
		exit->reason = info1 ? EXIT_MSR_WRITE : EXIT_MSR_READ;
		exit->next_rip = svm_next_rip(vmcb, 2);
		return;
	case SVM_EXIT_NPF:
		exit->reason = EXIT_STAGE2_FAULT;
		exit->fault.address = info2;
		exit->fault.write = info1 & (1 << 1);
		exit->fault.execute = info1 & (1 << 4);
		return;
	}
	if (code == SVM_EXIT_INTR) {
		/* The physical interrupt (the host timer) is still pending:
		 * take it now, with IF on for one instruction; its handler
		 * acknowledges it. */
		__asm__ volatile("sti; nop; cli" ::: "memory");
	}
	exit->reason = classify(code);
	if (fixed_length(exit->reason))
		exit->next_rip = svm_next_rip(vmcb, fixed_length(exit->reason));
	else
		exit->next_rip = vmcb_read64(vmcb, VMCB_RIP);
	/* Read only for the two reasons below: the fast exits above skip
	 * it. */
	exit->instruction_unknown = false;
	if (exit->reason == EXIT_CONTROL_REGISTER) {
		/* The register and direction; the core decodes the rest. */
		exit->control_register.number = code & 0xf;
		exit->control_register.access = code < 0x10; /* 1: read */
		exit->instruction_unknown = true;
	} else if (exit->reason == EXIT_DENIED_INSTRUCTION) {
		exit->denied.general_protection = code == SVM_EXIT_RDPMC;
	} else if (exit->reason == EXIT_CACHE_FLUSH) {
		/* QEMU reports INVD as a WBINVD exit: both are cache flushes
		 * and the core finds the length when there is no NRIP. */
		exit->instruction_unknown = !svm_has_next_rip;
		if (svm_has_next_rip)
			exit->next_rip = vmcb_read64(vmcb, VMCB_NEXT_RIP);
	}
}

/* Moving past an instruction also ends an STI or MOV SS shadow. */
static void svm_vcpu_set_rip(struct vcpu *vcpu, uint64_t rip)
{
	vmcb_write64(vcpu->control_block, VMCB_RIP, rip);
	vmcb_write64(vcpu->control_block, VMCB_INTERRUPT_SHADOW, 0);
}

static uint64_t svm_vcpu_rip(struct vcpu *vcpu)
{
	return vmcb_read64(vcpu->control_block, VMCB_RIP);
}

static unsigned svm_vcpu_cpl(struct vcpu *vcpu)
{
	return vmcb_read8(vcpu->control_block, VMCB_CPL);
}

static void svm_vcpu_inject_exception(struct vcpu *vcpu, uint8_t vector,
				      bool has_error_code, uint32_t error_code)
{
	uint64_t event = vector | SVM_EVENT_TYPE_EXCEPTION | SVM_EVENT_VALID;

	if (has_error_code)
		event |= SVM_EVENT_ERROR_CODE | (uint64_t)error_code << 32;
	vmcb_write64(vcpu->control_block, VMCB_EVENT_INJECTION, event);
}

static bool svm_vcpu_interrupts_enabled(struct vcpu *vcpu)
{
	return vmcb_read64(vcpu->control_block, VMCB_RFLAGS) & RFLAGS_IF;
}

static bool svm_vcpu_interrupt_ready(struct vcpu *vcpu)
{
	const uint8_t *vmcb = vcpu->control_block;

	return svm_vcpu_interrupts_enabled(vcpu) &&
	       !(vmcb_read64(vmcb, VMCB_INTERRUPT_SHADOW) &
		 SVM_INTERRUPT_SHADOW) &&
	       !(vmcb_read64(vmcb, VMCB_EVENT_INJECTION) & SVM_EVENT_VALID);
}

static void svm_vcpu_inject_interrupt(struct vcpu *vcpu, uint8_t vector)
{
	vmcb_write64(vcpu->control_block, VMCB_EVENT_INJECTION,
		     vector | SVM_EVENT_TYPE_INTERRUPT | SVM_EVENT_VALID);
}

/* A virtual interrupt request (V_IRQ) with the VINTR intercept exits as
 * soon as the guest could take an interrupt; the real one is then injected
 * through EVENTINJ. */
static void svm_vcpu_interrupt_window(struct vcpu *vcpu, bool wanted)
{
	uint8_t *vmcb = vcpu->control_block;
	uint32_t intercepts = vmcb_read32(vmcb, VMCB_INTERCEPT_MISC1);
	uint64_t vintr = SVM_VINTR_MASKING;

	if (wanted) {
		intercepts |= SVM_INTERCEPT_VINTR;
		vintr |= SVM_VINTR_IRQ | SVM_VINTR_IGNORE_TPR;
	} else {
		intercepts &= ~SVM_INTERCEPT_VINTR;
	}
	vmcb_write32(vmcb, VMCB_INTERCEPT_MISC1, intercepts);
	vmcb_write64(vmcb, VMCB_VINTR, vintr);
}

static uint64_t svm_vcpu_efer(struct vcpu *vcpu)
{
	return vmcb_read64(vcpu->control_block, VMCB_EFER) & ~EFER_SVME;
}

static void svm_vcpu_set_efer(struct vcpu *vcpu, uint64_t efer)
{
	vmcb_write64(vcpu->control_block, VMCB_EFER, efer | EFER_SVME);
}

static void svm_vcpu_control_state(struct vcpu *vcpu,
				   struct control_state *state)
{
	const uint8_t *vmcb = vcpu->control_block;
	uint16_t cs_attributes = *(const volatile uint16_t *)(vmcb + VMCB_CS + 2);

	state->cr0 = vmcb_read64(vmcb, VMCB_CR0);
	state->cr3 = vmcb_read64(vmcb, VMCB_CR3);
	state->cr4 = vmcb_read64(vmcb, VMCB_CR4);
	state->efer = vmcb_read64(vmcb, VMCB_EFER) & ~EFER_SVME;
	state->code_64bit = (state->efer & EFER_LMA) &&
			    (cs_attributes & (1u << 9)); /* CS.L */
}

/* CR0.PG switches IA-32e mode when EFER.LME is set; the guest's TLB is
 * flushed as the instruction would (nested paging: no PDPTEs to load). */
static void svm_vcpu_set_control_register(struct vcpu *vcpu, unsigned number,
					  uint64_t value,
					  const uint64_t *pdptes)
{
	uint8_t *vmcb = vcpu->control_block;

	(void)pdptes;
	if (number == 0) {
		vmcb_write64(vmcb, VMCB_CR0, value);
		vmcb_write64(vmcb, VMCB_EFER,
			     control_efer_after_cr0(vmcb_read64(vmcb, VMCB_EFER),
						    value));
	} else {
		vmcb_write64(vmcb, VMCB_CR4, value);
	}
	vmcb_write8(vmcb, VMCB_TLB_CONTROL, 1);
}

static uint64_t svm_vcpu_code_base(struct vcpu *vcpu)
{
	return vmcb_read64(vcpu->control_block, VMCB_CS + 8);
}

static void svm_vcpu_dump(struct vcpu *vcpu)
{
	const uint8_t *vmcb = vcpu->control_block;

	log_line("  RIP 0x%llx RSP 0x%llx RFLAGS 0x%llx CPL %u",
		 (unsigned long long)vmcb_read64(vmcb, VMCB_RIP),
		 (unsigned long long)vmcb_read64(vmcb, VMCB_RSP),
		 (unsigned long long)vmcb_read64(vmcb, VMCB_RFLAGS),
		 vmcb_read8(vmcb, VMCB_CPL));
	log_line("  CR0 0x%llx CR3 0x%llx CR4 0x%llx EFER 0x%llx",
		 (unsigned long long)vmcb_read64(vmcb, VMCB_CR0),
		 (unsigned long long)vmcb_read64(vmcb, VMCB_CR3),
		 (unsigned long long)vmcb_read64(vmcb, VMCB_CR4),
		 (unsigned long long)vmcb_read64(vmcb, VMCB_EFER));
	log_line("  exit code 0x%llx info1 0x%llx info2 0x%llx",
		 (unsigned long long)vmcb_read64(vmcb, VMCB_EXIT_CODE),
		 (unsigned long long)vmcb_read64(vmcb, VMCB_EXIT_INFO1),
		 (unsigned long long)vmcb_read64(vmcb, VMCB_EXIT_INFO2));
}

static const struct pagetable_format *svm_stage2_format(void)
{
	return npt_format(svm_max_leaf_level);
}

const struct vcpu_backend svm_backend = {
	.name = "AMD-V (SVM) with nested paging",
	.cpu_enable = svm_cpu_enable,
	.partition_create = svm_partition_create,
	.vcpu_create = svm_vcpu_create,
	.vcpu_reset = svm_vcpu_reset,
	.vcpu_startup = svm_vcpu_startup,
	.vcpu_paging = svm_vcpu_paging,
	.vcpu_run = svm_vcpu_run,
	.vcpu_set_rip = svm_vcpu_set_rip,
	.vcpu_rip = svm_vcpu_rip,
	.vcpu_cpl = svm_vcpu_cpl,
	.vcpu_inject_exception = svm_vcpu_inject_exception,
	.vcpu_interrupt_ready = svm_vcpu_interrupt_ready,
	.vcpu_inject_interrupt = svm_vcpu_inject_interrupt,
	.vcpu_interrupt_window = svm_vcpu_interrupt_window,
	.vcpu_interrupts_enabled = svm_vcpu_interrupts_enabled,
	.vcpu_control_state = svm_vcpu_control_state,
	.vcpu_set_control_register = svm_vcpu_set_control_register,
	.vcpu_code_base = svm_vcpu_code_base,
	.vcpu_efer = svm_vcpu_efer,
	.vcpu_set_efer = svm_vcpu_set_efer,
	.vcpu_dump = svm_vcpu_dump,
	.stage2_format = svm_stage2_format,
};
