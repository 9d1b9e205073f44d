/* SPDX-License-Identifier: MIT */
/* Loading a partition and changing its state; see partition_lifecycle.c. */
#ifndef BULKHEAD_CORE_PARTITION_PARTITION_LIFECYCLE_H
#define BULKHEAD_CORE_PARTITION_PARTITION_LIFECYCLE_H

#include "partition.h"

/* Clears the memory, loads the image and resets the vCPUs. Runs on the
 * CPU of vCPU 0 while every other vCPU of the partition waits. */
void partition_load(struct partition *partition);

/* State changes; each is a no-op when it does not apply. */
void partition_fault(struct partition *partition, const char *reason);
void partition_exit(struct partition *partition, int64_t status);
/* False when the partition is not running (nothing changes). */
bool partition_stop(struct partition *partition);
/* Boots a partition that is not running (again); returns false if it is
 * running or already restarting. */
bool partition_start(struct partition *partition);
void partition_restart(struct partition *partition);

#endif
