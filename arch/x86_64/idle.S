/* SPDX-License-Identifier: MIT */
/*
 * idle_until_woken(flag): halts this CPU until *flag is non-zero or an NMI
 * (the kick) arrives. The hypervisor runs with interrupts off, so HLT wakes
 * only on an NMI. A kicker sets the flag and then sends the NMI; if the NMI
 * lands between the flag test and the HLT, the NMI handler moves the
 * return address past the HLT (see idle_window_* in idt.c), so the wake-up
 * is never lost.
 */
	.text
	.globl idle_until_woken, idle_window_start, idle_window_hlt, idle_window_end
idle_until_woken:
idle_window_start:
	cmpq $0, (%rdi)
	jne idle_window_end
idle_window_hlt:
	hlt
idle_window_end:
	ret

	.section .note.GNU-stack, "", @progbits
