/* SPDX-License-Identifier: MIT */
/*
 * The core's entry from the loader (RDI = boot info, interrupts off, the
 * firmware's page tables still loaded), and the stack switch helper.
 */
	.section .text.entry, "ax"
	.globl core_entry
core_entry:
	cli
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	call core_main
1:	hlt
	jmp 1b

	.text
	/* arch_switch_stack(stack_top, function, argument) */
	.globl arch_switch_stack
arch_switch_stack:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	movq %rdx, %rdi
	call *%rsi
1:	hlt
	jmp 1b

	.bss
	.align 16
boot_stack:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
