/* SPDX-License-Identifier: MIT */
/*
 * The Intel VT-x backend of the vCPU interface: VMXON per CPU, a VMCS per
 * vCPU with EPT and VPID, the same deny-by-default I/O and MSR policy as the
 * AMD backend, CR0/CR4 shadowing (a guest never sees or clears CR4.VMXE;
 * every CR0/CR4 bit it may not set exits, and core/vcpu/control_registers.c
 * checks the write), CR8 exiting (its TPR is virtual, never the local
 * APIC's), WBINVD exiting, event injection and exit decoding (vmx_exit.c).
 * Policy stays in core/.
 *
 * A VMCS is only usable on the CPU that loaded it, so vcpu_reset only
 * records the entry point; the VMCS is (re)built by the vCPU's own CPU
 * on its next run.
 */
#include <bulkhead/ept_format.h>
#include <bulkhead/guest_walk.h>
#include <string.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/interrupt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "core/base/boot_alloc.h"
#include "core/console/console.h"
#include "core/image/guest_boot.h"
#include "core/partition/partition.h"
#include "core/vcpu/control_registers.h"
#include "core/vcpu/msr_policy.h"
#include "lib/format.h"
#include "vmcs.h"
#include "vmx_controls.h"
#include "vmx_diagnose.h"
#include "vmx_exit.h"

#define CR4_VMXE (1ull << 13)
#define IO_BITMAPS_SIZE (3 * PAGE_SIZE) /* same layout as the AMD IOPM */
#define MSR_BITMAP_SIZE PAGE_SIZE
#define INTERRUPTION_VALID (1u << 31)
#define INTERRUPTION_ERROR_CODE (1u << 11)
#define INTERRUPTION_HARDWARE_EXCEPTION (3u << 8)
#define INTERRUPTION_EXTERNAL (0u << 8)
#define INTERRUPTIBILITY_STI_MOV_SS 3u
#define INTERRUPTIBILITY_NMI 8u
/* The SYSCALL MSRs and KernelGSBase are passed through but not switched by
 * VMX: they are cleared on this CPU whenever a vCPU is (re)started. */
static const uint32_t unswitched_msrs[] = { 0xc0000081, 0xc0000082,
					    0xc0000083, 0xc0000084,
					    0xc0000102 };

int vmx_enter(struct vcpu_registers *registers, int launched,
	      volatile uint64_t *wake);
void vmx_exit(void);

/* Computed once on the boot CPU; every CPU must agree. */
static struct {
	uint32_t revision;
	uint32_t pin, proc, proc2, exit, entry;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;
	bool unrestricted_guest;
	unsigned max_leaf_level;
} vmx;

/* Per-vCPU state kept beside the VMCS. */
struct vmx_vcpu {
	bool launched;
	bool needs_setup;
	bool real_mode_start; /* the next setup enters real mode (a SIPI) */
	uint8_t startup_vector;
	uint64_t entry_rip;
};

static bool fail(char *error, unsigned size, const char *text,
		 struct cpu *cpu)
{
	format(error, size, "CPU %u: %s", cpu->index, text);
	return false;
}

static bool compute_control(uint32_t msr, uint32_t true_msr, uint32_t required,
			    uint32_t optional, uint32_t *value,
			    const char *name, char *error, unsigned size)
{
	bool true_controls = rdmsr(MSR_VMX_BASIC) & VMX_BASIC_TRUE_CONTROLS;
	uint32_t missing;

	if (vmx_control_compute(rdmsr(true_controls ? true_msr : msr),
				required, optional, value, &missing))
		return true;
	format(error, size, "the CPU lacks required VMX %s controls 0x%x",
	       name, missing);
	return false;
}

