/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot 2 header of the test kernel (architecture 0, a request
 * for the command line, module, memory map and ACPI tags, the end tag) and its
 * 32-bit entry: a stack, then mbcheck_main(EAX, EBX). Built also with
 * FRAMEBUFFER defined (a framebuffer tag that is not optional), as an
 * image the loader and the checker must refuse.
 */
#define MAGIC 0xe85250d6

	.section .multiboot, "a"
	.balign 8
header:
	.long MAGIC, 0, header_end - header
	.long -(MAGIC + (header_end - header))
	.balign 8
	.short 1, 0 /* information request, required */
	.long 8 + 5 * 4
	.long 1, 3, 6, 14, 15
#ifdef FRAMEBUFFER
	.balign 8
	.short 5, 0 /* framebuffer, required */
	.long 20
	.long 1024, 768, 32
#endif
	.balign 8
	.short 0, 0 /* end */
	.long 8
header_end:

	.text
	.code32
	.globl _start
_start:
	mov $stack_top, %esp
	push %ebx
	push %eax
	call mbcheck_main
1:	hlt
	jmp 1b

	.bss
	.balign 16
	.space 8192
stack_top:
	.section .note.GNU-stack, "", @progbits
