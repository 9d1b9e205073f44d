/* SPDX-License-Identifier: MIT */
/*
 * The UEFI loader's entry: reads and validates \bulkhead\config.dtb with the
 * same parser the host checker uses, reads and checks every image, finds
 * the CPUs, calibrates the TSC, reserves memory for the core and each
 * partition (a fixed memory-base as soon as the configuration is read),
 * then hands over to the core. Every failure before the hand-off is
 * printed on the screen and the serial port and returned to the firmware.
 */
#include "loader.h"

#include <bulkhead/elf.h>
#include <bulkhead/hypercall.h>
#include <string.h>

#define CORE_HEAP_SIZE (16ull << 20)
#define LARGE_PAGE (2ull << 20)

EFI_SYSTEM_TABLE *loader_system_table;
EFI_HANDLE loader_image_handle;

static EFI_STATUS read_config(struct bootinfo *info)
{
	struct config_machine machine = { .cpu_count = info->cpu_count };
	char error[CONFIG_ERROR_MAX];
	UINT64 blob, size;
	EFI_STATUS status;

	status = loader_read_file("config.dtb", &blob, &size);
	if (EFI_ERROR(status)) {
		loader_error("cannot read \\bulkhead\\config.dtb: %s",
			     loader_status_text(status));
		return status;
	}
	if (!config_parse((void *)(UINTN)blob, size, &machine, &info->config,
			  error)) {
		loader_error("config.dtb: %s", error);
		return EFI_INVALID_PARAMETER;
	}
	loader_log("config: %u partitions", info->config.partition_count);
	return EFI_SUCCESS;
}

static void record_partition(struct bootinfo *info, UINT32 index,
			     UINT64 address)
{
	const struct config_partition *p = &info->config.partitions[index];

	info->partition_memory[index].base = address;
	info->partition_memory[index].size = p->memory_size;
	loader_log("partition %s: %llu MiB at 0x%llx", p->name,
		   (unsigned long long)p->memory_size >> 20,
		   (unsigned long long)address);
}

/* A partition with memory-base gets exactly that range (the parser checked
 * its alignment and that no two overlap). Reserved before the images are
 * read, so none of the loader's own allocations can take it. */
static EFI_STATUS reserve_fixed_partitions(struct bootinfo *info)
{
	for (UINT32 i = 0; i < info->config.partition_count; i++) {
		const struct config_partition *p = &info->config.partitions[i];
		EFI_STATUS status;

		if (!p->memory_base)
			continue;
		status = loader_allocate_at(p->memory_base, p->memory_size);
		if (EFI_ERROR(status)) {
			loader_error("partition %s: cannot reserve memory-base "
				     "0x%llx-0x%llx (%llu MiB): %s",
				     p->name,
				     (unsigned long long)p->memory_base,
				     (unsigned long long)(p->memory_base +
							  p->memory_size - 1),
				     (unsigned long long)p->memory_size >> 20,
				     loader_status_text(status));
			return status;
		}
		record_partition(info, i, p->memory_base);
	}
	return EFI_SUCCESS;
}

/* The other partitions' memory, wherever the firmware has room, 2 MiB
 * aligned so stage-2 can map it with large pages; the slack of the
 * over-allocation is simply left unused. */
static EFI_STATUS reserve_partitions(struct bootinfo *info)
{
	for (UINT32 i = 0; i < info->config.partition_count; i++) {
		const struct config_partition *p = &info->config.partitions[i];
		UINT64 address;
		EFI_STATUS status;

		if (p->memory_base)
			continue;
		status = loader_allocate(p->memory_size + LARGE_PAGE, ~0ull,
					 &address);
		if (EFI_ERROR(status)) {
			loader_error("partition %s: cannot reserve %llu MiB: %s",
				     p->name,
				     (unsigned long long)p->memory_size >> 20,
				     loader_status_text(status));
			return status;
		}
		address = (address + LARGE_PAGE - 1) & ~(LARGE_PAGE - 1);
		record_partition(info, i, address);
	}
	return EFI_SUCCESS;
}