static bool compute_capabilities(char *error, unsigned size)
{
	uint64_t basic = rdmsr(MSR_VMX_BASIC);

	vmx.revision = basic & 0x7fffffff;
	if (!compute_control(MSR_VMX_PINBASED, MSR_VMX_TRUE_PINBASED,
			     PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING, 0,
			     &vmx.pin, "pin-based", error, size) ||
	    !compute_control(MSR_VMX_PROCBASED, MSR_VMX_TRUE_PROCBASED,
			     PROC_HLT_EXITING | PROC_USE_IO_BITMAPS |
				     PROC_USE_MSR_BITMAPS |
				     PROC_ACTIVATE_SECONDARY |
				     PROC_MWAIT_EXITING | PROC_MONITOR_EXITING |
				     PROC_RDPMC_EXITING |
				     PROC_CR8_LOAD_EXITING |
				     PROC_CR8_STORE_EXITING,
			     0, &vmx.proc, "processor-based", error, size) ||
	    !compute_control(MSR_VMX_EXIT, MSR_VMX_TRUE_EXIT,
			     EXIT_HOST_64BIT | EXIT_ACK_INTERRUPT |
				     EXIT_SAVE_PAT | EXIT_LOAD_PAT |
				     EXIT_SAVE_EFER | EXIT_LOAD_EFER,
			     0, &vmx.exit, "exit", error, size) ||
	    !compute_control(MSR_VMX_ENTRY, MSR_VMX_TRUE_ENTRY,
			     ENTRY_IA32E_GUEST | ENTRY_LOAD_PAT |
				     ENTRY_LOAD_EFER,
			     0, &vmx.entry, "entry", error, size))
		return false;
	/* Doorbells need interrupt-window exits; only when asked for. */
	uint32_t window_missing;
	uint32_t window;
	if (!vmx_control_compute(rdmsr(MSR_VMX_PROCBASED),
				 PROC_INTERRUPT_WINDOW_EXITING, 0, &window,
				 &window_missing)) {
		format(error, size, "the CPU has no interrupt-window exiting");
		return false;
	}
	/* Secondary controls have no TRUE variant. */
	uint32_t missing;
	if (!vmx_control_compute(rdmsr(MSR_VMX_PROCBASED2),
				 PROC2_ENABLE_EPT | PROC2_WBINVD_EXITING,
				 PROC2_ENABLE_VPID | PROC2_UNRESTRICTED_GUEST,
				 &vmx.proc2, &missing)) {
		format(error, size, "the CPU has no EPT or no WBINVD exiting");
		return false;
	}
	/* The entry state sets IA-32e mode; clear it again for each reset. */
	vmx.entry &= ~ENTRY_IA32E_GUEST;
	vmx.unrestricted_guest = vmx.proc2 & PROC2_UNRESTRICTED_GUEST;
	vmx.ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	if ((vmx.ept_vpid & (EPT_CAP_WALK_4 | EPT_CAP_WRITE_BACK | EPT_CAP_2M)) !=
	    (EPT_CAP_WALK_4 | EPT_CAP_WRITE_BACK | EPT_CAP_2M)) {
		format(error, size,
		       "EPT lacks 4-level walks, write-back or 2 MiB pages");
		return false;
	}
	if (!(vmx.ept_vpid & VPID_CAP_INVVPID_ALL))
		vmx.proc2 &= ~PROC2_ENABLE_VPID;
	vmx.max_leaf_level = (vmx.ept_vpid & EPT_CAP_1G) ? 2 : 1;
	vmx.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	vmx.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	vmx.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	vmx.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	return true;
}

static bool enable_feature_control(struct cpu *cpu, char *error, unsigned size)
{
	uint64_t control = rdmsr(MSR_FEATURE_CONTROL);

	if (!(control & FEATURE_CONTROL_LOCK)) {
		control |= FEATURE_CONTROL_LOCK |
			   FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
		wrmsr(MSR_FEATURE_CONTROL, control);
	}
	if (!(control & FEATURE_CONTROL_VMXON_OUTSIDE_SMX))
		return fail(error, size,
			    "VT-x is disabled by the firmware "
			    "(IA32_FEATURE_CONTROL locked without VMXON)",
			    cpu);
	return true;
}

static void invalidate_translations(void)
{
	struct {
		uint64_t first, second;
	} descriptor = { 0, 0 };
	uint64_t all_contexts = 2;

	if ((vmx.ept_vpid & (EPT_CAP_INVEPT | EPT_CAP_INVEPT_ALL)) ==
	    (EPT_CAP_INVEPT | EPT_CAP_INVEPT_ALL))
		__asm__ volatile("invept %0, %1"
				 :
				 : "m"(descriptor), "r"(all_contexts)
				 : "cc", "memory");
	if (vmx.proc2 & PROC2_ENABLE_VPID)
		__asm__ volatile("invvpid %0, %1"
				 :
				 : "m"(descriptor), "r"(all_contexts)
				 : "cc", "memory");
}

static bool vmx_cpu_enable(struct cpu *cpu, char *error, unsigned size)
{
	uint8_t failed;

	if (!(cpuid(1, 0).ecx & (1u << 5)))
		return fail(error, size, "the CPU has no VT-x (VMX)", cpu);
	if (!enable_feature_control(cpu, error, size))
		return false;
	if (cpu->index == 0 && !compute_capabilities(error, size))
		return false;
	write_cr0(vmx_fixed_bits(read_cr0(), vmx.cr0_fixed0, vmx.cr0_fixed1));
	write_cr4(vmx_fixed_bits(read_cr4() | CR4_VMXE, vmx.cr4_fixed0,
				 vmx.cr4_fixed1));
	*(uint32_t *)cpu->virt_host_area = vmx.revision;
	__asm__ volatile("vmxon %1; setbe %0"
			 : "=qm"(failed)
			 : "m"(cpu->virt_host_area_physical)
			 : "cc", "memory");
	if (failed)
		return fail(error, size, "VMXON failed", cpu);
	invalidate_translations();
	return true;
}

