/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot 1 header of the test kernel and its 32-bit entry: a stack,
 * then mbcheck_main(EAX, EBX). Built also with BAD_CHECKSUM, VIDEO_MODE or
 * HIGH_LOAD (address fields that put the image at 1 GiB) defined, as
 * images the loader and the checker must refuse.
 */
#define MAGIC 0x1badb002
#ifdef VIDEO_MODE
#define FLAGS 0x00000007 /* page align, memory info, a video mode */
#elif defined(HIGH_LOAD)
#define FLAGS 0x00010003 /* page align, memory info, address fields */
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
#ifdef HIGH_LOAD
	/* header, load, load end (the file's), BSS end (none), entry */
	.long 0x40001000, 0x40000000, 0, 0, 0x40001020
#endif

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
