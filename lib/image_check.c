/* SPDX-License-Identifier: MIT */
/* A partition's kernel image, checked as image_check.h says. Pure. */
#include <bulkhead/elf.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/image_check.h>
#include <bulkhead/linux_boot.h>
#include <bulkhead/multiboot.h>
#include <string.h>

#include "format.h"

bool image_is_linux(const uint8_t *file, uint64_t size)
{
	return size >= 0x206 && !memcmp(file + 0x202, "HdrS", 4);
}

uint32_t image_platform(uint32_t configured, uint32_t kind)
{
	if (configured != CONFIG_PLATFORM_DEFAULT)
		return configured;
	return kind == BOOTINFO_IMAGE_ELF ? CONFIG_PLATFORM_NONE
					  : CONFIG_PLATFORM_PC;
}

/* The PC platform's devices sit below 4 GiB: its RAM ends below them. */
static bool check_pc_memory(const struct config_partition *p, const char *what,
			    char error[IMAGE_ERROR_MAX])
{
	if (p->memory_size <= IMAGE_PC_MEMORY_MAX)
		return true;
	format(error, IMAGE_ERROR_MAX,
	       "%s has at most %llu MiB (its memory must end below the APIC "
	       "pages)",
	       what, (unsigned long long)IMAGE_PC_MEMORY_MAX >> 20);
	return false;
}

static bool check_elf(const struct config_partition *p, const uint8_t *file,
		      uint64_t size, struct image_summary *out,
		      char error[IMAGE_ERROR_MAX])
{
	const struct elf_bounds bounds = { BULKHEAD_GUEST_IMAGE_MIN,
					   p->memory_size };
	struct elf_summary summary;
	char elf_error[ELF_ERROR_MAX];

	if (p->initrd[0] || p->cmdline[0]) {
		format(error, IMAGE_ERROR_MAX,
		       "initrd and cmdline apply only to a Linux bzImage, and "
		       "%s is an ELF guest",
		       p->kernel);
		return false;
	}
	if (!elf_check(file, size, &bounds, &summary, elf_error)) {
		format(error, IMAGE_ERROR_MAX, "image %s: %s", p->kernel,
		       elf_error);
		return false;
	}
	out->platform = image_platform(p->platform, BOOTINFO_IMAGE_ELF);
	if (out->platform == CONFIG_PLATFORM_PC &&
	    !check_pc_memory(p, "a partition with platform = \"pc\"", error))
		return false;
	out->kind = BOOTINFO_IMAGE_ELF;
	out->entry = summary.entry;
	return true;
}

static bool check_linux(const struct config_partition *p, const uint8_t *file,
			uint64_t size, uint64_t initrd_size,
			struct image_summary *out, char error[IMAGE_ERROR_MAX])
{
	struct linux_image image;
	struct linux_layout layout;
	char reason[160];

	/* Linux needs its interrupt controllers, timer and ACPI tables. */
	out->platform = image_platform(p->platform, BOOTINFO_IMAGE_LINUX);
	if (out->platform != CONFIG_PLATFORM_PC) {
		format(error, IMAGE_ERROR_MAX,
		       "kernel %s: a Linux kernel needs platform = \"pc\"",
		       p->kernel);
		return false;
	}
	if (!linux_image_check(file, size, &image, reason, sizeof(reason))) {
		format(error, IMAGE_ERROR_MAX, "kernel %s: %s", p->kernel,
		       reason);
		return false;
	}
	if (!check_pc_memory(p, "a Linux partition", error))
		return false;
	if (!linux_layout_plan(&image, p->memory_size, initrd_size,
			       strlen(p->cmdline) +
				       IMAGE_LINUX_CMDLINE_ADDED_MAX,
			       &layout, reason, sizeof(reason))) {
		format(error, IMAGE_ERROR_MAX, "%s", reason);
		return false;
	}
	out->kind = BOOTINFO_IMAGE_LINUX;
	out->entry = layout.entry64;
	out->linux_protocol = image.protocol;
	out->linux_kernel = layout.kernel;
	return true;
}

/* A Multiboot kernel: its header and load against the partition's memory.
 * Its command line is the partition's cmdline; it has no initrd. */
static bool check_multiboot(const struct config_partition *p,
			    const uint8_t *file, uint64_t size,
			    struct image_summary *out,
			    char error[IMAGE_ERROR_MAX])
{
	struct multiboot_image image;
	char reason[MULTIBOOT_ERROR_MAX];

	if (!multiboot_image_check(file, size, p->memory_size, &image,
				   reason)) {
		format(error, IMAGE_ERROR_MAX, "kernel %s: %s", p->kernel,
		       reason);
		return false;
	}
	if (p->initrd[0]) {
		format(error, IMAGE_ERROR_MAX,
		       "initrd applies only to a Linux bzImage, and %s is a "
		       "Multiboot %u kernel",
		       p->kernel, image.version);
		return false;
	}
	out->kind = image.version == 1 ? BOOTINFO_IMAGE_MULTIBOOT1
				       : BOOTINFO_IMAGE_MULTIBOOT2;
	out->platform = image_platform(p->platform, out->kind);
	if (out->platform == CONFIG_PLATFORM_PC &&
	    !check_pc_memory(p, "a partition with platform = \"pc\"", error))
		return false;
	out->entry = image.entry;
	out->multiboot_lowest = image.lowest;
	out->multiboot_highest = image.highest;
	return true;
}

bool image_check(const struct config_partition *partition,
		 const uint8_t *file, uint64_t size, uint64_t initrd_size,
		 struct image_summary *out, char error[IMAGE_ERROR_MAX])
{
	memset(out, 0, sizeof(*out));
	if (multiboot_header_present(file, size))
		return check_multiboot(partition, file, size, out, error);
	if (partition->module_count) {
		format(error, IMAGE_ERROR_MAX,
		       "modules apply only to a Multiboot kernel, and %s has "
		       "no Multiboot header",
		       partition->kernel);
		return false;
	}
	if (size >= 4 && !memcmp(file, "\177ELF", 4))
		return check_elf(partition, file, size, out, error);
	if (image_is_linux(file, size))
		return check_linux(partition, file, size, initrd_size, out,
				   error);
	format(error, IMAGE_ERROR_MAX,
	       "image %s is neither an ELF executable, a Multiboot kernel "
	       "nor a Linux bzImage",
	       partition->kernel);
	return false;
}

bool image_check_modules(const struct config_partition *partition,
			 const struct image_summary *summary,
			 const uint64_t *sizes, uint32_t *starts,
			 char error[IMAGE_ERROR_MAX])
{
	char reason[MULTIBOOT_ERROR_MAX];

	if (!partition->module_count)
		return true;
	if (summary->kind != BOOTINFO_IMAGE_MULTIBOOT1 &&
	    summary->kind != BOOTINFO_IMAGE_MULTIBOOT2) {
		format(error, IMAGE_ERROR_MAX,
		       "modules apply only to a Multiboot kernel");
		return false;
	}
	if (multiboot_modules_plan(summary->multiboot_highest,
				   partition->memory_size, sizes,
				   partition->module_count, starts, reason))
		return true;
	format(error, IMAGE_ERROR_MAX, "modules: %s", reason);
	return false;
}