static void allow_msr(uint8_t *bitmap, uint32_t msr)
{
	uint32_t offset;

	if (msr < 0x2000)
		offset = 0;
	else if (msr >= 0xc0000000 && msr < 0xc0002000)
		offset = 0x400, msr -= 0xc0000000;
	else
		return;
	bitmap[offset + msr / 8] &= (uint8_t)~(1u << (msr % 8));         /* read */
	bitmap[0x800 + offset + msr / 8] &= (uint8_t)~(1u << (msr % 8)); /* write */
}

static bool vmx_partition_create(struct partition *partition)
{
	uint8_t *io = boot_alloc(IO_BITMAPS_SIZE, PAGE_SIZE);

	partition->io_bitmap = io;
	partition->msr_bitmap = boot_alloc(MSR_BITMAP_SIZE, PAGE_SIZE);
	partition->io_bitmap_physical = (uintptr_t)io;
	partition->msr_bitmap_physical = (uintptr_t)partition->msr_bitmap;
	memset(io, 0xff, IO_BITMAPS_SIZE);
	memset(partition->msr_bitmap, 0xff, MSR_BITMAP_SIZE);
	for (uint32_t i = 0; i < partition->granted_port_count; i++)
		for (uint32_t p = 0; p < partition->granted_ports[i].count;
		     p++) {
			uint32_t port = partition->granted_ports[i].base + p;

			io[port / 8] &= (uint8_t)~(1u << (port % 8));
		}
	for (uint32_t i = 0; i < msr_passthrough_count; i++)
		allow_msr(partition->msr_bitmap, msr_passthrough[i]);
	return true;
}

static bool vmx_vcpu_create(struct vcpu *vcpu)
{
	vcpu->control_block = boot_alloc(PAGE_SIZE, PAGE_SIZE);
	vcpu->control_block_physical = (uintptr_t)vcpu->control_block;
	return true;
}

static struct vmx_vcpu *state_of(struct vcpu *vcpu)
{
	/* The VMCS page holds the hardware's data; our bookkeeping lives in
	 * the vCPU's vendor area. */
	_Static_assert(sizeof(struct vmx_vcpu) <= sizeof(vcpu->vendor_state),
		       "vendor_state too small");
	return (struct vmx_vcpu *)vcpu->vendor_state;
}

static void vmx_vcpu_reset(struct vcpu *vcpu)
{
	struct vmx_vcpu *state = state_of(vcpu);

	state->needs_setup = true;
	state->launched = false;
	state->real_mode_start = false;
	state->entry_rip = vcpu->entry.rip;
	memset(&vcpu->registers, 0, sizeof(vcpu->registers));
	vcpu->registers.rax = vcpu->entry.rax;
	vcpu->registers.rbx = vcpu->entry.rbx;
	vcpu->registers.rdi = vcpu->entry.rdi;
	vcpu->registers.rsi = vcpu->entry.rsi;
}

struct segment_setup {
	uint32_t selector_field, index;
	uint16_t selector;
	uint32_t access;
	uint32_t limit;
};

static void write_guest_segments(const struct vcpu_entry *entry)
{
	const uint16_t code = entry->code_selector, data = entry->data_selector;
	const struct segment_setup segments[] = {
		{ VMCS_GUEST_ES, 0, data, 0xc093, 0xffffffff },
		{ VMCS_GUEST_CS, 1, code, 0xa09b, 0xffffffff },
		{ VMCS_GUEST_SS, 2, data, 0xc093, 0xffffffff },
		{ VMCS_GUEST_DS, 3, data, 0xc093, 0xffffffff },
		{ VMCS_GUEST_FS, 4, data, 0xc093, 0xffffffff },
		{ VMCS_GUEST_GS, 5, data, 0xc093, 0xffffffff },
		{ VMCS_GUEST_LDTR, 6, 0, 0x10000, 0 }, /* unusable */
		{ VMCS_GUEST_TR, 7, 0, 0x8b, 0x67 },   /* busy 64-bit TSS */
	};

	for (unsigned i = 0; i < sizeof(segments) / sizeof(segments[0]); i++) {
		const struct segment_setup *s = &segments[i];

		vmcs_write(s->selector_field, s->selector);
		vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * s->index, s->limit);
		vmcs_write(VMCS_GUEST_ES_ACCESS + 2 * s->index, s->access);
		vmcs_write(VMCS_GUEST_ES_BASE + 2 * s->index, 0);
	}
	vmcs_write(VMCS_GUEST_GDTR_BASE, BULKHEAD_GUEST_GDT);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, GUEST_GDT_LIMIT);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0);
}

/* Bits of CR0/CR4 the guest may not own: VMX fixes them. */
static uint64_t cr0_owned_by_host(void)
{
	uint64_t mask = vmx.cr0_fixed0 | ~vmx.cr0_fixed1;

	if (vmx.unrestricted_guest)
		mask &= ~(CR0_PE | CR0_PG);
	return mask & 0xffffffffull;
}

