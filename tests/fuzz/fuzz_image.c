/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the image checks the loader and bulkhead-check share
 * (lib/image_check.c: ELF guests, Linux bzImages, Multiboot kernels) on
 * arbitrary files, for a partition of 16 MiB with each platform. A file
 * is accepted or refused with a reason; an accepted one loads inside the
 * partition.
 */
#include <bulkhead/config.h>
#include <bulkhead/image_check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_partition partition;
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];
	uint8_t *file = malloc(size ? size : 1);

	if (!file)
		return 0;
	memcpy(file, data, size);
	for (uint32_t platform = 0; platform < 3; platform++) {
		memset(&partition, 0, sizeof(partition));
		partition.memory_size = 16u << 20;
		partition.cpu_count = 1;
		partition.platform = platform;
		error[0] = 0;
		if (!image_check(&partition, file, size, platform ? 4096 : 0,
				 &summary, error) &&
		    !error[0])
			abort(); /* a refusal always says why */
	}
	(void)image_is_linux(file, size);
	free(file);
	return 0;
}
