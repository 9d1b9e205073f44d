/* SPDX-License-Identifier: MIT */
/*
 * Linux partitions: their loading by the boot protocol. The platform they
 * see is the PC platform (core/platform/pc.h, docs/linux.md).
 */
#ifndef BULKHEAD_CORE_IMAGE_LINUX_GUEST_H
#define BULKHEAD_CORE_IMAGE_LINUX_GUEST_H

#include <bulkhead/image_check.h>

#include "core/partition/partition.h"

/* What the hypervisor may append to the config's command line. */
#define LINUX_CMDLINE_ADDED_MAX IMAGE_LINUX_CMDLINE_ADDED_MAX

/* Loads kernel, initrd, command line, zero page, GDT and identity tables
 * into the (zeroed) memory of p, after pc_platform_load() built the ACPI
 * tables. */
void linux_guest_load(struct partition *p);
/* vCPU 0 at the 64-bit entry, the others waiting for INIT and SIPI. */
void linux_guest_reset_vcpu(struct vcpu *vcpu);

#endif
