/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 and 2 partitions: their loading by the specifications
 * (lib/multiboot.c) and the 32-bit entry of their bootstrap vCPU.
 */
#ifndef BULKHEAD_CORE_IMAGE_MULTIBOOT_GUEST_H
#define BULKHEAD_CORE_IMAGE_MULTIBOOT_GUEST_H

#include "core/partition/partition.h"

/* Where the boot information goes in the partition's memory: below the
 * image (which starts at 1 MiB at the lowest) and the ACPI tables. */
#define MULTIBOOT_INFO_BASE   0x8000u
#define MULTIBOOT_INFO_SIZE   0x8000u
#define MULTIBOOT_LOADER_NAME "bulkhead"
/* The selectors CS and the data segments hold at entry; their flat 4 GiB
 * descriptors are in the hidden parts only (the kernel loads its own GDT
 * before it loads a segment register, as the specifications require). */
#define MULTIBOOT_SELECTOR_CODE 0x08
#define MULTIBOOT_SELECTOR_DATA 0x10

/* Loads the kernel and its boot information into the (zeroed) memory of
 * p, after pc_platform_load() built the ACPI tables. */
void multiboot_guest_load(struct partition *p);
/* vCPU 0 at the kernel's entry in 32-bit protected mode with paging off,
 * EAX the magic, EBX the boot information; the others wait for INIT and
 * start-up IPIs. */
void multiboot_guest_reset_vcpu(struct vcpu *vcpu);

#endif