static uint64_t cr4_owned_by_host(void)
{
	return (vmx.cr4_fixed0 | ~vmx.cr4_fixed1) & 0xffffffffull;
}

/* The guest/host masks: every bit VMX fixes, every CR0 bit that does not
 * exist and every CR4 bit the guest's CPUID does not offer exits on a
 * write that changes it, so core/vcpu/control_registers.c sees it. */
static void write_control_masks(const struct vcpu *vcpu)
{
	vmcs_write(VMCS_CR0_MASK, cr0_owned_by_host() | ~CR0_DEFINED);
	vmcs_write(VMCS_CR4_MASK,
		   cr4_owned_by_host() |
			   ~(vcpu->control_limits.cr4_allowed & vmx.cr4_fixed1));
}

/* The guest's view: its own bits from the register, the others from the
 * read shadow. */
static uint64_t guest_view(uint64_t real, uint64_t shadow, uint64_t mask)
{
	return (real & ~mask) | (shadow & mask);
}

static void write_guest_state(struct vcpu *vcpu, uint64_t rip)
{
	uint64_t cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	uint64_t cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;

	write_guest_segments(&vcpu->entry);
	write_control_masks(vcpu);
	vmcs_write(VMCS_CR0_SHADOW, cr0);
	vmcs_write(VMCS_GUEST_CR0,
		   vmx_fixed_bits(cr0, vmx.cr0_fixed0, vmx.cr0_fixed1));
	vmcs_write(VMCS_CR4_SHADOW, cr4);
	vmcs_write(VMCS_GUEST_CR4,
		   vmx_fixed_bits(cr4, vmx.cr4_fixed0, vmx.cr4_fixed1));
	vmcs_write(VMCS_GUEST_CR3, BULKHEAD_GUEST_PML4);
	vmcs_write(VMCS_GUEST_EFER, EFER_LME | EFER_LMA | EFER_NXE);
	vmcs_write(VMCS_GUEST_PAT, 0x0007040600070406ull);
	vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_DR7, 0x400);
	vmcs_write(VMCS_GUEST_RFLAGS, 0x2);
	vmcs_write(VMCS_GUEST_RIP, rip);
	vmcs_write(VMCS_GUEST_RSP, 0);
	vmcs_write(VMCS_GUEST_PENDING_DEBUG, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_LINK_POINTER, ~0ull);
	vmcs_write(VMCS_ENTRY_CONTROLS, vmx.entry | ENTRY_IA32E_GUEST);
	vmcs_write(VMCS_ENTRY_INTERRUPTION_INFO, 0);
	(void)vcpu;
}

static void write_host_state(void)
{
	struct cpu *cpu = this_cpu();
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmcs_write(VMCS_HOST_CR4, read_cr4());
	vmcs_write(VMCS_HOST_CS, 0x08);
	vmcs_write(VMCS_HOST_SS, 0x10);
	vmcs_write(VMCS_HOST_DS, 0x10);
	vmcs_write(VMCS_HOST_ES, 0x10);
	vmcs_write(VMCS_HOST_FS, 0);
	vmcs_write(VMCS_HOST_GS, 0);
	vmcs_write(VMCS_HOST_TR, 0x18);
	vmcs_write(VMCS_HOST_FS_BASE, 0);
	vmcs_write(VMCS_HOST_GS_BASE, 0);
	vmcs_write(VMCS_HOST_TR_BASE, (uintptr_t)&cpu->tss);
	vmcs_write(VMCS_HOST_GDTR_BASE, (uintptr_t)cpu->gdt);
	vmcs_write(VMCS_HOST_IDTR_BASE, idtr.base);
	vmcs_write(VMCS_HOST_SYSENTER_CS, 0);
	vmcs_write(VMCS_HOST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_HOST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmcs_write(VMCS_HOST_RIP, (uintptr_t)vmx_exit);
}

static void write_controls(struct vcpu *vcpu)
{
	struct partition *p = vcpu->partition;

	vmcs_write(VMCS_PIN_CONTROLS, vmx.pin);
	vmcs_write(VMCS_PROC_CONTROLS, vmx.proc);
	vmcs_write(VMCS_PROC_CONTROLS2, vmx.proc2);
	vmcs_write(VMCS_EXIT_CONTROLS, vmx.exit);
	vmcs_write(VMCS_EXCEPTION_BITMAP, 0);
	vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_IO_BITMAP_A, p->io_bitmap_physical);
	vmcs_write(VMCS_IO_BITMAP_B, p->io_bitmap_physical + PAGE_SIZE);
	vmcs_write(VMCS_MSR_BITMAP, p->msr_bitmap_physical);
	vmcs_write(VMCS_TSC_OFFSET, 0);
	vmcs_write(VMCS_EPT_POINTER, ept_pointer(p->stage2.root));
	if (vmx.proc2 & PROC2_ENABLE_VPID)
		vmcs_write(VMCS_VPID, p->id + 1);
}

