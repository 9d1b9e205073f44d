/* SPDX-License-Identifier: MIT */
/*
 * vmx_enter(registers, launched, wake): the world switch into a VMX guest.
 * VMX switches only RSP and RIP of the guest, so all fifteen other general
 * registers are loaded here and saved again at vmx_exit, the host RIP in the
 * VMCS. Returns 0 after a VM exit, 1 when VMLAUNCH/VMRESUME failed with an
 * error number in the VMCS (VMfailValid), 2 when no VMCS was current, 3
 * when the vCPU was kicked before it entered (nothing ran).
 *
 * VMX has no GIF: an NMI kick that reaches the host between the exit loop's
 * last look at the vCPU's state and VMRESUME is taken by the host and would
 * be lost until the guest's next exit of its own (never, for a guest that
 * spins). So the entry tests the vCPU's wake flag (set by the kicker before
 * its NMI) as the first instruction of guest_entry_window, and an NMI that
 * lands anywhere in the window up to and including VMLAUNCH/VMRESUME is
 * sent by the NMI handler (arch/x86_64/idle.S) to guest_entry_window_bail:
 * either the flag is seen, or the NMI arrives in guest mode and exits.
 */
	.text
	.globl vmx_enter, vmx_exit
	.globl guest_entry_window_start, guest_entry_window_end
	.globl guest_entry_window_bail
	.type vmx_enter, @function
vmx_enter:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi			/* the registers block */
	movl $0x6c14, %eax		/* VMCS_HOST_RSP */
	vmwrite %rsp, %rax
guest_entry_window_start:
	cmpq $0, (%rdx)			/* kicked since the loop looked? */
	jne guest_entry_window_bail
	testl %esi, %esi
	movq 0(%rdi), %rax
	movq 8(%rdi), %rbx
	movq 16(%rdi), %rcx
	movq 24(%rdi), %rdx
	movq 32(%rdi), %rsi
	movq 48(%rdi), %rbp
	movq 56(%rdi), %r8
	movq 64(%rdi), %r9
	movq 72(%rdi), %r10
	movq 80(%rdi), %r11
	movq 88(%rdi), %r12
	movq 96(%rdi), %r13
	movq 104(%rdi), %r14
	movq 112(%rdi), %r15
	movq 40(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp 2f
1:
guest_entry_window_end:
	vmresume
2:	/* Entry failed; the flags say how. Guest registers are discarded. */
	movl $2, %eax
	jc 3f
	movl $1, %eax
3:	addq $8, %rsp
	jmp 4f

guest_entry_window_bail:		/* kicked: no entry; registers intact */
	addq $8, %rsp
	movl $3, %eax
	jmp 4f

vmx_exit:
	pushq %rdi
	movq 8(%rsp), %rdi
	movq %rax, 0(%rdi)
	movq %rbx, 8(%rdi)
	movq %rcx, 16(%rdi)
	movq %rdx, 24(%rdi)
	movq %rsi, 32(%rdi)
	movq %rbp, 48(%rdi)
	movq %r8, 56(%rdi)
	movq %r9, 64(%rdi)
	movq %r10, 72(%rdi)
	movq %r11, 80(%rdi)
	movq %r12, 88(%rdi)
	movq %r13, 96(%rdi)
	movq %r14, 104(%rdi)
	movq %r15, 112(%rdi)
	popq %rax
	movq %rax, 40(%rdi)
	addq $8, %rsp
	xorl %eax, %eax
4:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	.size vmx_enter, . - vmx_enter

	.section .note.GNU-stack, "", @progbits
