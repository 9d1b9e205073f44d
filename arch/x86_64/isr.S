/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry stubs for all 256 vectors. Each pushes a
 * uniform frame (vector, error code, all GPRs) and calls
 * interrupt_dispatch(frame).
 */
	.text
	/* One 16-byte stub per vector, so stub n is at isr_stubs + 16 * n.
	 * Vectors 8, 10-14, 17, 21, 29 and 30 push an error code themselves. */
	.globl isr_stubs
	.align 16
isr_stubs:
	.set vector, 0
	.rept 256
	.align 16
	.if vector != 8 && !(vector >= 10 && vector <= 14) && vector != 17 && vector != 21 && vector != 29 && vector != 30
	pushq $0
	.endif
	pushq $vector
	jmp isr_common
	.set vector, vector + 1
	.endr

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	call interrupt_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
