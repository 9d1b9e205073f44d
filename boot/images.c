/* SPDX-License-Identifier: MIT */
/*
 * Reads every partition's kernel image (and a Linux partition's initrd)
 * from the ESP and checks it with lib/image_check.c, the same check the
 * host checker runs, before anything is committed. The check also resolves
 * each partition's virtual platform, which the core reads from the image.
 */
#include "loader.h"

#include <bulkhead/image_check.h>

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
