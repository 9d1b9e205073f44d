/* SPDX-License-Identifier: MIT */
/*
 * Debian's libfdt.a is built for user space with the stack protector: it
 * reads a canary at %fs:0x28 and calls __stack_chk_fail on a mismatch. The
 * loader points FS at a canary block of its own before the parser runs and
 * turns a detected overflow into a reported error, never a silent hang.
 */
#include "loader.h"

static UINT64 canary_block[8];

void loader_install_stack_guard(void)
{
	UINT64 address = (UINT64)(UINTN)canary_block;

	canary_block[5] = loader_rdtsc() | 0x100; /* offset 0x28 */
	__asm__ volatile("wrmsr"
			 :
			 : "c"(0xc0000100), "a"((UINT32)address),
			   "d"((UINT32)(address >> 32)));
}

__attribute__((noreturn)) void __stack_chk_fail(void)
{
	loader_error("stack overflow detected in the config parser; aborting");
	loader_system_table->BootServices->Exit(loader_image_handle,
						EFI_ABORTED, 0, NULL);
	for (;;)
		__asm__ volatile("hlt");
}
