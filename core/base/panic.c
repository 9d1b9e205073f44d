/* SPDX-License-Identifier: MIT */
/*
 * Panic: prints which CPU failed and why and its registers, then lets the
 * report hook the core set say the rest (the last exit of the vCPU the CPU
 * ran, the end of the run: core/partition/run_end.c) and stops the CPU.
 */
#include "panic.h"

#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/interrupt.h"
#include "arch/x86_64/percpu.h"
#include "core/console/console.h"
#include "lib/format.h"

static volatile int panicking;
static void (*report)(void);

void panic_set_report(void (*hook)(void))
{
	report = hook;
}

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error", "virtualization", "control protection",
};

static __attribute__((noreturn)) void stop_machine(void)
{
	if (report)
		report();
	cpu_halt_forever();
}

static void begin(void)
{
	/* A second CPU panicking at the same time waits for the first. */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
		cpu_halt_forever();
	console_break_lock();
}

void panic(const char *fmt, ...)
{
	char text[200];
	va_list args;

	begin();
	va_start(args, fmt);
	format_v(text, sizeof(text), fmt, args);
	va_end(args);
	log_line("PANIC on CPU %u: %s", this_cpu()->index, text);
	log_line("CR0 0x%llx CR3 0x%llx CR4 0x%llx",
		 (unsigned long long)read_cr0(), (unsigned long long)read_cr3(),
		 (unsigned long long)read_cr4());
	stop_machine();
}

void panic_exception(struct interrupt_frame *f)
{
	begin();
	log_line("PANIC on CPU %u: exception %llu (%s), error code 0x%llx",
		 this_cpu()->index, (unsigned long long)f->vector,
		 f->vector < 32 && exception_names[f->vector]
			 ? exception_names[f->vector]
			 : "reserved",
		 (unsigned long long)f->error_code);
	log_line("RIP 0x%016llx RSP 0x%016llx RFLAGS 0x%llx CS 0x%llx",
		 (unsigned long long)f->rip, (unsigned long long)f->rsp,
		 (unsigned long long)f->rflags, (unsigned long long)f->cs);
	log_line("RAX 0x%016llx RBX 0x%016llx RCX 0x%016llx RDX 0x%016llx",
		 (unsigned long long)f->rax, (unsigned long long)f->rbx,
		 (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	log_line("RSI 0x%016llx RDI 0x%016llx RBP 0x%016llx R8  0x%016llx",
		 (unsigned long long)f->rsi, (unsigned long long)f->rdi,
		 (unsigned long long)f->rbp, (unsigned long long)f->r8);
	log_line("R9  0x%016llx R10 0x%016llx R11 0x%016llx R12 0x%016llx",
		 (unsigned long long)f->r9, (unsigned long long)f->r10,
		 (unsigned long long)f->r11, (unsigned long long)f->r12);
	log_line("R13 0x%016llx R14 0x%016llx R15 0x%016llx",
		 (unsigned long long)f->r13, (unsigned long long)f->r14,
		 (unsigned long long)f->r15);
	log_line("CR0 0x%llx CR2 0x%llx CR3 0x%llx CR4 0x%llx",
		 (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
		 (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	stop_machine();
}
