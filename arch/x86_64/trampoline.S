/* SPDX-License-Identifier: MIT */
/*
 * AP start-up code. Copied to a page below 1 MiB; a STARTUP IPI starts an
 * application processor there in real mode. It switches to protected mode,
 * enables PAE and long mode with the hypervisor's page tables, and jumps to
 * the 64-bit entry with the CPU's stack and argument. smp.c patches the
 * fields marked "patched" after copying.
 */
	.section .rodata.trampoline, "a"
	.globl trampoline_start, trampoline_end
	.globl trampoline_gdt_base, trampoline_far32, trampoline_far64
	.globl trampoline_cr3, trampoline_stack, trampoline_entry
	.globl trampoline_argument
	.globl trampoline_protected, trampoline_long, trampoline_gdt

	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	xorl %ebx, %ebx
	movw %ax, %bx
	shll $4, %ebx			/* linear base of this page */
	lgdtl trampoline_gdt_pointer - trampoline_start
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	.byte 0x66, 0xea		/* ljmpl $0x08, $protected (patched) */
trampoline_far32:
	.long 0
	.word 0x08

	.code32
trampoline_protected:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl (trampoline_cr3 - trampoline_start)(%ebx), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx
	rdmsr
	orl $0x900, %eax		/* EFER.LME | EFER.NXE */
	wrmsr
	/* The whole of CR0, not an OR: after INIT, CD and NW are set and the
	 * AP would run with caches off. PG WP NE ET MP PE, as on the boot CPU. */
	movl $0x80010033, %eax
	movl %eax, %cr0
	.byte 0xea			/* ljmp $0x18, $long (patched) */
trampoline_far64:
	.long 0
	.word 0x18

	.code64
trampoline_long:
	movl %ebx, %ebx
	movq (trampoline_stack - trampoline_start)(%rbx), %rsp
	movq (trampoline_argument - trampoline_start)(%rbx), %rdi
	movq (trampoline_entry - trampoline_start)(%rbx), %rax
	jmp *%rax

	.align 16
trampoline_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
trampoline_gdt_pointer:
	.word 4 * 8 - 1
trampoline_gdt_base:
	.long 0				/* patched */
	.align 8
trampoline_cr3:
	.quad 0				/* patched */
trampoline_stack:
	.quad 0				/* patched per CPU */
trampoline_entry:
	.quad 0				/* patched */
trampoline_argument:
	.quad 0				/* patched per CPU */
trampoline_end:

	.section .note.GNU-stack, "", @progbits
