/* SPDX-License-Identifier: MIT */
/*
 * svm_enter(vmcb_physical, registers, wake): the world switch into an
 * AMD-V guest and back. Returns 0 after a #VMEXIT, 1 when the vCPU was
 * kicked before it entered (nothing ran). VMRUN saves and restores only RAX
 * and RSP of the guest; the other general-purpose registers are swapped
 * here.
 *
 * GIF is cleared first: from there to VMRUN an NMI kick stays pending and
 * makes the guest exit as soon as it runs. A kick that came earlier, after
 * the exit loop's last look at the vCPU but before CLGI, was taken by the
 * host's NMI handler and is gone; its kicker set the vCPU's wake flag
 * before sending it, so the entry tests that flag once GIF is clear and
 * returns instead of entering. The host's IF is set for VMRUN only: with
 * V_INTR_MASKING it gates physical interrupts in guest mode, so the host
 * timer makes the guest exit; the interrupt itself stays pending (GIF is
 * clear) until the host takes it.
 */
	.text
	.globl svm_enter
	.type svm_enter, @function
svm_enter:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rsi			/* the registers block */
	clgi
	cmpq $0, (%rdx)			/* kicked since the loop looked? */
	jne 1f
	movq %rdi, %rax			/* VMCB physical address */
	movq 8(%rsi), %rbx
	movq 16(%rsi), %rcx
	movq 24(%rsi), %rdx
	movq 40(%rsi), %rdi
	movq 48(%rsi), %rbp
	movq 56(%rsi), %r8
	movq 64(%rsi), %r9
	movq 72(%rsi), %r10
	movq 80(%rsi), %r11
	movq 88(%rsi), %r12
	movq 96(%rsi), %r13
	movq 104(%rsi), %r14
	movq 112(%rsi), %r15
	movq 32(%rsi), %rsi
	sti				/* host IF on: the host timer exits */
	vmrun %rax
	cli
	stgi
	xchgq %rsi, (%rsp)		/* guest RSI onto the stack */
	movq %rbx, 8(%rsi)
	movq %rcx, 16(%rsi)
	movq %rdx, 24(%rsi)
	movq %rdi, 40(%rsi)
	movq %rbp, 48(%rsi)
	movq %r8, 56(%rsi)
	movq %r9, 64(%rsi)
	movq %r10, 72(%rsi)
	movq %r11, 80(%rsi)
	movq %r12, 88(%rsi)
	movq %r13, 96(%rsi)
	movq %r14, 104(%rsi)
	movq %r15, 112(%rsi)
	popq %rax
	movq %rax, 32(%rsi)
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	xorl %eax, %eax
	ret

1:	stgi				/* kicked: no entry; registers intact */
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	movl $1, %eax
	ret
	.size svm_enter, . - svm_enter

	.globl svm_vmload
svm_vmload:
	movq %rdi, %rax
	vmload %rax
	ret

	.section .note.GNU-stack, "", @progbits
