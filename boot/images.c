/* SPDX-License-Identifier: MIT */
/*
 * Reads every partition's kernel image (and a Linux partition's initrd, a
 * Multiboot kernel's modules) from the ESP and checks it with
 * lib/image_check.c, the same check the host checker runs, before anything
 * is committed. The check also resolves
 * each partition's virtual platform, which the core reads from the image.
 */
#include "loader.h"

#include <bulkhead/image_check.h>
#include <bulkhead/multiboot.h>

/* Reads a Multiboot kernel's modules and checks that they fit. */
static EFI_STATUS read_modules(const struct config_partition *p,
			       const struct image_summary *summary,
			       struct bootinfo_image *image)
{
	uint64_t sizes[CONFIG_MAX_MODULES];
	uint32_t starts[CONFIG_MAX_MODULES];
	char error[IMAGE_ERROR_MAX];

	for (UINT32 m = 0; m < p->module_count; m++) {
		char path[CONFIG_MODULE_MAX];
		EFI_STATUS status;

		multiboot_module_path(p->modules[m], path, sizeof(path));
		status = loader_read_file(path, &image->modules[m].base,
					  &image->modules[m].size);
		if (EFI_ERROR(status)) {
			loader_error("partition %s: cannot read module "
				     "\\bulkhead\\%s: %s",
				     p->name, path, loader_status_text(status));
			return status;
		}
		sizes[m] = image->modules[m].size;
	}
	image->module_count = p->module_count;
	if (!image_check_modules(p, summary, sizes, starts, error)) {
		loader_error("partition %s: %s", p->name, error);
		return EFI_LOAD_ERROR;
	}
	for (UINT32 m = 0; m < p->module_count; m++)
		loader_log("partition %s: module %s, %llu bytes at 0x%x",
			   p->name, p->modules[m],
			   (unsigned long long)sizes[m], starts[m]);
	return EFI_SUCCESS;
}

EFI_STATUS loader_read_images(struct bootinfo *info)
{
	for (UINT32 i = 0; i < info->config.partition_count; i++) {
		const struct config_partition *p = &info->config.partitions[i];
		struct bootinfo_image *image = &info->images[i];
		struct image_summary summary;
		char error[IMAGE_ERROR_MAX];
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
		if (p->initrd[0] && image_is_linux(file, image->size)) {
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
		if (!image_check(p, file, image->size, image->initrd_size,
				 &summary, error)) {
			loader_error("partition %s: %s", p->name, error);
			return EFI_LOAD_ERROR;
		}
		status = read_modules(p, &summary, image);
		if (EFI_ERROR(status))
			return status;
		image->kind = summary.kind;
		image->entry = summary.entry;
		image->platform = summary.platform;
		if (summary.kind == BOOTINFO_IMAGE_LINUX)
			loader_log("partition %s: Linux boot protocol %u.%02u, "
				   "kernel at 0x%llx, initrd %llu KiB",
				   p->name, summary.linux_protocol >> 8,
				   summary.linux_protocol & 0xff,
				   (unsigned long long)summary.linux_kernel,
				   (unsigned long long)image->initrd_size >> 10);
	}
	return EFI_SUCCESS;
}