/* The state after INIT and a start-up IPI: real mode at vector:0000.
 * Needs unrestricted guest (PE and PG clear under VMX). */
static void write_real_mode_state(uint8_t vector)
{
	for (unsigned i = 0; i < 8; i++) { /* ES CS SS DS FS GS LDTR TR */
		bool code = i == 1;

		vmcs_write(VMCS_GUEST_ES + 2 * i,
			   code ? (uint16_t)(vector << 8) : 0);
		vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * i, 0xffff);
		vmcs_write(VMCS_GUEST_ES_ACCESS + 2 * i,
			   i == 6   ? 0x10000 /* LDTR unusable */
			   : i == 7 ? 0x8b    /* busy TSS */
			   : code   ? 0x9b
				    : 0x93);
		vmcs_write(VMCS_GUEST_ES_BASE + 2 * i,
			   code ? (uint64_t)vector << 12 : 0);
	}
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_CR0_SHADOW, CR0_ET);
	vmcs_write(VMCS_GUEST_CR0,
		   vmx_fixed_bits(CR0_ET, vmx.cr0_fixed0 & ~(CR0_PE | CR0_PG),
				  vmx.cr0_fixed1));
	vmcs_write(VMCS_CR4_SHADOW, 0);
	vmcs_write(VMCS_GUEST_CR4,
		   vmx_fixed_bits(0, vmx.cr4_fixed0, vmx.cr4_fixed1));
	vmcs_write(VMCS_GUEST_CR3, 0);
	vmcs_write(VMCS_GUEST_EFER, 0);
	vmcs_write(VMCS_GUEST_RIP, 0);
	vmcs_write(VMCS_ENTRY_CONTROLS, vmx.entry);
}

/* 32-bit protected mode with paging off, flat 4 GiB segments: the
 * Multiboot entry state. Needs unrestricted guest (PG clear under VMX). */
static void write_protected32_state(const struct vcpu_entry *entry)
{
	for (unsigned i = 0; i < 6; i++) { /* ES CS SS DS FS GS */
		bool code = i == 1;

		vmcs_write(VMCS_GUEST_ES + 2 * i, code ? entry->code_selector
						       : entry->data_selector);
		vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * i, 0xffffffff);
		vmcs_write(VMCS_GUEST_ES_ACCESS + 2 * i, code ? 0xc09b : 0xc093);
		vmcs_write(VMCS_GUEST_ES_BASE + 2 * i, 0);
	}
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0);
	vmcs_write(VMCS_CR0_SHADOW, CR0_PE | CR0_ET);
	vmcs_write(VMCS_GUEST_CR0,
		   vmx_fixed_bits(CR0_PE | CR0_ET, vmx.cr0_fixed0 & ~CR0_PG,
				  vmx.cr0_fixed1));
	vmcs_write(VMCS_CR4_SHADOW, 0);
	vmcs_write(VMCS_GUEST_CR4,
		   vmx_fixed_bits(0, vmx.cr4_fixed0, vmx.cr4_fixed1));
	vmcs_write(VMCS_GUEST_CR3, 0);
	vmcs_write(VMCS_GUEST_EFER, 0);
	vmcs_write(VMCS_ENTRY_CONTROLS, vmx.entry);
}

static void setup_vmcs(struct vcpu *vcpu)
{
	struct vmx_vcpu *state = state_of(vcpu);
	uint64_t vmcs = vcpu->control_block_physical;

	*(uint32_t *)vcpu->control_block = vmx.revision;
	__asm__ volatile("vmclear %0" : : "m"(vmcs) : "cc", "memory");
	__asm__ volatile("vmptrld %0" : : "m"(vmcs) : "cc", "memory");
	write_controls(vcpu);
	write_host_state();
	write_guest_state(vcpu, state->entry_rip);
	if (state->real_mode_start)
		write_real_mode_state(state->startup_vector);
	else if (vcpu->entry.protected32)
		write_protected32_state(&vcpu->entry);
	for (unsigned i = 0; i < sizeof(unswitched_msrs) / sizeof(uint32_t); i++)
		wrmsr(unswitched_msrs[i], 0);
	invalidate_translations();
	state->needs_setup = false;
	state->launched = false;
}

/* An event whose delivery the exit interrupted is delivered again at the
 * next entry (the IDT-vectoring information has the entry format). */
static void reinject_interrupted_event(void)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);

	vmcs_write(VMCS_ENTRY_INTERRUPTION_INFO, 0);
	if (!(info & INTERRUPTION_VALID))
		return;
	if (info & INTERRUPTION_ERROR_CODE)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR,
			   vmcs_read(VMCS_IDT_VECTORING_ERROR));
	vmcs_write(VMCS_ENTRY_INSTRUCTION_LENGTH,
		   vmcs_read(VMCS_EXIT_INSTRUCTION_LENGTH));
	vmcs_write(VMCS_ENTRY_INTERRUPTION_INFO, info & ~(1u << 12));
}