/* Channel memory: its own zeroed pages, mapped into both peers. */
static EFI_STATUS reserve_channels(struct bootinfo *info)
{
	for (UINT32 i = 0; i < info->config.channel_count; i++) {
		const struct config_channel *c = &info->config.channels[i];
		UINT64 address;
		EFI_STATUS status;

		status = loader_allocate(c->size, ~0ull, &address);
		if (EFI_ERROR(status)) {
			loader_error("channel %s: cannot reserve %llu KiB: %s",
				     c->name, (unsigned long long)c->size >> 10,
				     loader_status_text(status));
			return status;
		}
		memset((void *)(UINTN)address, 0, c->size);
		info->channel_memory[i].base = address;
		info->channel_memory[i].size = c->size;
	}
	return EFI_SUCCESS;
}

/* The core's heap: its own needs and every partition's console log. */
static UINT64 core_heap_size(const struct config *config)
{
	UINT64 size = CORE_HEAP_SIZE;

	for (uint32_t i = 0; i < config->partition_count; i++)
		size += (config->partitions[i].console_log_size + 63) & ~63ull;
	return (size + 4095) & ~4095ull;
}

static EFI_STATUS reserve_core_memory(struct bootinfo *info)
{
	EFI_STATUS status;
	UINT64 heap_size = core_heap_size(&info->config);

	status = loader_allocate(heap_size, 0xffffffffull, &info->heap.base);
	if (!EFI_ERROR(status)) {
		info->heap.size = heap_size;
		status = loader_allocate(4096, 0x9ffff, &info->trampoline.base);
		info->trampoline.size = 4096;
	}
	if (EFI_ERROR(status))
		loader_error("cannot reserve the core's memory: %s",
			     loader_status_text(status));
	return status;
}

static EFI_STATUS run_loader(struct bootinfo *info)
{
	UINT64 entry;
	EFI_STATUS status;

	status = loader_open_volume();
	if (EFI_ERROR(status)) {
		loader_error("cannot open the boot volume: %s",
			     loader_status_text(status));
		return status;
	}
	status = loader_find_cpus(info);
	if (EFI_ERROR(status))
		return status;
	loader_log("%u CPUs usable", info->cpu_count);
	status = read_config(info);
	if (EFI_ERROR(status))
		return status;
	status = reserve_fixed_partitions(info);
	if (EFI_ERROR(status))
		return status;
	status = loader_read_images(info);
	if (EFI_ERROR(status))
		return status;
	info->tsc_hz = loader_calibrate_tsc();
	loader_log("TSC: %llu kHz", (unsigned long long)info->tsc_hz / 1000);
	status = reserve_core_memory(info);
	if (!EFI_ERROR(status))
		status = reserve_partitions(info);
	if (!EFI_ERROR(status))
		status = reserve_channels(info);
	if (!EFI_ERROR(status))
		status = loader_load_core(info, &entry);
	if (!EFI_ERROR(status))
		status = loader_enter_core(info, entry);
	return status;
}

/* Called by GNU-EFI's crt0 with the System V convention. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
	UINT64 loader_tsc = loader_rdtsc();
	struct bootinfo *info;
	UINT64 address;
	EFI_STATUS status;

	loader_system_table = system_table;
	loader_image_handle = image;
	system_table->BootServices->SetWatchdogTimer(0, 0, 0, NULL);
	loader_install_stack_guard();
	loader_log("bulkhead starting (TSC %llu)", (unsigned long long)loader_tsc);
	status = loader_allocate(sizeof(*info), ~0ull, &address);
	if (EFI_ERROR(status)) {
		loader_error("no memory for the boot info: %s",
			     loader_status_text(status));
		return status;
	}
	info = (void *)(UINTN)address;
	memset(info, 0, sizeof(*info));
	info->magic = BOOTINFO_MAGIC;
	info->version = BOOTINFO_VERSION;
	info->loader_tsc = loader_tsc;
	status = run_loader(info);
	loader_error("boot aborted (status 0x%llx, %s); returning to the firmware",
		     (unsigned long long)status, loader_status_text(status));
	return status;
}
