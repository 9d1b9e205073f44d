/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the configuration parser (lib/config/) on arbitrary
 * blobs. It must refuse what is not a valid configuration with one line,
 * never read outside the blob, never crash; an accepted configuration
 * must hold its own limits.
 */
#include <bulkhead/config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config config;
	char error[CONFIG_ERROR_MAX];
	/* An exact-size copy: ASan sees any read past the blob's end. */
	uint8_t *blob = malloc(size ? size : 1);

	if (!blob)
		return 0;
	memcpy(blob, data, size);
	if (config_parse(blob, size, NULL, &config, error)) {
		if (config.partition_count > CONFIG_MAX_PARTITIONS)
			abort();
		for (uint32_t i = 0; i < config.partition_count; i++)
			if (config.partitions[i].cpu_count > CONFIG_MAX_CPUS ||
			    config.partitions[i].pci_device_count >
				    CONFIG_MAX_PCI_DEVICES)
				abort();
	} else if (!memchr(error, 0, sizeof(error)) || !error[0]) {
		abort(); /* a refusal always says why */
	}
	free(blob);
	return 0;
}
