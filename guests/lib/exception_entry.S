/* SPDX-License-Identifier: MIT */
/*
 * Entry stubs of all 256 vectors: each pushes a dummy error code where the
 * CPU pushes none (always for the interrupt vectors 32-255), then its
 * vector, saves every general register as a struct guest_exception_frame
 * and calls guest_exception(), which may edit the frame (guest_catch()
 * resumes that way) and hands vectors 32-255 to the registered interrupt
 * handler. The table guest_exception_stubs lists the stub addresses for
 * the IDT.
 */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
	(v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text

	.macro exception_stub vector
	.balign 16
exception_stub_\vector:
	.if !HAS_ERROR_CODE(\vector)
	push $0
	.endif
	push $\vector
	jmp exception_common
	.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exception_stub \v
	.endr

	/* Vectors 32-255: external interrupts, never an error code. */
	.altmacro
	.macro interrupt_stub vector
	.balign 16
exception_stub_\vector:
	push $0
	push $\vector
	jmp exception_common
	.endm

	.set vector, 32
	.rept 224
	interrupt_stub %vector
	.set vector, vector + 1
	.endr
	.noaltmacro

	.type exception_common, @function
exception_common:
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rbp
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %rbx
	push %rax
	cld
	mov %rsp, %rdi
	mov %rsp, %rbx
	and $-16, %rsp
	call guest_exception
	mov %rbx, %rsp
	pop %rax
	pop %rbx
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
	pop %rbp
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	add $16, %rsp		/* vector, error code */
	iretq
	.size exception_common, . - exception_common

	.section .rodata
	.balign 8
	.globl guest_exception_stubs
	.type guest_exception_stubs, @object
guest_exception_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad exception_stub_\v
	.endr
	.altmacro
	.macro interrupt_stub_address vector
	.quad exception_stub_\vector
	.endm
	.set vector, 32
	.rept 224
	interrupt_stub_address %vector
	.set vector, vector + 1
	.endr
	.noaltmacro
	.size guest_exception_stubs, . - guest_exception_stubs

	.section .note.GNU-stack, "", @progbits
