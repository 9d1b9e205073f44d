/* SPDX-License-Identifier: MIT */
/*
 * Memory for the core, and the hand-off: the core ELF is loaded into fresh
 * pages and relocated, the final memory map is read, boot services are
 * exited and the core entered with the boot-info block in RDI. After
 * ExitBootServices nothing here may fail softly: the core owns the machine.
 */
#include "loader.h"

#include <bulkhead/elf.h>

EFI_STATUS loader_load_core(struct bootinfo *info, UINT64 *entry)
{
	const struct elf_bounds bounds = { 0, 1ull << 30 };
	struct elf_summary summary;
	char error[ELF_ERROR_MAX];
	UINT64 file, file_size, base;
	EFI_STATUS status;

	status = loader_read_file("core.elf", &file, &file_size);
	if (EFI_ERROR(status)) {
		loader_error("cannot read \\bulkhead\\core.elf: %s",
			     loader_status_text(status));
		return status;
	}
	if (!elf_check((void *)(UINTN)file, file_size, &bounds, &summary,
		       error)) {
		loader_error("\\bulkhead\\core.elf: %s", error);
		return EFI_LOAD_ERROR;
	}
	/* Below 4 GiB so the AP trampoline can reach it with 32-bit code. */
	status = loader_allocate(summary.highest, 0xffffffffull, &base);
	if (EFI_ERROR(status)) {
		loader_error("no memory for the core (%llu KiB): %s",
			     (unsigned long long)summary.highest >> 10,
			     loader_status_text(status));
		return status;
	}
	elf_load((void *)(UINTN)file, (void *)(UINTN)base, 0);
	if (!elf_relocate((void *)(UINTN)file, file_size, (void *)(UINTN)base,
			  summary.highest, error)) {
		loader_error("\\bulkhead\\core.elf: %s", error);
		return EFI_LOAD_ERROR;
	}
	info->core.base = base;
	info->core.size = summary.highest;
	*entry = base + summary.entry;
	loader_log("core loaded at 0x%llx (%llu KiB)", (unsigned long long)base,
		   (unsigned long long)summary.highest >> 10);
	return EFI_SUCCESS;
}

static UINT64 highest_address(EFI_MEMORY_DESCRIPTOR *map, UINTN map_size,
			      UINTN descriptor_size)
{
	UINT64 highest = 4ull << 30; /* at least the MMIO hole below 4 GiB */

	for (UINTN offset = 0; offset < map_size; offset += descriptor_size) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + offset);
		UINT64 end = d->PhysicalStart + d->NumberOfPages * 4096;

		if (end > highest)
			highest = end;
	}
	return highest;
}

EFI_STATUS loader_enter_core(struct bootinfo *info, UINT64 entry)
{
	EFI_BOOT_SERVICES *boot = loader_system_table->BootServices;
	UINTN map_size = 0, key, descriptor_size;
	UINT32 descriptor_version;
	UINT64 map_address;
	EFI_STATUS status;

	boot->GetMemoryMap(&map_size, NULL, &key, &descriptor_size,
			   &descriptor_version);
	map_size += 16 * descriptor_size; /* room for the allocation itself */
	status = loader_allocate(map_size, ~0ull, &map_address);
	if (EFI_ERROR(status)) {
		loader_error("no memory for the memory map: %s",
			     loader_status_text(status));
		return status;
	}
	loader_log("exiting boot services; entering the core");
	for (int attempt = 0; attempt < 3; attempt++) {
		UINTN size = map_size;

		status = boot->GetMemoryMap(&size, (void *)(UINTN)map_address,
					    &key, &descriptor_size,
					    &descriptor_version);
		if (EFI_ERROR(status))
			break;
		info->max_physical = highest_address(
			(void *)(UINTN)map_address, size, descriptor_size);
		status = boot->ExitBootServices(loader_image_handle, key);
		if (!EFI_ERROR(status)) {
			__asm__ volatile("cli");
			((void (*)(struct bootinfo *))(UINTN)entry)(info);
			for (;;)
				__asm__ volatile("hlt");
		}
	}
	loader_error("ExitBootServices failed: %s", loader_status_text(status));
	return status;
}
