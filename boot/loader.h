/* SPDX-License-Identifier: MIT */
/*
 * Shared declarations of the UEFI loader: logging, file reading, CPU and
 * memory discovery, and the hand-off to the core. The loader runs with boot
 * services up; anything that fails is reported and returned, never hung on.
 */
#ifndef BULKHEAD_BOOT_LOADER_H
#define BULKHEAD_BOOT_LOADER_H

#include <efi.h>
#include <bulkhead/bootinfo.h>

extern EFI_SYSTEM_TABLE *loader_system_table;
extern EFI_HANDLE loader_image_handle;

/* Log a line on the serial port (and, for errors, on the screen too). */
void loader_log(const char *format, ...) __attribute__((format(printf, 1, 2)));
void loader_error(const char *format, ...)
	__attribute__((format(printf, 1, 2)));
const char *loader_status_text(EFI_STATUS status);

/* Pages of EfiLoaderData; they survive ExitBootServices. */
EFI_STATUS loader_allocate(UINTN bytes, UINT64 max_address, UINT64 *address);
/* Exactly [address, address + bytes) as loader data; the firmware's error
 * when any page of it is not free memory. */
EFI_STATUS loader_allocate_at(UINT64 address, UINTN bytes);

/* Reads \bulkhead\<path> ('/' separators) from the loader's own volume. */
EFI_STATUS loader_open_volume(void);
EFI_STATUS loader_read_file(const char *path, UINT64 *address, UINT64 *size);
/* Reads and checks every partition's image (and initrd): boot/images.c. */
EFI_STATUS loader_read_images(struct bootinfo *info);

/* Fills cpus, cpu_count, lapic_base, ioapic_base and acpi_rsdp. */
EFI_STATUS loader_find_cpus(struct bootinfo *info);

/* Points FS at a canary so the stack-protected libfdt can run. */
void loader_install_stack_guard(void);

/* Measures the TSC frequency against the firmware's Stall service. */
UINT64 loader_calibrate_tsc(void);

/* Loads and relocates the core; returns its entry point. */
EFI_STATUS loader_load_core(struct bootinfo *info, UINT64 *entry);

/* Exits boot services (recording max_physical) and enters the core. */
EFI_STATUS loader_enter_core(struct bootinfo *info, UINT64 entry);

static inline UINT64 loader_rdtsc(void)
{
	UINT32 low, high;

	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return ((UINT64)high << 32) | low;
}

#endif
