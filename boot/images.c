/* SPDX-License-Identifier: MIT */
/*
 * Reads every partition's kernel image (and a Linux partition's initrd)
 * from the ESP and checks it before anything is committed: an ELF guest
 * against its partition's memory, a Linux bzImage by the boot protocol,
 * with its initrd and command line planned into the partition's memory.
 * A file that is neither is refused, as is a Linux-only property on an
 * ELF guest.
 */
#include "loader.h"

#include <bulkhead/elf.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/linux_boot.h>
#include <string.h>

/* Linux partitions end below the guest's IOAPIC and local APIC pages;
 * the core may append this much to the command line (tsc_early_khz=). */
#define LINUX_CMDLINE_ADDED_MAX 64
#define LINUX_MEMORY_MAX (3ull << 30)

static bool is_elf(const UINT8 *file, UINT64 size)
{
	return size >= 4 && !memcmp(file, "\177ELF", 4);
}

/* The boot protocol's "HdrS" magic; linux_image_check() checks the rest. */
static bool is_bzimage(const UINT8 *file, UINT64 size)
{
	return size >= 0x206 && !memcmp(file + 0x202, "HdrS", 4);
}

static EFI_STATUS check_elf(const struct config_partition *p,
			    struct bootinfo_image *image)
{
	const struct elf_bounds bounds = { BULKHEAD_GUEST_IMAGE_MIN,
					   p->memory_size };
	struct elf_summary summary;
	char error[ELF_ERROR_MAX];

	if (p->initrd[0] || p->cmdline[0]) {
		loader_error("partition %s: initrd and cmdline apply only to a "
			     "Linux bzImage, and %s is an ELF guest",
			     p->name, p->kernel);
		return EFI_INVALID_PARAMETER;
	}
	if (!elf_check((void *)(UINTN)image->base, image->size, &bounds,
		       &summary, error)) {
		loader_error("partition %s: image %s: %s", p->name, p->kernel,
			     error);
		return EFI_LOAD_ERROR;
	}
	image->kind = BOOTINFO_IMAGE_ELF;
	image->entry = summary.entry;
	return EFI_SUCCESS;
}

static EFI_STATUS check_linux(const struct config_partition *p,
			      struct bootinfo_image *image)
{
	struct linux_image linux_image;
	struct linux_layout layout;
	char error[160];
	EFI_STATUS status;

	if (!linux_image_check((const uint8_t *)(UINTN)image->base,
			       image->size, &linux_image, error,
			       sizeof(error))) {
		loader_error("partition %s: kernel %s: %s", p->name, p->kernel,
			     error);
		return EFI_LOAD_ERROR;
	}
	if (p->memory_size > LINUX_MEMORY_MAX) {
		loader_error("partition %s: a Linux partition has at most %llu "
			     "MiB (its memory must end below the APIC pages)",
			     p->name,
			     (unsigned long long)LINUX_MEMORY_MAX >> 20);
		return EFI_INVALID_PARAMETER;
	}
	if (p->initrd[0]) {
		status = loader_read_file(p->initrd, &image->initrd_base,
					  &image->initrd_size);
		if (EFI_ERROR(status)) {
			loader_error("partition %s: cannot read initrd "
				     "\\bulkhead\\%s: %s",
				     p->name, p->initrd,
				     loader_status_text(status));
			return status;
		}
	}
	if (!linux_layout_plan(&linux_image, p->memory_size, image->initrd_size,
			       strlen(p->cmdline) + LINUX_CMDLINE_ADDED_MAX,
			       &layout, error,
			       sizeof(error))) {
		loader_error("partition %s: %s", p->name, error);
		return EFI_BUFFER_TOO_SMALL;
	}
	image->kind = BOOTINFO_IMAGE_LINUX;
	image->entry = layout.entry64;
	loader_log("partition %s: Linux boot protocol %u.%02u, kernel at "
		   "0x%llx, initrd %llu KiB",
		   p->name, linux_image.protocol >> 8,
		   linux_image.protocol & 0xff,
		   (unsigned long long)layout.kernel,
		   (unsigned long long)image->initrd_size >> 10);
	return EFI_SUCCESS;
}

EFI_STATUS loader_read_images(struct bootinfo *info)
{
	for (UINT32 i = 0; i < info->config.partition_count; i++) {
		const struct config_partition *p = &info->config.partitions[i];
		struct bootinfo_image *image = &info->images[i];
		EFI_STATUS status;

		status = loader_read_file(p->kernel, &image->base, &image->size);
		if (EFI_ERROR(status)) {
			loader_error("partition %s: cannot read image "
				     "\\bulkhead\\%s: %s",
				     p->name, p->kernel,
				     loader_status_text(status));
			return status;
		}
		const UINT8 *file = (const UINT8 *)(UINTN)image->base;
		if (is_elf(file, image->size))
			status = check_elf(p, image);
		else if (is_bzimage(file, image->size))
			status = check_linux(p, image);
		else {
			loader_error("partition %s: image %s is neither an ELF "
				     "executable nor a Linux bzImage",
				     p->name, p->kernel);
			status = EFI_LOAD_ERROR;
		}
		if (EFI_ERROR(status))
			return status;
	}
	return EFI_SUCCESS;
}
