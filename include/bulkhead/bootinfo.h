/* SPDX-License-Identifier: MIT */
/*
 * The boot-info block: everything the loader learned from the firmware and
 * the ESP, handed to the core in RDI at its entry after ExitBootServices.
 * All addresses are physical; the core runs identity-mapped, so they are
 * also usable as pointers. Documented in docs/boot-info.md.
 */
#ifndef BULKHEAD_BOOTINFO_H
#define BULKHEAD_BOOTINFO_H

#include <bulkhead/config.h>
#include <stdint.h>

#define BOOTINFO_MAGIC 0x6f666e69746f6f62ull /* "bootinfo" */
#define BOOTINFO_VERSION 3

struct bootinfo_range {
	uint64_t base;
	uint64_t size;
};

struct bootinfo_cpu {
	uint32_t apic_id;
	uint32_t is_boot_cpu;
};

enum bootinfo_image_kind {
	BOOTINFO_IMAGE_ELF = 1,   /* a bare-metal guest (guests/include ABI) */
	BOOTINFO_IMAGE_LINUX = 2, /* a bzImage, booted by the Linux protocol */
	BOOTINFO_IMAGE_MULTIBOOT1 = 3, /* a kernel with a Multiboot 1 header */
	BOOTINFO_IMAGE_MULTIBOOT2 = 4, /* a kernel with a Multiboot 2 header */
};

struct bootinfo_image {
	uint64_t base; /* the file as read from the ESP: a pristine copy */
	uint64_t size;
	uint64_t entry; /* checked entry point (ELF, Multiboot) */
	uint32_t kind;  /* enum bootinfo_image_kind */
	uint32_t platform; /* enum config_platform, resolved (never DEFAULT) */
	uint64_t initrd_base; /* Linux: the initramfs file, size 0 if none */
	uint64_t initrd_size;
	uint32_t module_count; /* Multiboot: the files of config's modules */
	uint32_t reserved;
	struct bootinfo_range modules[CONFIG_MAX_MODULES];
};

struct bootinfo {
	uint64_t magic;
	uint32_t version;
	uint32_t cpu_count; /* usable CPUs; index = config CPU number */
	struct bootinfo_cpu cpus[CONFIG_MAX_CPUS];
	uint64_t tsc_hz;          /* calibrated against the firmware's Stall */
	uint64_t loader_tsc;      /* TSC at loader entry */
	uint64_t acpi_rsdp;       /* 0 when the firmware has no ACPI tables */
	uint64_t lapic_base;      /* physical base of the local APIC MMIO */
	uint64_t ioapic_base;     /* from the MADT; 0 when unknown */
	uint64_t max_physical;    /* one past the highest address to identity map */
	struct bootinfo_range core;       /* the relocated core image */
	struct bootinfo_range heap;       /* boot-time allocations, below 4 GiB */
	struct bootinfo_range trampoline; /* one page below 1 MiB for AP start */
	struct bootinfo_range partition_memory[CONFIG_MAX_PARTITIONS];
	struct bootinfo_image images[CONFIG_MAX_PARTITIONS];
	struct bootinfo_range channel_memory[CONFIG_MAX_CHANNELS]; /* zeroed */
	struct config config;
};

#endif
