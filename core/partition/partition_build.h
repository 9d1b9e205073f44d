/* SPDX-License-Identifier: MIT */
/* Building the partitions at boot; see partition_build.c. */
#ifndef BULKHEAD_CORE_PARTITION_PARTITION_BUILD_H
#define BULKHEAD_CORE_PARTITION_PARTITION_BUILD_H

#include "partition.h"

/* Builds every partition and vCPU from the config and loads each image. */
void partitions_create(const struct bootinfo *info);

#endif
