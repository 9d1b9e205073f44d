/* SPDX-License-Identifier: MIT */
/*
 * The one vCPU interface between the generic core and a virtualization
 * backend (vmx/svm.c for AMD-V, the VMX backend for Intel). Backends
 * normalise their exit codes into enum exit_reason and decode what the core
 * needs into struct vcpu_exit; policy (what to do with an exit) stays in
 * core/. The backend is chosen once at boot from CPUID.
 */
#ifndef BULKHEAD_CORE_VCPU_VCPU_H
#define BULKHEAD_CORE_VCPU_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/pagetable.h>

enum exit_reason {
	EXIT_CPUID,
	EXIT_HYPERCALL,
	EXIT_IO,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_STAGE2_FAULT,
	EXIT_TRIPLE_FAULT,
	EXIT_HLT,
	EXIT_INTERRUPT,
	EXIT_NMI,
	EXIT_INTERRUPT_WINDOW, /* the guest can take an interrupt now */
	EXIT_CONTROL_REGISTER, /* a CR0/CR4 write the hypervisor checks, CR8 */
	EXIT_DENIED_INSTRUCTION, /* VMRUN, MONITOR...: #UD; RDPMC: #GP */
	EXIT_ENTRY_FAILED,     /* the CPU refused the guest state */
	EXIT_UNHANDLED,        /* anything else: the partition stops */
	EXIT_CACHE_FLUSH,      /* WBINVD, WBNOINVD, INVD: emulated */
	EXIT_REASON_COUNT
};

extern const char *const exit_reason_names[EXIT_REASON_COUNT];

struct vcpu_exit {
	enum exit_reason reason;
	uint64_t vendor_code; /* the raw exit code, for logs */
	uint64_t vendor_info1, vendor_info2;
	uint64_t next_rip; /* where the guest resumes once the exit is handled */
	/* CPUID, hypercall and port I/O exits (not INS/OUTS) always
	 * complete: the backend has moved the guest's RIP to next_rip
	 * already (and ended an STI shadow), and for a hypercall gives the
	 * caller's privilege level here. */
	uint8_t cpl;
	/* SVM without decode assists: the operands (control-register exits)
	 * or the length (cache flushes without NRIP) are known only from the
	 * instruction at RIP, which the core decodes. */
	bool instruction_unknown;
	union {
		struct {
			uint16_t port;
			uint8_t size; /* 1, 2 or 4 bytes */
			bool in;
			bool string; /* INS/OUTS, possibly REP */
		} io;
		struct {
			uint64_t address; /* guest-physical */
			bool write;
			bool execute;
		} fault;
		struct {
			/* RDPMC: the guest sees no performance counter
			 * (CPUID hides them), so #GP, as for a counter
			 * index the CPU lacks; every other one #UD. */
			bool general_protection;
		} denied;
		struct {
			uint8_t number; /* CR0, CR3, CR4, CR8 */
			uint8_t access; /* 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW */
			uint8_t gpr;    /* 0 RAX ... 15 R15, in instruction order */
			uint16_t lmsw_source;
		} control_register;
	};
};