/*
 * After a VM exit caused by an NMI, NMIs are blocked twice over: in the
 * host until its next IRET, and (Bochs saves it so) in the guest state,
 * where with "NMI exiting" on and no virtual NMIs the guest's own IRET
 * never clears it. Either block would hold every later kick to this CPU
 * pending for ever. bulkhead never delivers an NMI to a guest, so the
 * guest can have no NMI blocking of its own to keep.
 */
static void end_nmi_blocking(void)
{
	uint64_t interruptibility = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);

	if (interruptibility & INTERRUPTIBILITY_NMI)
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   interruptibility & ~INTERRUPTIBILITY_NMI);
	nmi_unblock();
}

static void vmx_vcpu_set_rip(struct vcpu *vcpu, uint64_t rip);
static unsigned vmx_vcpu_cpl(struct vcpu *vcpu);

static void vmx_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct vmx_vcpu *state = state_of(vcpu);

	if (state->needs_setup)
		setup_vmcs(vcpu);
	int result = vmx_enter(&vcpu->registers, state->launched, &vcpu->wake);
	if (result == 3) {
		/* Kicked before the entry: the loop looks at the vCPU again. */
		*exit = (struct vcpu_exit){ .reason = EXIT_NMI };
		return;
	}
	if (result) {
		/* VMLAUNCH/VMRESUME itself failed: no exit information. */
		uint32_t error = result == 1 ? (uint32_t)vmcs_read(
						       VMCS_INSTRUCTION_ERROR)
					     : 0;
		*exit = (struct vcpu_exit){ .reason = EXIT_ENTRY_FAILED,
					    .vendor_code = 0xffffffff,
					    .vendor_info1 = error };
		return;
	}
	state->launched = true;
	struct vmx_exit_raw raw = {
		.reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON),
		.qualification = vmcs_read(VMCS_EXIT_QUALIFICATION),
		.interruption_info =
			(uint32_t)vmcs_read(VMCS_EXIT_INTERRUPTION_INFO),
		.guest_physical = vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS),
		.rip = vmcs_read(VMCS_GUEST_RIP),
		.instruction_length =
			(uint32_t)vmcs_read(VMCS_EXIT_INSTRUCTION_LENGTH),
	};
	vmx_exit_decode(&raw, exit);
	if (exit->reason == EXIT_CPUID || exit->reason == EXIT_HYPERCALL ||
	    (exit->reason == EXIT_IO && !exit->io.string)) {
		/* Exits that always complete (vcpu.h). */
		if (exit->reason == EXIT_HYPERCALL)
			exit->cpl = (uint8_t)vmx_vcpu_cpl(vcpu);
		vmx_vcpu_set_rip(vcpu, exit->next_rip);
	}
	if (exit->reason == EXIT_NMI)
		end_nmi_blocking();
	if (exit->reason == EXIT_INTERRUPT) /* acknowledged on exit */
		interrupt_external((uint8_t)raw.interruption_info);
	reinject_interrupted_event();
}

/* Moving past an instruction also ends an STI or MOV SS shadow. */
static void vmx_vcpu_set_rip(struct vcpu *vcpu, uint64_t rip)
{
	uint64_t interruptibility = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);

	(void)vcpu;
	vmcs_write(VMCS_GUEST_RIP, rip);
	if (interruptibility & INTERRUPTIBILITY_STI_MOV_SS)
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   interruptibility & ~INTERRUPTIBILITY_STI_MOV_SS);
}

/* Until its first entry on its own CPU a vCPU has no current VMCS: it is
 * in its reset state, interrupts off, nothing to inject or window. */
static bool vmcs_set_up(struct vcpu *vcpu)
{
	return !state_of(vcpu)->needs_setup;
}

static bool vmx_vcpu_interrupts_enabled(struct vcpu *vcpu)
{
	return vmcs_set_up(vcpu) && (vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_IF);
}

static bool vmx_vcpu_interrupt_ready(struct vcpu *vcpu)
{
	return vmx_vcpu_interrupts_enabled(vcpu) &&
	       !(vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
		 INTERRUPTIBILITY_STI_MOV_SS) &&
	       !(vmcs_read(VMCS_ENTRY_INTERRUPTION_INFO) & INTERRUPTION_VALID);
}

static void vmx_vcpu_inject_interrupt(struct vcpu *vcpu, uint8_t vector)
{
	(void)vcpu;
	vmcs_write(VMCS_ENTRY_INTERRUPTION_INFO,
		   vector | INTERRUPTION_EXTERNAL | INTERRUPTION_VALID);
}

