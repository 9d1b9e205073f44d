/* SPDX-License-Identifier: MIT */
/*
 * Guest entry point, run by every vCPU: RDI = boot info, RSI = vCPU index,
 * RSP = 0. Gives each vCPU its own stack from .bss and continues in
 * guest_start() (runtime.c), which never returns. A vCPU whose index has no
 * stack leaves at once with GUEST_EXIT_TOO_MANY_VCPUS.
 */
#include "layout.h"

	.section .text.entry, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	cmp $GUEST_MAX_VCPUS, %rsi
	jae .Ltoo_many_vcpus

	/* RSP = top of guest_stacks[vcpu] */
	mov %rsi, %rax
	inc %rax
	imul $GUEST_STACK_SIZE, %rax
	lea guest_stacks(%rip), %rsp
	add %rax, %rsp
	xor %ebp, %ebp
	/* guest_start(info, vcpu) */
	call guest_start
	ud2

/* No stack: pick the hypercall instruction by the CPUID vendor, then exit. */
.Ltoo_many_vcpus:
	xor %eax, %eax
	cpuid
	mov $GUEST_HC_EXIT_NUMBER, %eax
	mov $GUEST_EXIT_TOO_MANY_VCPUS, %edi
	cmp $0x68747541, %ebx		/* "Auth"enticAMD */
	je .Lvmmcall
	cmp $0x6f677948, %ebx		/* "Hygo"nGenuine */
	je .Lvmmcall
	vmcall
	jmp .Lpark
.Lvmmcall:
	vmmcall
.Lpark:
	cli
	hlt
	jmp .Lpark
	.size _start, . - _start

	.bss
	.balign 4096
	.globl guest_stacks
	.type guest_stacks, @object
guest_stacks:
	.skip GUEST_MAX_VCPUS * GUEST_STACK_SIZE
	.size guest_stacks, . - guest_stacks

	.section .note.GNU-stack, "", @progbits