/* General-purpose registers the backend saves around guest execution. */
struct vcpu_registers {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* How a reset enters the guest: 64-bit mode, paging on with the identity
 * tables at BULKHEAD_GUEST_PML4, the flat GDT at BULKHEAD_GUEST_GDT; or,
 * with protected32 (a Multiboot kernel), 32-bit protected mode with paging
 * off, flat 4 GiB segments, no GDT or IDT the guest could rely on. */
struct vcpu_entry {
	uint64_t rip;
	uint16_t code_selector, data_selector;
	bool protected32;
	uint64_t rax, rbx, rdi, rsi;
};

struct guest_paging;
struct control_state;
struct vcpu;
struct partition;
struct cpu;

struct vcpu_backend {
	const char *name;
	/* Checks the CPU can run guests; turns virtualization on for it. */
	bool (*cpu_enable)(struct cpu *cpu, char *error, unsigned error_size);
	/* Boot time: per-partition intercept bitmaps from the config. */
	bool (*partition_create)(struct partition *partition);
	/* Boot time: the vCPU's control block. */
	bool (*vcpu_create)(struct vcpu *vcpu);
	/* Puts the vCPU in the 64-bit entry state vcpu->entry describes. */
	void (*vcpu_reset)(struct vcpu *vcpu);
	/* Puts the vCPU in real mode at vector:0000, the state after INIT and
	 * a start-up IPI; NULL when the backend cannot run real mode. */
	void (*vcpu_startup)(struct vcpu *vcpu, uint8_t vector);
	/* The guest's paging registers and code-segment size (16, 32 or 64),
	 * for fetching the instruction at RIP. */
	void (*vcpu_paging)(struct vcpu *vcpu, struct guest_paging *paging,
			    unsigned *code_bits);
	/* Runs the guest until the next exit and decodes it. A kick (see
	 * vcpu_kick) sent after the loop cleared vcpu->wake must end the run
	 * promptly: either as an EXIT_NMI from guest mode, or, when it reaches
	 * the host before the entry, as an EXIT_NMI with nothing run. Both
	 * entries test the flag where a kick can no longer be lost: SVM once
	 * GIF is clear (the NMI then waits for VMRUN), VMX at the start of a
	 * window that the NMI handler bails out of. */
	void (*vcpu_run)(struct vcpu *vcpu, struct vcpu_exit *exit);
	void (*vcpu_set_rip)(struct vcpu *vcpu, uint64_t rip);
	uint64_t (*vcpu_rip)(struct vcpu *vcpu);
	unsigned (*vcpu_cpl)(struct vcpu *vcpu);
	void (*vcpu_inject_exception)(struct vcpu *vcpu, uint8_t vector,
				      bool has_error_code, uint32_t error_code);
	/* The guest's CR0, CR3, CR4 and EFER as the guest sees them, and
	 * whether it runs 64-bit code. */
	void (*vcpu_control_state)(struct vcpu *vcpu,
				   struct control_state *state);
	/* Loads CR0 or CR4 with a value core/vcpu/control_registers.c accepted,
	 * with its consequences (EFER.LMA follows CR0.PG, TLBs); pdptes: the
	 * four PAE PDPTEs when the write loads them, else NULL. */
	void (*vcpu_set_control_register)(struct vcpu *vcpu, unsigned number,
					  uint64_t value,
					  const uint64_t *pdptes);
	/* The base of the guest's code segment (for CS:RIP outside 64-bit
	 * mode). */
	uint64_t (*vcpu_code_base)(struct vcpu *vcpu);
	/* Whether an external interrupt can be injected at the next entry:
	 * guest RFLAGS.IF set, no interrupt shadow, no event already queued. */
	bool (*vcpu_interrupt_ready)(struct vcpu *vcpu);
	void (*vcpu_inject_interrupt)(struct vcpu *vcpu, uint8_t vector);
	/* Requests (or cancels) an EXIT_INTERRUPT_WINDOW as soon as the guest
	 * can take an interrupt. */
	void (*vcpu_interrupt_window)(struct vcpu *vcpu, bool wanted);
	/* Guest RFLAGS.IF. */
	bool (*vcpu_interrupts_enabled)(struct vcpu *vcpu);
	/* Guest EFER as the guest believes it to be. */
	uint64_t (*vcpu_efer)(struct vcpu *vcpu);
	void (*vcpu_set_efer)(struct vcpu *vcpu, uint64_t efer);
	/* Prints the backend's view of the vCPU (panic and stop reports). */
	void (*vcpu_dump)(struct vcpu *vcpu);
	/* The stage-2 (NPT or EPT) table format of this CPU. */
	const struct pagetable_format *(*stage2_format)(void);
};

extern const struct vcpu_backend *backend;
extern const struct vcpu_backend svm_backend;
extern const struct vcpu_backend vmx_backend;

/* Picks the backend for this CPU's vendor; NULL when there is none. */
const struct vcpu_backend *vcpu_backend_detect(char *error, unsigned size);

#endif
