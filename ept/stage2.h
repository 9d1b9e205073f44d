/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 (guest-physical to host-physical) translation of a partition,
 * the same for AMD NPT (npt.c) and Intel EPT: only the entry format
 * differs. A partition's tables map exactly its own memory at
 * guest-physical 0 and nothing else; stage2_audit proves it at boot.
 */
#ifndef BULKHEAD_EPT_STAGE2_H
#define BULKHEAD_EPT_STAGE2_H

#include <stdbool.h>

#include <bulkhead/pagetable.h>

struct partition;
struct bootinfo;

/* The NPT format allowing pages up to max_leaf_level (1: 2 MiB, 2: 1 GiB). */
const struct pagetable_format *npt_format(unsigned max_leaf_level);

/* Builds the partition's stage-2 tables with the largest pages that fit. */
bool stage2_build(struct partition *partition,
		  const struct pagetable_format *format,
		  const struct pagetable_allocator *allocator);

/* Checks every leaf of every partition maps inside its own memory or one
 * of its own channels, and never into the hypervisor, another partition or
 * a channel it is not in. Returns false and logs the first offending
 * mapping otherwise. */
bool stage2_audit(struct partition *const *partitions, unsigned count,
		  const struct bootinfo *info);

#endif
