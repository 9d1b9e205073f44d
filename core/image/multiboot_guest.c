/* SPDX-License-Identifier: MIT */
/*
 * Loading a Multiboot 1 or 2 partition: the kernel's segments (or the
 * range its header names) from the pristine file, BSS cleared, then the
 * boot information at MULTIBOOT_INFO_BASE: a memory map of exactly the
 * partition's RAM with the ACPI tables' area and the channel windows
 * reserved, the config's cmdline, the modules (copied from their pristine
 * files to the pages lib/multiboot_modules.c plans), the boot loader's
 * name and, with the PC platform, the RSDP. vCPU 0 starts at the kernel's entry as both
 * specifications say: 32-bit protected mode, paging off, flat 4 GiB code
 * and data segments, interrupts off, EAX the boot magic and EBX the boot
 * information. The loader checked the image already; here a failure is a
 * hypervisor bug.
 */
#include "multiboot_guest.h"

#include <bulkhead/linux_boot.h>
#include <bulkhead/multiboot.h>
#include <string.h>

#include "core/base/panic.h"
#include "core/platform/pc.h"

#define MAP_MAX 32

_Static_assert(MULTIBOOT_INFO_BASE + MULTIBOOT_INFO_SIZE <= PC_ACPI_BASE &&
		   PC_ACPI_BASE + PC_ACPI_SIZE <= MULTIBOOT_IMAGE_MIN,
	       "the boot information lies below the ACPI tables and images");

static unsigned build_map(const struct partition *p,
			  struct linux_e820_entry *map)
{
	struct linux_e820_entry windows[CONFIG_MAX_PARTITION_CHANNELS];
	unsigned count;

	for (uint32_t i = 0; i < p->channel_count; i++) {
		windows[i].address = p->channels[i].guest_address;
		windows[i].size = (p->channels[i].size + PAGE_SIZE - 1) &
				  ~(uint64_t)(PAGE_SIZE - 1);
		windows[i].type = LINUX_E820_RESERVED;
	}
	count = linux_e820_build(p->memory_size, windows, p->channel_count, map,
				 MAP_MAX);
	if (!count)
		panic("partition %s: cannot build its memory map",
		      p->config->name);
	return count;
}

/* Copies the modules' files to where the plan puts them and describes
 * them for the boot information; returns how many there are. */
static unsigned load_modules(const struct partition *p,
			     const struct multiboot_image *image,
			     uint8_t *memory,
			     struct multiboot_info_module *modules)
{
	const struct bootinfo_image *files = p->image;
	uint64_t sizes[CONFIG_MAX_MODULES];
	uint32_t starts[CONFIG_MAX_MODULES];
	char error[MULTIBOOT_ERROR_MAX];

	for (uint32_t m = 0; m < files->module_count; m++)
		sizes[m] = files->modules[m].size;
	if (!multiboot_modules_plan(image->highest, p->memory_size, sizes,
				    files->module_count, starts, error))
		panic("partition %s: %s", p->config->name, error);
	for (uint32_t m = 0; m < files->module_count; m++) {
		memcpy(memory + starts[m],
		       (const void *)(uintptr_t)files->modules[m].base,
		       sizes[m]);
		modules[m] = (struct multiboot_info_module){
		    .start = starts[m],
		    .end = starts[m] + (uint32_t)sizes[m],
		    .string = p->config->modules[m],
		};
	}
	return files->module_count;
}

void multiboot_guest_load(struct partition *p)
{
	struct multiboot_info_module modules[CONFIG_MAX_MODULES];
	uint8_t *memory = (uint8_t *)(uintptr_t)p->memory_base;
	const uint8_t *file = (const uint8_t *)(uintptr_t)p->image->base;
	struct linux_e820_entry map[MAP_MAX];
	struct multiboot_image image;
	char error[MULTIBOOT_ERROR_MAX];
	uint32_t info;

	if (!multiboot_image_check(file, p->image->size, p->memory_size, &image,
				   error))
		panic("partition %s: %s", p->config->name, error);
	multiboot_load(file, &image, memory);
	const unsigned module_count = load_modules(p, &image, memory, modules);
	const struct multiboot_info_input input = {
	    .memory_size = p->memory_size,
	    .map = map,
	    .map_count = build_map(p, map),
	    .cmdline = p->config->cmdline,
	    .loader_name = MULTIBOOT_LOADER_NAME,
	    .modules = modules,
	    .module_count = module_count,
	    .rsdp = partition_has_pc(p) && p->acpi_rsdp ? memory + p->acpi_rsdp
							: NULL,
	};
	info = multiboot_info_build(image.version, memory + MULTIBOOT_INFO_BASE,
				    MULTIBOOT_INFO_BASE, MULTIBOOT_INFO_SIZE,
				    &input);
	if (!info)
		panic("partition %s: its boot information does not fit",
		      p->config->name);
	p->multiboot_entry = image.entry;
	p->multiboot_magic =
	    image.version == 1 ? MULTIBOOT1_BOOT_MAGIC : MULTIBOOT2_BOOT_MAGIC;
	p->multiboot_info = info;
}

void multiboot_guest_reset_vcpu(struct vcpu *vcpu)
{
	struct partition *p = vcpu->partition;

	vcpu->entry = (struct vcpu_entry){
	    .rip = p->multiboot_entry,
	    .code_selector = MULTIBOOT_SELECTOR_CODE,
	    .data_selector = MULTIBOOT_SELECTOR_DATA,
	    .protected32 = true,
	    .rax = p->multiboot_magic,
	    .rbx = p->multiboot_info,
	};
	backend->vcpu_reset(vcpu);
	/* Application processors wait for the guest's INIT and SIPI. */
	vcpu->waiting_for_startup = vcpu->index != 0;
	vcpu->startup_request = 0;
}
