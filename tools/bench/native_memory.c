/* SPDX-License-Identifier: MIT */
/*
 * native_memory: the memory workload of `make bench` without the
 * hypervisor. A UEFI application booted by the same firmware on the same
 * emulator in place of bulkhead's loader; it runs guests/bench_memwork.inc,
 * the code the bench_memory guest runs in a partition, over a 60 MiB
 * buffer (as much as that guest gets in a 64 MiB partition) from the
 * firmware's allocator, under the firmware's identity page tables, with
 * interrupts off (TPL_HIGH_LEVEL) as they are in a partition: the
 * firmware's timer tick would otherwise add its handler to the counts and
 * the times. Output goes straight to COM1. The first line gives the TSC at
 * entry ("bench-result boot-entry-tsc", the boot baseline), the last is
 * "native: end of run: pass"; the program then ends QEMU through
 * isa-debug-exit (port 0xf4, status 33) or, elsewhere, halts.
 */
#include <efi.h>
#include <efilib.h>
#include <stdarg.h>
#include <stdint.h>

#include "guests/lib/bench.h"
#include "lib/format.h"

#define COM1 0x3f8
#define BUFFER_SIZE (60ull << 20)
#define REPS 5

static void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static void uart_put(char c)
{
	for (int spins = 0; spins < 100000 && !(inb(COM1 + 5) & 0x20); spins++)
		;
	outb(COM1, (uint8_t)c);
}

static void native_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void native_printf(const char *fmt, ...)
{
	char line[256];
	va_list args;

	va_start(args, fmt);
	format_v(line, sizeof(line), fmt, args);
	va_end(args);
	for (const char *p = line; *p; p++) {
		if (*p == '\n')
			uart_put('\r');
		uart_put(*p);
	}
}

#define MEMWORK_PRINTF native_printf
#include "guests/bench_memwork.inc"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
	uint64_t entry_tsc = memwork_rdtsc();
	EFI_BOOT_SERVICES *boot = system_table->BootServices;
	EFI_PHYSICAL_ADDRESS buffer = 0;
	EFI_STATUS status;
	EFI_TPL tpl;

	(void)image;
	native_printf("native: bench-result boot-entry-tsc 1 %llu\n",
		      (unsigned long long)entry_tsc);
	boot->SetWatchdogTimer(0, 0, 0, NULL);
	status = boot->AllocatePages(AllocateAnyPages, EfiLoaderData,
				     EFI_SIZE_TO_PAGES(BUFFER_SIZE), &buffer);
	if (EFI_ERROR(status)) {
		native_printf("native: cannot allocate %llu MiB: 0x%llx\n",
			      BUFFER_SIZE >> 20, (unsigned long long)status);
		native_printf("native: end of run: fail\n");
		outb(0xf4, 0x11);
		return status;
	}
	native_printf("native: bench_memory: %llu MiB at 0x%llx, %d rounds\n",
		      BUFFER_SIZE >> 20, (unsigned long long)buffer, REPS);
	tpl = boot->RaiseTPL(TPL_HIGH_LEVEL);
	memwork_run((uint8_t *)(UINTN)buffer, BUFFER_SIZE, REPS);
	boot->RestoreTPL(tpl);
	native_printf("native: end of run: pass\n");
	outb(0xf4, 0x10); /* QEMU: exit status 33 */
	for (;;)
		__asm__ volatile("cli; hlt");
}
