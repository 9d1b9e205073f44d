/* SPDX-License-Identifier: MIT */
/*
 * Pages from the firmware for all that the loader reads or hands over to
 * the core (files, partition memory, the heap, the trampoline, the boot
 * info): loader data, so the core may keep them after ExitBootServices.
 */
#include "loader.h"

EFI_STATUS loader_allocate(UINTN bytes, UINT64 max_address, UINT64 *address)
{
	EFI_BOOT_SERVICES *boot = loader_system_table->BootServices;
	EFI_ALLOCATE_TYPE type = max_address == ~0ull ? AllocateAnyPages
						      : AllocateMaxAddress;

	*address = max_address;
	return boot->AllocatePages(type, EfiLoaderData,
				   EFI_SIZE_TO_PAGES(bytes), address);
}

EFI_STATUS loader_allocate_at(UINT64 address, UINTN bytes)
{
	EFI_BOOT_SERVICES *boot = loader_system_table->BootServices;

	return boot->AllocatePages(AllocateAddress, EfiLoaderData,
				   EFI_SIZE_TO_PAGES(bytes), &address);
}
