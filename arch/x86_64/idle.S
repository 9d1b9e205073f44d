/* SPDX-License-Identifier: MIT */
/*
 * idle_until_woken(flag): halts this CPU until *flag is non-zero, an NMI
 * (the kick) or the host timer interrupt arrives. The hypervisor runs with
 * interrupts off; only this HLT runs with them on (STI's shadow covers the
 * HLT, so an interrupt pending before it still wakes it). A kicker sets the
 * flag and then sends the NMI; if the NMI lands between the flag test and
 * the HLT, the NMI handler moves the return address past the HLT (see
 * nmi_entry below), so the wake-up is never lost.
 */
	.text
	.globl idle_until_woken, idle_window_start, idle_window_hlt, idle_window_end
idle_until_woken:
idle_window_start:
	cmpq $0, (%rdi)
	jne idle_window_end
	sti
idle_window_hlt:
	hlt
idle_window_end:
	cli
	ret


/*
 * nmi_entry: the NMI handler. An NMI is only ever a kick (make a CPU leave
 * guest mode or its idle wait), so this needs no frame of all registers:
 * it moves a return address inside the test-then-halt window past the
 * HLT, one inside a backend's test-then-enter window (guest_entry_window,
 * defined by the entry code that needs it: vmx/vmx_run.S) to that window's
 * bail-out, and returns.
 */
	.text
	.globl nmi_entry
nmi_entry:
	pushq %rax
	pushq %rcx
	movq 16(%rsp), %rax		/* the interrupted RIP */
	leaq idle_window_start(%rip), %rcx
	cmpq %rcx, %rax
	jb 1f
	leaq idle_window_hlt(%rip), %rcx
	cmpq %rcx, %rax
	ja 1f
	leaq idle_window_end(%rip), %rcx
	movq %rcx, 16(%rsp)
	jmp 2f
1:	leaq guest_entry_window_start(%rip), %rcx
	cmpq %rcx, %rax
	jb 2f
	leaq guest_entry_window_end(%rip), %rcx
	cmpq %rcx, %rax
	ja 2f
	leaq guest_entry_window_bail(%rip), %rcx
	movq %rcx, 16(%rsp)
2:	popq %rcx
	popq %rax
	iretq

	.section .note.GNU-stack, "", @progbits
