/* SPDX-License-Identifier: MIT */
/*
 * The parsed partition configuration: plain data with no pointers, filled
 * by config_parse() from a device-tree blob and handed unchanged from the
 * loader to the core inside the boot-info block. The schema it implements is
 * documented in docs/config.md; every limit below is part of that schema.
 */
#ifndef BULKHEAD_CONFIG_H
#define BULKHEAD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_PARTITIONS 16
#define CONFIG_MAX_CPUS 64 /* physical CPU indices are 0..63 */
#define CONFIG_MAX_IOPORT_RANGES 8
#define CONFIG_MAX_CHANNELS 16
#define CONFIG_MAX_PARTITION_CHANNELS 8 /* channels one partition is in */
#define CONFIG_NAME_MAX 32  /* including the terminating NUL */
/* The hypervisor's own console label, which no partition may have. */
#define CONFIG_HYPERVISOR_LABEL "bulkhead"
#define CONFIG_PATH_MAX 128 /* including the terminating NUL */
#define CONFIG_ARGS_MAX 128 /* including the terminating NUL */
#define CONFIG_CMDLINE_MAX 1024 /* a Linux command line, with its NUL */
#define CONFIG_MAX_PCI_DEVICES 8 /* PCI functions one partition owns */
#define CONFIG_MAX_MODULES 4 /* Multiboot modules of one partition */
#define CONFIG_MODULE_MAX 128 /* "PATH[ STRING]", with its NUL */

/* Channel memory: whole 4 KiB pages, at most 2 MiB per channel. */
#define CONFIG_CHANNEL_MIN (4ull << 10)
#define CONFIG_CHANNEL_MAX (2ull << 20)
#define CONFIG_CHANNEL_DEFAULT_VECTOR 0x40
#define CONFIG_RESTART_DEFAULT_LIMIT 3

/* console-log-size: the bytes of a partition's console output the
 * hypervisor keeps for management partitions to read. */
#define CONFIG_CONSOLE_LOG_DEFAULT (4u << 10)
#define CONFIG_CONSOLE_LOG_MIN 256u
#define CONFIG_CONSOLE_LOG_MAX (1u << 20)

/* Partition memory is granted in 2 MiB units so stage-2 can use large pages. */
#define CONFIG_MEMORY_ALIGN (2ull << 20)
#define CONFIG_MEMORY_MIN (2ull << 20)
#define CONFIG_MEMORY_MAX (16ull << 30)
/* A fixed memory-base range must end at or below the 52-bit limit of
 * x86-64 physical addresses. */
#define CONFIG_PHYSICAL_LIMIT (1ull << 52)

/* The virtual platform a partition sees: platform = "none" | "pc". */
enum config_platform {
	CONFIG_PLATFORM_DEFAULT = 0, /* absent: from the image kind */
	CONFIG_PLATFORM_NONE = 1,    /* hypercalls, the virtual UART, doorbells */
	CONFIG_PLATFORM_PC = 2,      /* also local APICs, IOAPIC, ACPI, ports */
};

struct config_ioport_range {
	uint16_t base;
	uint16_t count;
};

/* A PCI function by its address: segment, bus, device (0-31), function
 * (0-7). */
struct config_pci_address {
	uint16_t segment;
	uint8_t bus;
	uint8_t device;
	uint8_t function;
	uint8_t reserved[3];
};

struct config_partition {
	char name[CONFIG_NAME_MAX];    /* the node name: the console label */
	uint64_t cpu_mask;             /* bit n set: physical CPU n is ours */
	uint32_t cpu_count;            /* population count of cpu_mask */
	uint8_t cpus[CONFIG_MAX_CPUS]; /* CPU indices in config order */
	uint64_t memory_size;          /* bytes, a multiple of 2 MiB */
	uint64_t memory_base;          /* host-physical base; 0: anywhere */
	char kernel[CONFIG_PATH_MAX];  /* image path below \bulkhead\ */
	char args[CONFIG_ARGS_MAX];    /* free text handed to the guest */
	char initrd[CONFIG_PATH_MAX];  /* Linux: initramfs path, "" if none */
	char cmdline[CONFIG_CMDLINE_MAX]; /* Linux: kernel command line */
	uint32_t ioport_count;
	struct config_ioport_range ioports[CONFIG_MAX_IOPORT_RANGES];
	bool management;         /* may query, stop, start, restart others */
	bool restart_on_fault;   /* restart = "on-fault" */
	uint32_t restart_limit;  /* automatic restarts allowed (on-fault) */
	uint32_t pci_device_count; /* PCI functions the partition owns */
	struct config_pci_address pci_devices[CONFIG_MAX_PCI_DEVICES];
	uint32_t platform;       /* enum config_platform, as configured */
	uint16_t exit_device_port; /* exit-device: its I/O port, 0 if none */
	uint32_t module_count;   /* Multiboot: entries of modules */
	/* Multiboot: "PATH[ STRING]" each, the file below \bulkhead\ and
	 * the module's string (the whole entry, as GRUB Legacy gave it). */
	char modules[CONFIG_MAX_MODULES][CONFIG_MODULE_MAX];
	uint32_t console_log_size; /* bytes of console output kept */
};

/* Parses "SSSS:BB:DD.F" or "BB:DD.F" (hexadecimal; the segment 0 when
 * absent); false for anything else. */
bool config_pci_address_parse(const char *text,
			      struct config_pci_address *address);

/* A shared-memory channel between two partitions, with doorbells. */
struct config_channel {
	char name[CONFIG_NAME_MAX];
	uint32_t peers[2];  /* partition indices, distinct */
	uint64_t size;      /* bytes, whole 4 KiB pages */
	uint32_t vector;    /* interrupt vector a doorbell raises, 32..255 */
};

struct config {
	uint16_t console_uart; /* I/O base of the hypervisor's own UART */
	uint16_t exit_port;    /* isa-debug-exit port, 0 when absent */
	uint32_t partition_count;
	struct config_partition partitions[CONFIG_MAX_PARTITIONS];
	uint32_t channel_count;
	struct config_channel channels[CONFIG_MAX_CHANNELS];
};

/* What the machine offers; a zero field means "unknown, do not check". */
struct config_machine {
	uint32_t cpu_count;     /* usable physical CPUs */
	uint64_t memory_bytes;  /* memory available for partitions */
};

#define CONFIG_ERROR_MAX 256

/*
 * Parses and validates the blob. On failure returns false and writes one
 * line naming the node and property into error. Never reads outside the
 * blob's declared size (blob_size bounds it).
 */
bool config_parse(const void *blob, size_t blob_size,
		  const struct config_machine *machine, struct config *out,
		  char error[CONFIG_ERROR_MAX]);

#endif
