/* SPDX-License-Identifier: MIT */
/*
 * guest_catch_call(ctx, fn, arg): saves a recovery context in *ctx, arms
 * it, calls fn(arg), disarms it and returns -1. When an exception arrives
 * while armed, guest_catch_resume() (catch.c) iretq's to
 * guest_catch_recovered with the saved callee-saved registers and stack and
 * RAX = vector, so guest_catch_call returns the vector instead.
 *
 * struct guest_catch_context layout (catch.c checks it):
 *   0 rbx, 8 rbp, 16 r12, 24 r13, 32 r14, 40 r15, 48 rsp, 56 rip, 64 armed
 */
	.text
	.globl guest_catch_call
	.type guest_catch_call, @function
guest_catch_call:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	mov %rsp, 48(%rdi)		/* points at our return address */
	lea guest_catch_recovered(%rip), %rax
	mov %rax, 56(%rdi)
	movl $1, 64(%rdi)
	push %rbx			/* also aligns the stack for the call */
	mov %rdi, %rbx
	mov %rsi, %rax
	mov %rdx, %rdi
	call *%rax
	movl $0, 64(%rbx)
	pop %rbx
	mov $-1, %eax
	ret

	.globl guest_catch_recovered
guest_catch_recovered:
	/* context restored by the iretq; EAX = vector */
	cld
	ret
	.size guest_catch_call, . - guest_catch_call

	.section .note.GNU-stack, "", @progbits
