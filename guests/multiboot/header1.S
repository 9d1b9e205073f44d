/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot 1 header of the test kernel and its 32-bit entry: a stack,
 * then mbcheck_main(EAX, EBX). Built also with BAD_CHECKSUM or VIDEO_MODE
 * defined, as images the loader and the checker must refuse.
 */
#define MAGIC 0x1badb002
#ifdef VIDEO_MODE
#define FLAGS 0x00000007 /* page align, memory info, a video mode */
#else
#define FLAGS 0x00000003 /* page align, memory info */
#endif
#ifdef BAD_CHECKSUM
#define CHECKSUM 0x12345678
#else
#define CHECKSUM (-(MAGIC + FLAGS))
#endif

	.section .multiboot, "a"
	.balign 4
	.long MAGIC, FLAGS, CHECKSUM

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