static void vmx_vcpu_interrupt_window(struct vcpu *vcpu, bool wanted)
{
	if (!vmcs_set_up(vcpu))
		return; /* set up without the window; asked again later */
	vmcs_write(VMCS_PROC_CONTROLS,
		   wanted ? vmx.proc | PROC_INTERRUPT_WINDOW_EXITING
			  : vmx.proc);
}

static uint64_t vmx_vcpu_rip(struct vcpu *vcpu)
{
	if (!vmcs_set_up(vcpu))
		return state_of(vcpu)->real_mode_start ? 0
						       : state_of(vcpu)->entry_rip;
	return vmcs_read(VMCS_GUEST_RIP);
}

static unsigned vmx_vcpu_cpl(struct vcpu *vcpu)
{
	(void)vcpu;
	/* The DPL of SS is the CPL (SDM 3, 5.5 and 26.3.1.2). */
	return (vmcs_read(VMCS_GUEST_ES_ACCESS + 2 * 2) >> 5) & 3;
}

static void vmx_vcpu_inject_exception(struct vcpu *vcpu, uint8_t vector,
				      bool has_error_code, uint32_t error_code)
{
	uint32_t info = vector | INTERRUPTION_HARDWARE_EXCEPTION |
			INTERRUPTION_VALID;

	(void)vcpu;
	if (has_error_code) {
		info |= INTERRUPTION_ERROR_CODE;
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, error_code);
	}
	vmcs_write(VMCS_ENTRY_INTERRUPTION_INFO, info);
}

static void vmx_vcpu_startup(struct vcpu *vcpu, uint8_t vector)
{
	struct vmx_vcpu *state = state_of(vcpu);

	state->needs_setup = true;
	state->launched = false;
	state->real_mode_start = true;
	state->startup_vector = vector;
	memset(&vcpu->registers, 0, sizeof(vcpu->registers));
}

static void vmx_vcpu_paging(struct vcpu *vcpu, struct guest_paging *paging,
			    unsigned *code_bits)
{
	uint32_t cs_access = (uint32_t)vmcs_read(VMCS_GUEST_ES_ACCESS + 2);

	(void)vcpu;
	paging->cr0 = vmcs_read(VMCS_GUEST_CR0);
	paging->cr3 = vmcs_read(VMCS_GUEST_CR3);
	paging->cr4 = vmcs_read(VMCS_GUEST_CR4);
	paging->efer = vmcs_read(VMCS_GUEST_EFER);
	if ((paging->efer & EFER_LMA) && (cs_access & (1u << 13)))
		*code_bits = 64; /* CS.L */
	else if (paging->cr0 & CR0_PE)
		*code_bits = cs_access & (1u << 14) ? 32 : 16; /* CS.D */
	else
		*code_bits = 16;
}

static uint64_t vmx_vcpu_efer(struct vcpu *vcpu)
{
	(void)vcpu;
	return vmcs_read(VMCS_GUEST_EFER);
}

static void vmx_vcpu_set_efer(struct vcpu *vcpu, uint64_t efer)
{
	(void)vcpu;
	vmcs_write(VMCS_GUEST_EFER, efer);
}

static void vmx_vcpu_control_state(struct vcpu *vcpu,
				   struct control_state *state)
{
	uint32_t cs_access = (uint32_t)vmcs_read(VMCS_GUEST_ES_ACCESS + 2);

	(void)vcpu;
	state->cr0 = guest_view(vmcs_read(VMCS_GUEST_CR0),
				vmcs_read(VMCS_CR0_SHADOW),
				vmcs_read(VMCS_CR0_MASK));
	state->cr3 = vmcs_read(VMCS_GUEST_CR3);
	state->cr4 = guest_view(vmcs_read(VMCS_GUEST_CR4),
				vmcs_read(VMCS_CR4_SHADOW),
				vmcs_read(VMCS_CR4_MASK));
	state->efer = vmcs_read(VMCS_GUEST_EFER);
	state->code_64bit = (state->efer & EFER_LMA) && (cs_access & (1u << 13));
}

/* An emulated write changes translations as the instruction would. */
static void flush_guest_translations(void)
{
	struct {
		uint64_t vpid, address;
	} descriptor = { 0, 0 };
	uint64_t all_contexts = 2;

	/* Without VPID every entry and exit flushes them anyway. */
	if (vmx.proc2 & PROC2_ENABLE_VPID)
		__asm__ volatile("invvpid %0, %1"
				 :
				 : "m"(descriptor), "r"(all_contexts)
				 : "cc", "memory");
}

/* The guest's value goes to the read shadow, with VMX's fixed bits to
 * the register; CR0.PG switches IA-32e mode when EFER.LME is set. */
static void vmx_vcpu_set_control_register(struct vcpu *vcpu, unsigned number,
					  uint64_t value,
					  const uint64_t *pdptes)
{
	(void)vcpu;
	if (number == 0) {
		uint64_t efer = vmcs_read(VMCS_GUEST_EFER);
		uint64_t entry = vmcs_read(VMCS_ENTRY_CONTROLS);

		vmcs_write(VMCS_CR0_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR0,
			   vmx_fixed_bits(value,
					  vmx.cr0_fixed0 & cr0_owned_by_host(),
					  vmx.cr0_fixed1));
		efer = control_efer_after_cr0(efer, value);
		vmcs_write(VMCS_GUEST_EFER, efer);
		vmcs_write(VMCS_ENTRY_CONTROLS,
			   efer & EFER_LMA ? entry | ENTRY_IA32E_GUEST
					   : entry & ~ENTRY_IA32E_GUEST);
	} else {
		vmcs_write(VMCS_CR4_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR4, vmx_fixed_bits(value, vmx.cr4_fixed0,
							  vmx.cr4_fixed1));
	}
	if (pdptes)
		for (unsigned i = 0; i < 4; i++)
			vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdptes[i]);
	flush_guest_translations();
}

static uint64_t vmx_vcpu_code_base(struct vcpu *vcpu)
{
	(void)vcpu;
	return vmcs_read(VMCS_GUEST_ES_BASE + 2 * 1);
}

static void vmx_vcpu_dump(struct vcpu *vcpu)
{
	const struct vcpu_exit *exit = &vcpu->last_exit;

	if (exit->reason == EXIT_ENTRY_FAILED) {
		if (exit->vendor_code == 0xffffffff)
			log_line("  VM entry failed: VM-instruction error %llu "
				 "(%s)",
				 (unsigned long long)exit->vendor_info1,
				 vmx_instruction_error_text(
					 (uint32_t)exit->vendor_info1));
		else
			log_line("  VM entry failed: exit reason %llu, "
				 "qualification %llu",
				 (unsigned long long)(exit->vendor_code & 0xffff),
				 (unsigned long long)exit->vendor_info1);
		vmx_diagnose_guest_state(vmx.cr0_fixed0 & cr0_owned_by_host(),
					 vmx.cr0_fixed1, vmx.cr4_fixed0,
					 vmx.cr4_fixed1);
	}
	log_line("  RIP 0x%llx RSP 0x%llx RFLAGS 0x%llx CPL %u",
		 (unsigned long long)vmcs_read(VMCS_GUEST_RIP),
		 (unsigned long long)vmcs_read(VMCS_GUEST_RSP),
		 (unsigned long long)vmcs_read(VMCS_GUEST_RFLAGS),
		 vmx_vcpu_cpl(vcpu));
	log_line("  CR0 0x%llx CR3 0x%llx CR4 0x%llx EFER 0x%llx",
		 (unsigned long long)vmcs_read(VMCS_GUEST_CR0),
		 (unsigned long long)vmcs_read(VMCS_GUEST_CR3),
		 (unsigned long long)vmcs_read(VMCS_GUEST_CR4),
		 (unsigned long long)vmcs_read(VMCS_GUEST_EFER));
	log_line("  exit reason 0x%llx qualification 0x%llx",
		 (unsigned long long)exit->vendor_code,
		 (unsigned long long)exit->vendor_info1);
}

static struct pagetable_format vmx_ept_format;

static const struct pagetable_format *vmx_stage2_format(void)
{
	ept_format_init(&vmx_ept_format, vmx.max_leaf_level);
	return &vmx_ept_format;
}

const struct vcpu_backend vmx_backend = {
	.name = "Intel VT-x with EPT",
	.cpu_enable = vmx_cpu_enable,
	.partition_create = vmx_partition_create,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_reset = vmx_vcpu_reset,
	.vcpu_startup = vmx_vcpu_startup,
	.vcpu_paging = vmx_vcpu_paging,
	.vcpu_run = vmx_vcpu_run,
	.vcpu_set_rip = vmx_vcpu_set_rip,
	.vcpu_rip = vmx_vcpu_rip,
	.vcpu_cpl = vmx_vcpu_cpl,
	.vcpu_inject_exception = vmx_vcpu_inject_exception,
	.vcpu_interrupt_ready = vmx_vcpu_interrupt_ready,
	.vcpu_inject_interrupt = vmx_vcpu_inject_interrupt,
	.vcpu_interrupt_window = vmx_vcpu_interrupt_window,
	.vcpu_interrupts_enabled = vmx_vcpu_interrupts_enabled,
	.vcpu_control_state = vmx_vcpu_control_state,
	.vcpu_set_control_register = vmx_vcpu_set_control_register,
	.vcpu_code_base = vmx_vcpu_code_base,
	.vcpu_efer = vmx_vcpu_efer,
	.vcpu_set_efer = vmx_vcpu_set_efer,
	.vcpu_dump = vmx_vcpu_dump,
	.stage2_format = vmx_stage2_format,
};

